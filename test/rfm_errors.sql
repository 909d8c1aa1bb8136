BEGIN;
SELECT plan(1);
SELECT throws_ok($$SELECT rfm('2025-01-01', 'NaN'::numeric, '2026-01-01')$$, '22023');
SELECT * FROM finish();
ROLLBACK;
