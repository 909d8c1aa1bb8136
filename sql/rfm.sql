-- rfm(): the RFM summary aggregate (README "RFM summary")
CREATE SCHEMA rfm;
SET search_path = rfm, public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 0;

CREATE TABLE orders (customer_id int, order_ts timestamptz, amount numeric);
INSERT INTO orders VALUES
  -- 1: three purchases, one refund: recency 30, frequency 3, monetary 60.50 - 5 = 55.50
  (1, '2025-10-01', 10.00), (1, '2025-11-01', 20.50), (1, '2025-12-02', 30.00),
  (1, '2025-11-15', -5),
  -- 2: a zero amount is a purchase (a free order)
  (2, '2025-12-31 12:00', 0.00),
  -- 3: only a refund: no purchase, frequency 0, NULL recency
  (3, '2025-06-01', -12.34),
  -- 4: NULL timestamps and NULL amounts are skipped
  (4, NULL, 100), (4, '2025-12-01', NULL), (4, '2025-12-11', 1.5),
  -- 5: rows after as_of are ignored (refunds too)
  (5, '2025-12-21', 7), (5, '2026-01-02', 1000), (5, '2026-03-01', -7),
  -- 6: only rows after as_of: frequency 0, monetary 0
  (6, '2026-02-01', 50),
  -- 7: every row NULL: nothing to evaluate, NULL like sum()
  (7, NULL, 1), (7, '2025-01-01', NULL),
  -- 8: a purchase exactly at as_of counts, recency 0
  (8, '2026-01-01', 3.333);

SELECT customer_id, (rfm(order_ts, amount, '2026-01-01')).*
FROM orders GROUP BY customer_id ORDER BY customer_id;

-- float8 twin: the same rows, float8 out
SELECT customer_id, (rfm(order_ts, amount::float8, '2026-01-01')).*
FROM orders GROUP BY customer_id ORDER BY customer_id;

SELECT pg_typeof(rfm(order_ts, amount, '2026-01-01')),
       pg_typeof(rfm(order_ts, amount::float8, '2026-01-01'))
FROM orders;

-- a group with no rows at all
SELECT rfm(order_ts, amount, '2026-01-01') IS NULL AS is_null FROM orders WHERE false;

-- exact numeric: the display scale of sum(numeric), and values beyond 128 bits
SELECT (r).monetary, (r).avg_value, s
FROM (SELECT rfm(ts, a, '2026-01-01') AS r, sum(a) AS s
      FROM (VALUES ('2025-01-01'::timestamptz, 0.1), ('2025-01-02', 0.20000),
                   ('2025-01-03', 1e-30), ('2025-01-04', 9.99e40),
                   ('2025-01-05', -123456789012345678901234567890.5)) v(ts, a)) q;
SELECT (rfm(ts, a, '2026-01-01')).monetary = sum(a) AS exact
FROM (VALUES ('2025-01-01'::timestamptz, 170141183460469231731687303715884105727::numeric),
             ('2025-01-02', 170141183460469231731687303715884105727),
             ('2025-01-03', -0.000000000000000000000000000000000001)) v(ts, a);

-- two different as_of values in one group
SELECT rfm(order_ts, amount, as_of)
FROM (VALUES ('2025-01-01'::timestamptz, 1::numeric, '2026-01-01'::timestamptz),
             ('2025-01-02', 2, '2026-01-02')) v(order_ts, amount, as_of);
-- NULL as_of
SELECT rfm('2025-01-01'::timestamptz, 1::numeric, NULL);
-- NaN and infinite amounts, also after as_of
SELECT rfm('2025-01-01'::timestamptz, 'NaN'::numeric, '2026-01-01');
SELECT rfm('2025-01-01'::timestamptz, 'Infinity'::numeric, '2026-01-01');
SELECT rfm('2027-01-01'::timestamptz, '-Infinity'::numeric, '2026-01-01');
SELECT rfm('2025-01-01'::timestamptz, 'NaN'::float8, '2026-01-01');
SELECT rfm('2025-01-01'::timestamptz, '-Infinity'::float8, '2026-01-01');
-- infinite timestamps
SELECT rfm('infinity'::timestamptz, 1::numeric, '2026-01-01');
SELECT rfm('2025-01-01'::timestamptz, 1::numeric, '-infinity');
-- float8 overflow of the sum
SELECT rfm(ts, a, '2026-01-01')
FROM (VALUES ('2025-01-01'::timestamptz, 1e308::float8), ('2025-01-02', 1e308)) v(ts, a);

-- the state type: exact text round trip, binary round trip, validation
SELECT rfm_numeric_trans(rfm_numeric_trans(NULL, '2025-01-01', 12.30, '2026-01-01'),
                         '2025-03-01', -2.3, '2026-01-01') AS state;
CREATE TABLE states AS
SELECT 1 AS k, rfm_combine(rfm_numeric_trans(NULL, '2025-01-01', 12.30, '2026-01-01'),
                           rfm_numeric_trans(NULL, '2025-06-01', 1e40, '2026-01-01')) AS s
UNION ALL SELECT 2, rfm_float8_trans(NULL, '2025-01-01', 0.1, '2026-01-01')
UNION ALL SELECT 3, '(numeric,,,,0,0,0)';
SELECT k, s, s::text::rfm_state::text = s::text AS text_round_trip FROM states ORDER BY k;
-- binary: send, then receive
\copy states TO 'results/rfm_states.bin' WITH (FORMAT binary)
CREATE TABLE states_back (LIKE states);
\copy states_back FROM 'results/rfm_states.bin' WITH (FORMAT binary)
SELECT k, b.s::text = s.s::text AS binary_round_trip
FROM states s JOIN states_back b USING (k) ORDER BY k;
SELECT '(float8,820540800000000,789004800000000,789004800000000,1,0,0.1)'::rfm_state;
SELECT rfm_float8_final('(float8,820540800000000,789004800000000,789004800000000,1,0,0.1)');
SELECT 'garbage'::rfm_state;
SELECT '(numeric,1,,,2,0,5)'::rfm_state;
SELECT '(numeric,1,2,3,-1,0,5)'::rfm_state;
SELECT '(numeric,100,50,200,1,0,5)'::rfm_state;
SELECT '(numeric,,,,0,0,NaN)'::rfm_state;
SELECT '(decimal,,,,0,0,0)'::rfm_state;
SELECT '(numeric,,,,0,0,0) x'::rfm_state;
SELECT rfm_numeric_final('(float8,,,,0,0,0)');
-- combining states of different as_of
SELECT rfm_combine(rfm_numeric_trans(NULL, '2025-01-01', 1, '2026-01-01'),
                   rfm_numeric_trans(NULL, '2025-01-01', 1, '2026-02-01'));

-- parallel query: Partial Aggregate, and the same result as the serial plan
CREATE TABLE big AS
SELECT i % 1000 AS customer_id,
       timestamptz '2025-01-01' + (i % 397) * interval '1 day' AS order_ts,
       CASE WHEN i % 50 = 0 THEN -(i % 97) ELSE (i % 1013) / 4.0 END AS amount
FROM generate_series(1, 100000) i;
ANALYZE big;
CREATE TABLE serial_result AS
SELECT customer_id, rfm(order_ts, amount, '2026-01-01') AS r,
       rfm(order_ts, amount::float8, '2026-01-01') AS rf
FROM big GROUP BY customer_id;
SELECT (rfm(order_ts, amount, '2026-01-01')).* FROM big;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT rfm(order_ts, amount, '2026-01-01') FROM big;
SELECT (rfm(order_ts, amount, '2026-01-01')).* FROM big;
SELECT (rfm(order_ts, amount::float8, '2026-01-01')).* FROM big;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm(order_ts, amount, '2026-01-01') FROM big GROUP BY customer_id;
SELECT count(*) AS differing
FROM serial_result s
JOIN (SELECT customer_id, rfm(order_ts, amount, '2026-01-01') AS r,
             rfm(order_ts, amount::float8, '2026-01-01') AS rf
      FROM big GROUP BY customer_id) p USING (customer_id)
WHERE s.r IS DISTINCT FROM p.r OR s.rf IS DISTINCT FROM p.rf;
