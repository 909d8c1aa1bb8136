-- Demo, step 3: the BTYD summary (x, t_x, t, m) of every customer, the
-- input of the BG/NBD, Pareto/NBD and Gamma-Gamma fits, and the historical
-- CLV of every customer over a 3-year lifespan.
\echo
\echo '== BTYD summary per customer (btyd aggregate, days), as of' :as_of '=='
\timing on
CREATE TABLE customer_btyd AS
SELECT customer_id, (s).x, (s).t_x, (s).t, (s).m
FROM (SELECT customer_id, btyd(order_ts, amount, :'as_of') AS s
      FROM orders GROUP BY customer_id) q
WHERE (s).x IS NOT NULL;      -- customers with at least one purchase
\timing off

\echo
\echo '== A few customers (x repeat days, t_x and t in days, m mean repeat-day spend) =='
SELECT customer_id, x, t_x, t, round(m::numeric, 2) AS m
FROM customer_btyd ORDER BY customer_id LIMIT 5;

\echo
\echo '== Repeat purchase days (x) =='
SELECT CASE WHEN x = 0 THEN '0 (one-time buyers)'
            WHEN x <= 2 THEN '1-2'
            WHEN x <= 5 THEN '3-5'
            WHEN x <= 10 THEN '6-10'
            WHEN x <= 25 THEN '11-25'
            ELSE '26+' END AS x,
       count(*) AS customers,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct,
       round(avg(t_x)::numeric, 0) AS avg_t_x, round(avg(t)::numeric, 0) AS avg_t,
       round(avg(m)::numeric, 2) AS avg_m
FROM customer_btyd
GROUP BY 1 ORDER BY min(x);

SELECT count(*) AS customers,
       round(100.0 * count(*) FILTER (WHERE x > 0) / count(*), 1) AS repeat_customers_pct,
       round(avg(x)::numeric, 2) AS mean_x,
       round(avg(m)::numeric, 2) AS mean_m_repeaters
FROM customer_btyd;

\echo
\echo '== Historical CLV per customer: avg value x purchases per year x 3 years =='
\echo '   (purchases per year over max(tenure, 1 year); margin 1, no discounting)'
CREATE TEMP TABLE customer_clv AS
SELECT customer_id, clv(order_ts, amount, :'as_of', '3 years') AS clv,
       clv(order_ts, amount, :'as_of', '3 years', 0.3, 0.1) AS clv_margin30_disc10
FROM orders GROUP BY customer_id;
SELECT count(clv) AS customers,
       round(min(clv), 2) AS min,
       round(percentile_cont(0.25) WITHIN GROUP (ORDER BY clv)::numeric, 2) AS p25,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY clv)::numeric, 2) AS median,
       round(percentile_cont(0.75) WITHIN GROUP (ORDER BY clv)::numeric, 2) AS p75,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY clv)::numeric, 2) AS p95,
       round(max(clv), 2) AS max,
       round(avg(clv), 2) AS mean,
       round(avg(clv_margin30_disc10), 2) AS "mean (30% margin, 10%/yr)"
FROM customer_clv;
