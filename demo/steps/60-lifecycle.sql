-- Demo, step 5: lifecycle.  The AIPL funnel, churn stages per rfm10
-- segment (BG/NBD churn risk of step 4, and the model-free rule), and the
-- monthly cohort retention table (first 6 months of each cohort), from the
-- orders and the tables of steps 1-4 (customer_rfm, customer_segment,
-- customer_btyd, value_models).  :lang is en or zh.
SELECT :'lang' = 'zh' AS zh \gset

\echo
\echo '== AIPL funnel as of 2026-01-01 (cycle = median repurchase cycle) =='
-- The demo has no event log: 30% more members than buyers are known
-- (prospects), and each member gets 0-4 simulated interactions.
\timing on
CREATE TABLE customer_lifecycle AS
SELECT customer_id,
       (r).frequency AS purchases, (r).recency, (r).last_purchase, cycle
FROM (SELECT customer_id, rfm(order_ts, amount, '2026-01-01') AS r,
             repurchase_cycle(order_ts, amount, '2026-01-01') AS cycle
      FROM orders GROUP BY customer_id) s;
\timing off
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle) AS median_cycle
FROM customer_lifecycle \gset
\echo 'median repurchase cycle (days):' :median_cycle
WITH members AS (
  SELECT m AS customer_id, abs(hashint4(m)) % 5 AS interactions
  FROM generate_series(1, (SELECT (max(customer_id) * 1.3)::int FROM customer_lifecycle)) m
)
SELECT aipl_stage(m.interactions, l.purchases, l.recency, :median_cycle, :'lang') AS stage,
       count(*) AS members, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct
FROM members m LEFT JOIN customer_lifecycle l USING (customer_id)
GROUP BY 1 ORDER BY min(CASE aipl_stage(m.interactions, l.purchases, l.recency, :median_cycle)
                          WHEN 'Awareness' THEN 1 WHEN 'Interest' THEN 2 WHEN 'Purchase' THEN 3 ELSE 4 END);

\echo
\echo '== Churn stages per segment: BG/NBD churn risk = 1 - P(alive), % of customers =='
SELECT s.segment,
       count(*) AS customers,
       round(100.0 * count(*) FILTER (WHERE churn_stage(churn_risk(v.bg, b.x, b.t_x, b.t)) = 'active') / count(*), 1)
         AS "active %",
       round(100.0 * count(*) FILTER (WHERE churn_stage(churn_risk(v.bg, b.x, b.t_x, b.t)) = 'at risk') / count(*), 1)
         AS "at risk %",
       round(100.0 * count(*) FILTER (WHERE churn_stage(churn_risk(v.bg, b.x, b.t_x, b.t)) = 'lapsed') / count(*), 1)
         AS "lapsed %",
       round(avg(next_purchase_within(v.bg, 0.5, b.x, b.t_x, b.t))::numeric, 0) AS "days to a 50% chance of buying (avg)"
FROM customer_segment s JOIN customer_btyd b USING (customer_id) CROSS JOIN value_models v
GROUP BY 1 ORDER BY avg(churn_risk(v.bg, b.x, b.t_x, b.t));

\echo
\echo '== Churn stages without a model: 1 - exp(-recency / own repurchase cycle) =='
SELECT churn_stage(churn_risk(recency, cycle), :'lang') AS stage, count(*) AS customers,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct,
       min(expected_next_purchase(last_purchase, cycle))::date AS earliest_expected_next,
       max(expected_next_purchase(last_purchase, cycle))::date AS latest_expected_next
FROM customer_lifecycle WHERE cycle > 0
GROUP BY 1 ORDER BY min(churn_risk(recency, cycle));

\echo
\echo '== Monthly cohort retention, % of the cohort buying in month k (cohorts of 2025) =='
\timing on
CREATE TABLE cohort_retention_monthly AS
SELECT * FROM cohort_retention((
  SELECT cohort_table(a) FROM (
    SELECT cohort_activity(order_ts, amount, '1 month', 'UTC') AS a FROM orders GROUP BY customer_id) s));
\timing off
SELECT cohort::date AS cohort, max(cohort_size) AS size,
       round((100 * max(retention) FILTER (WHERE period = 0))::numeric) AS m0,
       round((100 * max(retention) FILTER (WHERE period = 1))::numeric, 1) AS m1,
       round((100 * max(retention) FILTER (WHERE period = 2))::numeric, 1) AS m2,
       round((100 * max(retention) FILTER (WHERE period = 3))::numeric, 1) AS m3,
       round((100 * max(retention) FILTER (WHERE period = 4))::numeric, 1) AS m4,
       round((100 * max(retention) FILTER (WHERE period = 5))::numeric, 1) AS m5,
       sum(revenue) FILTER (WHERE period <= 5) AS revenue_6m
FROM cohort_retention_monthly
WHERE cohort >= '2025-01-01'
GROUP BY 1 ORDER BY 1;
