-- btyd(): every bad input raises its SQLSTATE.
BEGIN;
SELECT plan(22);

SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 'NaN'::numeric, '2025-02-01')$$, '22023', NULL, 'NaN numeric amount');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 'Infinity'::numeric, '2025-02-01')$$, '22023', NULL, 'infinite numeric amount');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 'NaN'::float8, '2025-02-01')$$, '22023', NULL, 'NaN float8 amount');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, '-Infinity'::float8, '2025-02-01')$$, '22023', NULL, 'infinite float8 amount');
SELECT throws_ok($$SELECT btyd('2025-03-01'::timestamptz, 'NaN'::numeric, '2025-02-01')$$, '22023', NULL, 'NaN amount after as_of');
SELECT throws_ok($$SELECT btyd('infinity'::timestamptz, 1.0, '2025-02-01')$$, '22008', NULL, 'infinite order_ts');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1.0, '-infinity')$$, '22008', NULL, 'infinite as_of');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1.0, NULL)$$, '22004', NULL, 'NULL as_of');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1.0, NULL, '7 days')$$, '22004', NULL, 'NULL as_of with a unit');
SELECT throws_ok($$SELECT btyd(ts, 1.0, '2025-02-01'::timestamptz + i * interval '1 hour')
                   FROM generate_series(1, 3) i, (SELECT '2025-01-01'::timestamptz AS ts) t$$, '22023', NULL,
                 'as_of differs within a group');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1.0, '2025-02-01', '1 month')$$, '22023', NULL, 'unit in months');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1.0, '2025-02-01', '1 year')$$, '22023', NULL, 'unit in years');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1.0, '2025-02-01', '0 seconds')$$, '22023', NULL, 'zero unit');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1.0, '2025-02-01', '-7 days')$$, '22023', NULL, 'negative unit');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1.0::float8, '2025-02-01', '2 days -49 hours')$$, '22023', NULL,
                 'negative unit (float8)');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1.0, '2025-02-01', NULL)$$, '22004', NULL, 'NULL unit');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1.0, '2025-02-01', make_interval(days => i))
                   FROM generate_series(1, 2) i$$, '22023', NULL, 'unit differs within a group');
SELECT throws_ok($$SELECT btyd('2025-01-01'::timestamptz, 1e-31, '2025-02-01')$$, '22003', NULL,
                 'an amount with more than 30 decimals');
SELECT throws_ok($$SELECT '(numeric,86400000000,1,0,1,5,0,1)'::btyd_state$$, '22P02', NULL, 'state: day after as_of');
SELECT throws_ok($$SELECT '(numeric,86400000000,1,0,2,5,0,-3 -3)'::btyd_state$$, '22P02', NULL, 'state: duplicate days');
SELECT throws_ok($$SELECT '(numeric,0,1,0,0,0,0,)'::btyd_state$$, '22P02', NULL, 'state: zero unit');
SELECT throws_ok($$SELECT btyd_combine('(numeric,86400000000,1,0,0,0,0,)', '(numeric,604800000000,1,0,0,0,0,)')$$, '22023', NULL,
                 'combine: states with different units');

SELECT * FROM finish();
ROLLBACK;
