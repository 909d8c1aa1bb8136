-- Cohort retention, repurchase rate, purchases per customer (SPEC §6).
SET TimeZone = 'UTC';
CREATE TABLE cohort_orders (customer_id int, order_ts timestamptz, amount numeric);
INSERT INTO cohort_orders VALUES
  -- January cohort: customers 1, 2, 3
  (1, '2025-01-05', 10), (1, '2025-01-20', 5), (1, '2025-02-03', 7.50), (1, '2025-04-10', 20),
  (2, '2025-01-31 23:30', 3),            -- Jan 31 in UTC, Feb 1 in Shanghai
  (2, '2025-03-15', 4), (2, '2025-03-16', -4),  -- a purchase and its refund
  (3, '2025-01-10', 100), (3, '2025-02-10', -30),  -- February: a refund only
  -- February cohort: customer 4; customer 5 has only a refund (no cohort)
  (4, '2025-02-11', 20), (4, '2025-02-11', -20), (4, '2025-03-01', 1),
  (5, '2025-02-20', -15),
  -- customer 6: a refund before the first purchase (ignored), NULLs skipped
  (6, '2024-12-20', -8), (6, '2025-02-25', 9), (6, NULL, 50), (6, '2025-02-26', NULL);

-- per customer: the periods (months since January 2000) with purchases
-- and net amounts
SELECT customer_id, cohort_activity(order_ts, amount, '1 month') AS activity
FROM cohort_orders GROUP BY 1 ORDER BY 1;

-- the cohort table by hand:
-- January cohort (1, 2, 3): month 0 all three active (revenue 10+5+3+100),
-- month 1 only customer 1 (7.50 - 30 from 3's refund), month 2 customer 2
-- (4 - 4), month 3 customer 1 (20).  February cohort (4, 6): month 0 both
-- (20-20+9), month 1 customer 4 (1).
CREATE TABLE cohort_t AS
SELECT cohort_table(a) AS t
FROM (SELECT cohort_activity(order_ts, amount, '1 month') AS a FROM cohort_orders GROUP BY customer_id) s;
SELECT * FROM cohort_retention((SELECT t FROM cohort_t)) ORDER BY cohort, period;
-- repurchase rate (share with >= 2 purchases) and purchases per customer
SELECT * FROM cohort_summary((SELECT t FROM cohort_t)) ORDER BY cohort;
-- the whole population's AARRR figures from the summary
SELECT sum(customers) AS customers, sum(repeat_customers)::float8 / sum(customers) AS repurchase_rate,
       sum(purchases)::float8 / sum(customers) AS purchases_per_customer
FROM cohort_summary((SELECT t FROM cohort_t));

-- the first six months of each cohort as a pivot, retention in %
SELECT cohort::date, max(cohort_size) AS size,
       round(100 * max(retention) FILTER (WHERE period = 0)) AS m0,
       round(100 * max(retention) FILTER (WHERE period = 1)) AS m1,
       round(100 * max(retention) FILTER (WHERE period = 2)) AS m2,
       round(100 * max(retention) FILTER (WHERE period = 3)) AS m3
FROM cohort_retention((SELECT t FROM cohort_t)) GROUP BY 1 ORDER BY 1;

-- time zones: in Asia/Shanghai customer 2's first order falls on Feb 1,
-- so the January cohort loses them; with the explicit tz the session's
-- zone does not matter
SELECT cohort, period, cohort_size, customers
FROM cohort_retention((SELECT cohort_table(a) FROM
     (SELECT cohort_activity(order_ts, amount, '1 month', 'Asia/Shanghai') AS a
      FROM cohort_orders GROUP BY customer_id) s)) ORDER BY 1, 2;
SET TimeZone = 'Asia/Shanghai';
SELECT cohort, period, cohort_size, customers
FROM cohort_retention((SELECT cohort_table(a) FROM
     (SELECT cohort_activity(order_ts, amount, '1 month') AS a
      FROM cohort_orders GROUP BY customer_id) s)) ORDER BY 1, 2;
SET TimeZone = 'UTC';

-- weeks start on Monday (2025-01-06 is a Monday); quarters; 12 hours
SELECT cohort, period, cohort_size, customers, revenue
FROM cohort_retention((SELECT cohort_table(a) FROM
     (SELECT cohort_activity(order_ts, amount, '1 week') AS a
      FROM cohort_orders WHERE customer_id = 1 GROUP BY customer_id) s)) ORDER BY 1, 2;
SELECT cohort, period, cohort_size, customers, revenue
FROM cohort_retention((SELECT cohort_table(a) FROM
     (SELECT cohort_activity(order_ts, amount, '3 months') AS a
      FROM cohort_orders GROUP BY customer_id) s)) ORDER BY 1, 2;
SELECT cohort, period, customers
FROM cohort_retention((SELECT cohort_table(a) FROM
     (SELECT cohort_activity(order_ts, amount, '12 hours') AS a
      FROM cohort_orders WHERE customer_id = 2 GROUP BY customer_id) s)) ORDER BY 1, 2;

-- the states are real types: exact text forms that read back
SELECT t::text = t::text::cohort_table::text AS text_round_trip FROM cohort_t;
SELECT a::text = a::text::cohort_activity::text AS ok
FROM (SELECT cohort_activity(order_ts, amount, '1 month') AS a FROM cohort_orders GROUP BY customer_id) s
ORDER BY 1 LIMIT 1;
SELECT '1,0,7;300:-1:1:1:0:5;300:0:1:1:0:5'::cohort_table::text AS reads_back;
-- bad input: period and time zone
SELECT cohort_activity(order_ts, amount, '1 month 2 days') FROM cohort_orders;
SELECT cohort_activity(order_ts, amount, '-1 month') FROM cohort_orders;
SELECT cohort_activity(order_ts, amount, '0 days') FROM cohort_orders;
SELECT cohort_activity(order_ts, amount, NULL) FROM cohort_orders;
SELECT cohort_activity(order_ts, amount, '1 month', 'Mars/Olympus') FROM cohort_orders;
SELECT cohort_activity(order_ts, amount, '1 month') FROM (VALUES ('infinity'::timestamptz, 1::numeric)) v(order_ts, amount);
SELECT cohort_activity(order_ts, amount, '1 month') FROM (VALUES (now(), 'NaN'::numeric)) v(order_ts, amount);
-- states of different periods or zones do not mix
SELECT cohort_table(a) FROM (VALUES ('1,0,7;300:1:5'::cohort_activity), ('0,604800000000,7;1:1:5')) v(a);
SELECT cohort_table(a) FROM (VALUES ('1,0,7;300:1:5'::cohort_activity), ('1,0,8;300:1:5')) v(a);
-- malformed text
SELECT '1,0,7;300:1'::cohort_activity;
SELECT '1,0,7;301:1:5;300:1:5'::cohort_activity;
SELECT '1,0,7;300:-1:5'::cohort_activity;
SELECT '0,0,7'::cohort_activity;
SELECT '1,0,7;300:0:1:1:0:5;300:-1:1:1:0:5'::cohort_table;
SELECT '1,0,7;300:0:2:1:0:5'::cohort_table;

-- parallel: partial cohort tables in the workers, combined in the leader
CREATE TABLE cohort_par AS
SELECT (i % 997) AS customer_id,
       timestamptz '2024-01-01' + ((i * 7919) % 500) * interval '1 day' AS order_ts,
       ((i * 31 % 1000) - 30)::numeric / 100 AS amount
FROM generate_series(1, 30000) i;
CREATE TABLE cohort_act AS
SELECT customer_id, cohort_activity(order_ts, amount, '1 month') AS a FROM cohort_par GROUP BY 1;
ANALYZE cohort_par;
ANALYZE cohort_act;
CREATE TABLE cohort_serial AS SELECT * FROM cohort_retention((SELECT cohort_table(a) FROM cohort_act));
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT cohort_table(a) FROM cohort_act;
SELECT count(*) AS cells,
       count(*) FILTER (WHERE s IS NOT DISTINCT FROM p) AS equal
FROM cohort_serial s
FULL JOIN cohort_retention((SELECT cohort_table(a) FROM cohort_act)) p USING (cohort, period);
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT customer_id, cohort_activity(order_ts, amount, '1 month') FROM cohort_par GROUP BY 1;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE c.a::text = p.a::text) AS equal
FROM cohort_act c
JOIN (SELECT customer_id, cohort_activity(order_ts, amount, '1 month') AS a FROM cohort_par GROUP BY 1) p
USING (customer_id);
RESET enable_hashagg;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
