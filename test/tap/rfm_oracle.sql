-- rfm() against a plain-SQL oracle (max/count/sum with FILTER) for every
-- customer of generated data: numeric and float8, serial and parallel.
\set customers 12000
\set orders 120000
\set seed 7
\set table tap_orders
\set QUIET 1
\ir ../data/gen_orders.sql
\unset QUIET
BEGIN;
SELECT plan(10);

-- days as rfm computes them: microseconds as float8 / microseconds per day
CREATE FUNCTION pg_temp.days(a timestamptz, b timestamptz) RETURNS float8
LANGUAGE sql IMMUTABLE AS
$$ SELECT (extract(epoch FROM b - a) * 1000000)::float8 / 86400000000.0 $$;

CREATE TEMP TABLE oracle AS
SELECT customer_id,
       pg_temp.days(max(order_ts) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01'),
                    '2025-07-01') AS recency,
       count(*) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01') AS frequency,
       sum(amount) FILTER (WHERE order_ts <= '2025-07-01') AS monetary,
       sum(amount::float8) FILTER (WHERE order_ts <= '2025-07-01') AS monetary_f8,
       min(order_ts) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01') AS first_purchase,
       max(order_ts) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01') AS last_purchase,
       pg_temp.days(min(order_ts) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01'),
                    '2025-07-01') AS tenure,
       count(*) FILTER (WHERE amount < 0 AND order_ts <= '2025-07-01') AS refunds,
       count(*) FILTER (WHERE order_ts IS NOT NULL AND amount IS NOT NULL) AS rows_seen
FROM tap_orders GROUP BY customer_id;

-- The oracle in rfm's shape: NULL when the group has no row to evaluate,
-- monetary 0 (not NULL) when all evaluable rows are after as_of.
CREATE TEMP VIEW expected AS
SELECT customer_id,
       CASE WHEN rows_seen > 0 THEN
           ROW(recency::float8, frequency, coalesce(monetary, 0),
               monetary / nullif(frequency, 0), first_purchase, last_purchase,
               tenure::float8, refunds)::rfm END AS r,
       CASE WHEN rows_seen > 0 THEN
           ROW(recency::float8, frequency, coalesce(monetary_f8, 0),
               monetary_f8 / nullif(frequency, 0), first_purchase, last_purchase,
               tenure::float8, refunds)::rfm_float8 END AS rf
FROM oracle;

SELECT ok((SELECT count(*) FROM tap_orders) >= 100000, 'at least 100k generated orders');

SET LOCAL max_parallel_workers_per_gather = 0;
SELECT results_eq(
    $$SELECT customer_id, rfm(order_ts, amount, '2025-07-01') FROM tap_orders GROUP BY 1 ORDER BY 1$$,
    $$SELECT customer_id, r FROM expected ORDER BY 1$$,
    'numeric, serial: every customer equals the oracle exactly');
SELECT results_eq(
    $$SELECT customer_id, rfm(order_ts, amount::float8, '2025-07-01') FROM tap_orders GROUP BY 1 ORDER BY 1$$,
    $$SELECT customer_id, rf FROM expected ORDER BY 1$$,
    'float8, serial: every customer equals the oracle exactly');

-- rfm_float8 rows are copies of a template row formed by heap_form_tuple
-- (rfm.c): the same column images (*=) as the rows a ROW constructor
-- forms, for customers with purchases and without (NULL columns), from a
-- hash aggregate and a window.
SELECT ok((SELECT (count(*) FILTER (WHERE NOT ok), count(*) FILTER (WHERE ok AND (r).frequency = 0) > 1000,
                   count(*) FILTER (WHERE ok AND (r).frequency > 0) > 1000)
           FROM (SELECT r, coalesce(r *= ROW((r).*)::rfm_float8, false) AS ok
                 FROM (SELECT rfm(order_ts, amount::float8, '2025-07-01') AS r FROM tap_orders GROUP BY customer_id
                       UNION ALL
                       SELECT rfm(order_ts, amount::float8, '2023-03-01') FROM tap_orders GROUP BY customer_id
                       UNION ALL
                       SELECT rfm(order_ts, amount::float8, '2025-07-01') OVER (ORDER BY order_id) FROM tap_orders
                       WHERE customer_id < 50) q
                 WHERE r IS DISTINCT FROM NULL) c) = (0::bigint, true, true),
          'float8 rows equal the rows heap_form_tuple forms, column image by column image');

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SET LOCAL enable_hashagg = off;
CREATE TEMP TABLE plan_text (line text);
DO $$
DECLARE l text;
BEGIN
  FOR l IN EXECUTE $q$EXPLAIN (COSTS OFF) SELECT customer_id, rfm(order_ts, amount, '2025-07-01')
                     FROM tap_orders GROUP BY 1$q$ LOOP
    INSERT INTO plan_text VALUES (l);
  END LOOP;
END $$;
SELECT ok(EXISTS (SELECT 1 FROM plan_text WHERE line LIKE '%Partial GroupAggregate%'),
          'the GROUP BY customer plan is parallel (Partial GroupAggregate)');
SELECT results_eq(
    $$SELECT customer_id, rfm(order_ts, amount, '2025-07-01') FROM tap_orders GROUP BY 1 ORDER BY 1$$,
    $$SELECT customer_id, r FROM expected ORDER BY 1$$,
    'numeric, parallel: every customer equals the oracle exactly');
-- Amounts have 2 decimals, so float8 sums depend on the order of addition:
-- parallel float8 is compared to 1e-9 relative.
SELECT is((SELECT count(*) FROM (
              SELECT customer_id, rfm(order_ts, amount::float8, '2025-07-01') AS p
              FROM tap_orders GROUP BY 1) q
           JOIN expected e USING (customer_id)
           WHERE (p IS NULL) <> (e.rf IS NULL)
              OR ((p).recency, (p).frequency, (p).first_purchase, (p).last_purchase,
                  (p).tenure, (p).refunds)
                 IS DISTINCT FROM ((e.rf).recency, (e.rf).frequency, (e.rf).first_purchase,
                  (e.rf).last_purchase, (e.rf).tenure, (e.rf).refunds)
              OR abs((p).monetary - (e.rf).monetary) > 1e-9 * greatest(1, abs((e.rf).monetary))),
          0::bigint, 'float8, parallel: every customer equals the oracle (1e-9 on sums)');
-- Dyadic amounts (quarters) add exactly in any order: exact in parallel too.
SELECT results_eq(
    $$SELECT customer_id, rfm(order_ts, round(amount * 4) / 4.0::float8, '2025-07-01')
      FROM tap_orders GROUP BY 1 ORDER BY 1$$,
    $$SELECT customer_id,
             CASE WHEN count(*) FILTER (WHERE order_ts IS NOT NULL AND amount IS NOT NULL) > 0 THEN
             ROW(pg_temp.days(max(order_ts) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01'), '2025-07-01'),
                 count(*) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01'),
                 coalesce(sum((round(amount * 4) / 4.0)::float8) FILTER (WHERE order_ts <= '2025-07-01'), 0),
                 sum((round(amount * 4) / 4.0)::float8) FILTER (WHERE order_ts <= '2025-07-01')
                   / nullif(count(*) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01'), 0),
                 min(order_ts) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01'),
                 max(order_ts) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01'),
                 pg_temp.days(min(order_ts) FILTER (WHERE amount >= 0 AND order_ts <= '2025-07-01'), '2025-07-01'),
                 count(*) FILTER (WHERE amount < 0 AND order_ts <= '2025-07-01'))::rfm_float8 END
      FROM tap_orders GROUP BY 1 ORDER BY 1$$,
    'float8 with dyadic amounts, parallel: exact');

-- The exact numeric sum for every shape of numeric: 1 to 15 significant
-- digits at magnitudes 1e-8 to 1e21, display scales 0 to 20, both signs;
-- short values take the 64-bit path, long ones the 128-bit path, and
-- groups whose sum passes 128 bits the numeric overflow sum.
SELECT setseed(0.17);
CREATE TEMP TABLE shapes AS
SELECT i % 300 AS g, '2025-01-01'::timestamptz + i * interval '1 minute' AS ts,
       round(((random() - 0.3) * 10 ^ (floor(random() * 30) - 8))::numeric,
             floor(random() * 21)::int) AS a
FROM generate_series(1, 30000) i;
SELECT results_eq(
    $$SELECT g, (rfm(ts, a, '2026-01-01')).monetary FROM shapes GROUP BY g ORDER BY g$$,
    $$SELECT g, sum(a) FROM shapes GROUP BY g ORDER BY g$$,
    'numeric monetary equals sum(numeric) for numerics of every size and scale');

-- monetary and avg_value are built without numeric arithmetic (amount.c):
-- the same value and display scale as sum(numeric) and numeric division,
-- for dividends of every size, scale and sign and divisors of 1 to 15
-- digits (larger dividends take the exact numeric path).
CREATE TEMP TABLE divs AS
SELECT round(((random() - 0.3) * 10 ^ (floor(random() * 34) - 12))::numeric,
             floor(random() * 25)::int) AS m,
       floor(10 ^ (random() * 15))::bigint AS f
FROM generate_series(1, 20000);
INSERT INTO divs VALUES (0, 1), (0.000, 7), (-0.5, 3), (0.5, 3), (1, 3), (2, 3), (-2, 3), (2, 6),
    (99999999.99, 1), (1e20, 10001), (9999, 9999), (9999, 10000), (10000, 9999), (0.0001, 10000),
    (-0.00005, 1), (123456789012345678.123456, 7), (5, 2), (-5, 2), (0.05, 10), (1.5, 1000000000000000000);
SELECT is((SELECT count(*) FROM (
              SELECT m, f, rfm_numeric_final(format('(numeric,1,0,0,%s,0,%s)', f, m)::rfm_state) AS r
              FROM divs) q
           WHERE (r).avg_value::text IS DISTINCT FROM (m / f)::text
              OR (r).monetary::text IS DISTINCT FROM m::text),
          0::bigint, 'avg_value = monetary / frequency and monetary = the sum, as text, for 20,000 pairs');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE tap_orders;
