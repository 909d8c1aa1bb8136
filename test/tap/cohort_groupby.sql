-- cohort_activity / cohort_table against plain GROUP BY oracles on
-- generated orders (refunds, zero amounts, NULL order_ts and amounts,
-- customers who churn, so cohorts have gaps): months in a zone with DST,
-- ISO weeks, 10-day buckets, days; the AARRR summary; window use; parallel plans; the text
-- and binary forms read back.
\set customers 3000
\set orders 40000
\set seed 11
\set table cohort_orders
\ir ../data/gen_orders.sql
SET client_min_messages = warning;

BEGIN;
SELECT plan(16);

-- the oracle: first-purchase period per customer, join, GROUP BY cohort, period
CREATE FUNCTION pg_temp.oracle(tz text, kind text)
RETURNS TABLE (cohort timestamp, period int, cohort_size bigint, customers bigint,
               retention float8, purchases bigint, revenue numeric)
LANGUAGE sql AS $$
  WITH o AS (
    SELECT customer_id, amount,
           CASE kind WHEN 'month' THEN date_trunc('month', order_ts AT TIME ZONE tz)
                     WHEN 'week' THEN date_trunc('week', order_ts AT TIME ZONE tz)
                     WHEN 'day' THEN date_trunc('day', order_ts AT TIME ZONE tz)
                     ELSE date_bin('10 days', order_ts AT TIME ZONE tz, timestamp '2000-01-03') END AS p
    FROM cohort_orders WHERE order_ts IS NOT NULL AND amount IS NOT NULL
  ), f AS (
    SELECT customer_id, min(p) FILTER (WHERE amount >= 0) AS c FROM o GROUP BY 1
  ), sizes AS (
    SELECT c, count(*) AS n FROM f WHERE c IS NOT NULL GROUP BY 1
  )
  SELECT f.c, CASE kind WHEN 'month' THEN ((extract(year FROM o.p) - extract(year FROM f.c)) * 12
                                           + extract(month FROM o.p) - extract(month FROM f.c))::int
                        WHEN 'week' THEN (extract(epoch FROM o.p - f.c) / (7 * 86400))::int
                        WHEN 'day' THEN (extract(epoch FROM o.p - f.c) / 86400)::int
                        ELSE (extract(epoch FROM o.p - f.c) / (10 * 86400))::int END,
         s.n, count(DISTINCT o.customer_id) FILTER (WHERE o.amount >= 0),
         count(DISTINCT o.customer_id) FILTER (WHERE o.amount >= 0)::float8 / s.n,
         count(*) FILTER (WHERE o.amount >= 0), sum(o.amount)
  FROM o JOIN f USING (customer_id) JOIN sizes s ON s.c = f.c
  WHERE o.p >= f.c
  GROUP BY f.c, 2, s.n $$;

CREATE TEMP TABLE acts_month AS
SELECT customer_id, cohort_activity(order_ts, amount, '1 month', 'America/New_York') AS a
FROM cohort_orders GROUP BY 1;

SELECT set_eq($$SELECT * FROM cohort_retention((SELECT cohort_table(a) FROM acts_month))$$,
              $$SELECT * FROM pg_temp.oracle('America/New_York', 'month')$$,
              'months in America/New_York = the GROUP BY oracle');
SELECT set_eq($$SELECT * FROM cohort_retention((SELECT cohort_table(a) FROM
                 (SELECT cohort_activity(order_ts, amount, '1 week', 'Europe/Berlin') AS a
                  FROM cohort_orders GROUP BY customer_id) s))$$,
              $$SELECT * FROM pg_temp.oracle('Europe/Berlin', 'week')$$,
              'ISO weeks in Europe/Berlin = the GROUP BY oracle');
SELECT set_eq($$SELECT * FROM cohort_retention((SELECT cohort_table(a) FROM
                 (SELECT cohort_activity(order_ts, amount, '10 days', 'Asia/Kolkata') AS a
                  FROM cohort_orders GROUP BY customer_id) s))$$,
              $$SELECT * FROM pg_temp.oracle('Asia/Kolkata', '10 days')$$,
              '10-day buckets (date_bin) in Asia/Kolkata = the GROUP BY oracle');
SET LOCAL TimeZone = 'America/New_York';
SELECT set_eq($$SELECT * FROM cohort_retention((SELECT cohort_table(a) FROM
                 (SELECT cohort_activity(order_ts, amount, '1 month') AS a
                  FROM cohort_orders GROUP BY customer_id) s))$$,
              $$SELECT * FROM cohort_retention((SELECT cohort_table(a) FROM acts_month))$$,
              'without tz: the session time zone');
SET LOCAL TimeZone = 'UTC';

-- AARRR summary per cohort
SELECT set_eq($$SELECT * FROM cohort_summary((SELECT cohort_table(a) FROM acts_month))$$,
  $$WITH o AS (
      SELECT customer_id, amount, date_trunc('month', order_ts AT TIME ZONE 'America/New_York') AS p
      FROM cohort_orders WHERE order_ts IS NOT NULL AND amount IS NOT NULL
    ), f AS (
      SELECT customer_id, min(p) FILTER (WHERE amount >= 0) AS c FROM o GROUP BY 1
    ), per AS (
      SELECT customer_id, f.c, count(*) FILTER (WHERE amount >= 0) AS n, sum(amount) AS rev
      FROM o JOIN f USING (customer_id) WHERE f.c IS NOT NULL AND o.p >= f.c GROUP BY 1, 2
    )
    SELECT c, count(*) AS size, count(*) FILTER (WHERE n >= 2) AS rep,
           (count(*) FILTER (WHERE n >= 2))::float8 / count(*) AS rate,
           sum(n)::bigint AS purchases, sum(n)::float8 / count(*) AS ppc, sum(rev) AS rev
    FROM per GROUP BY c$$,
  'cohort_summary = the GROUP BY oracle (repurchase rate, purchases per customer)');
-- customers without a purchase (refunds, zero rows aside) are in no cohort
SELECT ok((SELECT count(*) FROM cohort_orders WHERE amount < 0) > 0
          AND (SELECT count(*) FROM cohort_orders WHERE order_ts IS NULL OR amount IS NULL) > 0
          AND (SELECT count(*) FROM acts_month a WHERE NOT EXISTS (
                 SELECT 1 FROM cohort_orders o WHERE o.customer_id = a.customer_id AND o.amount >= 0
                 AND o.order_ts IS NOT NULL)) > 0
          AND (SELECT sum(customers) FROM cohort_summary((SELECT cohort_table(a) FROM acts_month)))
              = (SELECT count(DISTINCT customer_id) FROM cohort_orders WHERE amount >= 0 AND order_ts IS NOT NULL),
          'the data has refunds, NULLs and refund-only customers; cohorts hold exactly the buyers');

-- merging: halves of the customers, combined by a parallel plan
CREATE TEMP TABLE serial_cells AS SELECT * FROM cohort_retention((SELECT cohort_table(a) FROM acts_month));
CREATE TABLE pg_temp.acts_par AS SELECT * FROM acts_month;
ANALYZE pg_temp.acts_par;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL enable_hashagg = off;
SELECT set_eq($$SELECT * FROM cohort_retention((SELECT cohort_table(a) FROM acts_month))$$,
              $$SELECT * FROM serial_cells$$, 'a parallel cohort_table = the serial one');
SELECT set_eq($$SELECT customer_id, a::text FROM (SELECT customer_id,
                  cohort_activity(order_ts, amount, '1 month', 'America/New_York') AS a
                FROM cohort_orders GROUP BY 1) s$$,
              $$SELECT customer_id, a::text FROM acts_month$$,
              'a parallel cohort_activity GROUP BY = the serial one');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;
SELECT set_eq($$SELECT * FROM cohort_retention((SELECT cohort_table(t) FROM (
                  SELECT cohort_table(a) AS t FROM acts_month GROUP BY customer_id % 7) s))$$,
              $$SELECT * FROM serial_cells$$,
              'cohort tables of parts merge into the whole (cohort_table_combine through a second level)');

-- the table is built as an expanded object and flattened sorted by
-- (cohort, k): its text form is in that order, whatever the order the
-- customers came in, and equal for the same customers in any order
SELECT is((SELECT cohort_table(a ORDER BY customer_id DESC)::text FROM acts_month),
          (SELECT cohort_table(a ORDER BY customer_id)::text FROM acts_month),
          'cohort_table is the same value whatever the order of the customers');
-- as a window aggregate: per partition, and over a growing frame (its
-- last row is the whole table)
SELECT set_eq($$SELECT DISTINCT r.* FROM (SELECT cohort_table(a) OVER (PARTITION BY customer_id % 3) AS t,
                                          customer_id % 3 AS part FROM acts_month) w,
                                  cohort_retention(w.t) r$$,
              $$SELECT r.* FROM (SELECT cohort_table(a) AS t FROM acts_month GROUP BY customer_id % 3) g,
                                cohort_retention(g.t) r$$,
              'cohort_table OVER (PARTITION BY ...) = cohort_table GROUP BY');
SELECT set_eq($$SELECT * FROM cohort_retention((SELECT t FROM (SELECT customer_id, cohort_table(a) OVER (ORDER BY customer_id) AS t
                  FROM acts_month) w ORDER BY customer_id DESC LIMIT 1))$$,
              $$SELECT * FROM serial_cells$$, 'cohort_table over a growing window frame: the last row is the whole');
-- many cells (daily periods over three years): the oracle still agrees
SELECT set_eq($$SELECT * FROM cohort_retention((SELECT cohort_table(a) FROM
                  (SELECT cohort_activity(order_ts, amount, '1 day', 'UTC') AS a FROM cohort_orders GROUP BY customer_id) s))$$,
              $$SELECT * FROM pg_temp.oracle('UTC', 'day')$$,
              'daily periods (many cells) = the GROUP BY oracle');

-- text and binary forms read back
SELECT is((SELECT count(*) FROM acts_month WHERE a::text::cohort_activity::text <> a::text), 0::bigint,
          'cohort_activity text form reads back');
CREATE TEMP TABLE bin_in (customer_id bigint, a cohort_activity);
CREATE TEMP TABLE bin_t (t cohort_table);
COPY (SELECT customer_id, a FROM acts_month) TO '/tmp/memval_cohort_tap.bin' (FORMAT binary);
COPY bin_in FROM '/tmp/memval_cohort_tap.bin' (FORMAT binary);
COPY (SELECT cohort_table(a) FROM acts_month) TO '/tmp/memval_cohort_tap_t.bin' (FORMAT binary);
COPY bin_t FROM '/tmp/memval_cohort_tap_t.bin' (FORMAT binary);
SELECT is((SELECT count(*) FROM bin_in b JOIN acts_month a USING (customer_id) WHERE a.a::text = b.a::text),
          (SELECT count(*) FROM acts_month), 'cohort_activity binary form reads back');
SELECT set_eq($$SELECT * FROM cohort_retention((SELECT t FROM bin_t))$$, $$SELECT * FROM serial_cells$$,
              'cohort_table binary form reads back');

SELECT * FROM finish();
ROLLBACK;
