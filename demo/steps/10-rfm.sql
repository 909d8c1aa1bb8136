-- Demo, step 1: the RFM summary of every customer, and its distribution.
\echo
\echo '== RFM summary per customer (rfm aggregate), as of' :as_of '=='
\timing on
CREATE TABLE customer_rfm AS
SELECT customer_id, (rfm(order_ts, amount, :'as_of')).*
FROM orders
GROUP BY customer_id;
\timing off

\echo
\echo '== A few customers =='
SELECT customer_id, round(recency::numeric, 1) AS recency_days, frequency,
       monetary, round(avg_value, 2) AS avg_value, refunds
FROM customer_rfm ORDER BY customer_id LIMIT 5;

\echo
\echo '== Distribution (customers with a purchase) =='
SELECT measure,
       round(min::numeric, 2) AS min, round(p25::numeric, 2) AS p25,
       round(median::numeric, 2) AS median, round(p75::numeric, 2) AS p75,
       round(p95::numeric, 2) AS p95, round(max::numeric, 2) AS max,
       round(mean::numeric, 2) AS mean
FROM (
    SELECT 'recency (days)' AS measure, 1 AS k, min(recency) AS min,
           percentile_cont(0.25) WITHIN GROUP (ORDER BY recency) AS p25,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY recency) AS median,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY recency) AS p75,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY recency) AS p95,
           max(recency) AS max, avg(recency) AS mean
    FROM customer_rfm WHERE frequency > 0
    UNION ALL
    SELECT 'frequency (purchases)', 2, min(frequency),
           percentile_cont(0.25) WITHIN GROUP (ORDER BY frequency),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY frequency),
           percentile_cont(0.75) WITHIN GROUP (ORDER BY frequency),
           percentile_cont(0.95) WITHIN GROUP (ORDER BY frequency),
           max(frequency), avg(frequency)
    FROM customer_rfm WHERE frequency > 0
    UNION ALL
    SELECT 'monetary (net amount)', 3, min(monetary),
           percentile_cont(0.25) WITHIN GROUP (ORDER BY monetary),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY monetary),
           percentile_cont(0.75) WITHIN GROUP (ORDER BY monetary),
           percentile_cont(0.95) WITHIN GROUP (ORDER BY monetary),
           max(monetary), avg(monetary)
    FROM customer_rfm WHERE frequency > 0
) d ORDER BY k;

\echo
\echo '== Customers by status =='
SELECT count(*) FILTER (WHERE frequency > 0) AS buyers,
       count(*) FILTER (WHERE frequency = 0) AS refund_only,
       count(*) FILTER (WHERE frequency IS NULL) AS no_evaluable_row,
       sum(refunds) AS refunds
FROM customer_rfm;
