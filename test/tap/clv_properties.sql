-- clv(): every bad input raises its SQLSTATE; the aggregate against plain
-- SQL over the rfm() summary, and the scalar forms against closed forms.
BEGIN;
SELECT plan(41);

CREATE TEMP TABLE o (cust int, ts timestamptz, amt numeric);
INSERT INTO o
SELECT i % 50, timestamptz '2022-01-01 00:00+00' + (i * 7919 % 1200) * interval '1 day' + (i % 7) * interval '1 hour',
       round(((i * 37 % 500) - 20)::numeric / 10, 2)
FROM generate_series(1, 5000) i;

-- aggregate: bad parameters
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '-1 year') FROM o$$, '22023', NULL, 'negative lifespan');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '1 year -400 days') FROM o$$, '22023', NULL, 'lifespan negative overall');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '3 years', 'NaN') FROM o$$, '22023', NULL, 'margin NaN');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '3 years', '-Infinity') FROM o$$, '22023', NULL, 'margin infinite');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '3 years', 1, -1) FROM o$$, '22023', NULL, 'discount_rate -1');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '3 years', 1, -2) FROM o$$, '22023', NULL, 'discount_rate below -1');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '3 years', 1, 'NaN') FROM o$$, '22023', NULL, 'discount_rate NaN');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '3 years', 1, 'Infinity') FROM o$$, '22023', NULL, 'discount_rate infinite');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', NULL) FROM o$$, '22004', NULL, 'NULL lifespan');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '3 years', NULL) FROM o$$, '22004', NULL, 'NULL margin');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '3 years', 1, NULL) FROM o$$, '22004', NULL, 'NULL discount_rate');
SELECT throws_ok($$SELECT clv(ts, amt, NULL, '3 years') FROM o$$, '22004', NULL, 'NULL as_of');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', make_interval(years => cust % 2 + 1)) FROM o$$, '22023', NULL,
                 'lifespan differs within a group');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '3 years', (cust % 2)::float8) FROM o$$, '22023', NULL,
                 'margin differs within a group');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31', '3 years', 1, (cust % 2)::float8 / 10) FROM o$$, '22023', NULL,
                 'discount_rate differs within a group');
SELECT throws_ok($$SELECT clv(ts, amt, '2024-12-31'::timestamptz + cust * interval '1 day', '3 years') FROM o$$, '22023', NULL,
                 'as_of differs within a group');
-- aggregate: bad rows
SELECT throws_ok($$SELECT clv('2024-01-01'::timestamptz, 'NaN'::numeric, '2024-12-31', '3 years')$$, '22023', NULL, 'NaN amount');
SELECT throws_ok($$SELECT clv('2025-01-01'::timestamptz, 'NaN'::numeric, '2024-12-31', '3 years')$$, '22023', NULL,
                 'NaN amount after as_of');
SELECT throws_ok($$SELECT clv('2024-01-01'::timestamptz, 'Infinity'::float8, '2024-12-31', '3 years')$$, '22023', NULL,
                 'infinite float8 amount');
SELECT throws_ok($$SELECT clv('-infinity'::timestamptz, 1.0, '2024-12-31', '3 years')$$, '22008', NULL, 'infinite order_ts');
SELECT throws_ok($$SELECT clv('2024-01-01'::timestamptz, 1.0, 'infinity', '3 years')$$, '22008', NULL, 'infinite as_of');
-- scalar form
SELECT throws_ok($$SELECT clv('NaN', 4, 3)$$, '22023', NULL, 'scalar: avg_value NaN');
SELECT throws_ok($$SELECT clv(50, 'Infinity', 3)$$, '22023', NULL, 'scalar: purchases_per_year infinite');
SELECT throws_ok($$SELECT clv(50, -1, 3)$$, '22023', NULL, 'scalar: negative purchases_per_year');
SELECT throws_ok($$SELECT clv(50, 4, -0.5)$$, '22023', NULL, 'scalar: negative lifespan_years');
SELECT throws_ok($$SELECT clv(50, 4, 'NaN')$$, '22023', NULL, 'scalar: lifespan_years NaN');
SELECT throws_ok($$SELECT clv(50, 4, 3, 'NaN')$$, '22023', NULL, 'scalar: margin NaN');
SELECT throws_ok($$SELECT clv(50, 4, 3, 1, -1)$$, '22023', NULL, 'scalar: discount_rate -1');
SELECT throws_ok($$SELECT clv(50, 4, 3, 1, 'Infinity')$$, '22023', NULL, 'scalar: discount_rate infinite');
-- retention form
SELECT throws_ok($$SELECT clv_retention(100, 1, 0.1)$$, '22023', NULL, 'retention 1');
SELECT throws_ok($$SELECT clv_retention(100, -0.01, 0.1)$$, '22023', NULL, 'retention negative');
SELECT throws_ok($$SELECT clv_retention(100, 'NaN', 0.1)$$, '22023', NULL, 'retention NaN');
SELECT throws_ok($$SELECT clv_retention(100, 0.5, -1)$$, '22023', NULL, 'retention form: discount_rate -1');
SELECT throws_ok($$SELECT clv_retention(100, 0.6, -0.45)$$, '22023', NULL, 'retention form: 1 + d - r <= 0');
SELECT throws_ok($$SELECT clv_retention('Infinity', 0.5, 0.1)$$, '22023', NULL, 'retention form: margin infinite');
-- state input
SELECT throws_ok($$SELECT '(3,1,,(numeric,,,,0,0,0))'::clv_state$$, '22P02', NULL, 'state: parameters set together');
SELECT throws_ok($$SELECT '(3,1,0,(numeric,,,,0,0,0)'::clv_state$$, '22P02', NULL, 'state: truncated');
SELECT throws_ok($$SELECT '(3,1,-5,(numeric,,,,0,0,0))'::clv_state$$, '22023', NULL, 'state: bad discount_rate');

-- the aggregate against plain SQL over the orders (numeric, exact to the cent)
SELECT results_eq(
    $$SELECT cust, clv(ts, amt, '2024-09-30 06:00+00', '2 years 6 months', 0.35, 0.07) FROM o GROUP BY cust ORDER BY cust$$,
    $$SELECT cust, round(sum(amt) * (0.35 * (1/1.07 + 1/1.07^2 + 0.5/1.07^3)
                       / greatest(extract(epoch FROM '2024-09-30 06:00+00'::timestamptz - min(ts) FILTER (WHERE amt >= 0))
                                  / 86400 / 365.25, 1))::numeric, 2)
      FROM o WHERE ts <= '2024-09-30 06:00+00' GROUP BY cust ORDER BY cust$$,
    'clv() = net amount / max(tenure years, 1) * margin * A(2.5, 0.07) for every customer');

-- scalar forms against closed forms
SELECT ok(abs(clv(80, 2.5, 4, 0.4, 0.12) - 80 * 2.5 * 0.4 * (1 - 1.12 ^ -4) / 0.12) < 1e-9,
          'scalar clv with whole years is the annuity formula');
SELECT ok(abs(clv_retention(120, 0.75, 0.1) - 120 * 0.75 / 0.35) < 1e-12, 'clv_retention = m r / (1 + d - r)');

SELECT * FROM finish();
ROLLBACK;
