SELECT (rfm(ts, amt, '2026-01-01')).* FROM (VALUES ('2025-01-01'::timestamptz, 10.5)) v(ts, amt);
