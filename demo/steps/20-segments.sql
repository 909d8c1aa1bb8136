-- Demo, step 2: RFM scores, named segments (rfm10) and the R x F cross
-- table, from the customer_rfm table of step 1.  :lang is en or zh.
SELECT :'lang' = 'zh' AS zh \gset

\echo
\echo '== Score breakpoints (quintiles, exact percentile_disc over customers with a purchase) =='
SELECT n(b) AS n, recency_breaks(b) AS recency_days, frequency_breaks(b) AS frequency,
       monetary_breaks(b) AS monetary
FROM (SELECT rfm_breaks(ROW(recency, frequency, monetary, avg_value, first_purchase,
                            last_purchase, tenure, refunds)::rfm) AS b
      FROM customer_rfm) t;

\echo
\echo '== Scores and segments per customer (rfm_score window function, tier_of) =='
\timing on
CREATE TABLE customer_segment AS
SELECT customer_id, s AS score, tier_of(s, 'rfm10', :'lang') AS segment,
       frequency, monetary
FROM (SELECT customer_id, frequency, monetary,
             rfm_score(ROW(recency, frequency, monetary, avg_value, first_purchase,
                           last_purchase, tenure, refunds)::rfm) OVER () AS s
      FROM customer_rfm) t
WHERE s IS NOT NULL;
\timing off

SELECT customer_id, score, r(score) AS r, f(score) AS f, m(score) AS m, segment
FROM customer_segment ORDER BY customer_id LIMIT 5;

\echo
\echo '== Segment table (rfm10) =='
\if :zh
SELECT segment AS "客户分群", count(*) AS "客户数",
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "客户占比%",
       sum(monetary) AS "消费金额",
       round(100.0 * sum(monetary) / sum(sum(monetary)) OVER (), 1) AS "金额占比%",
       round(sum(monetary) / sum(frequency), 2) AS "客单价"
FROM customer_segment GROUP BY segment ORDER BY sum(monetary) DESC;
\else
SELECT segment, count(*) AS customers,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "customers %",
       sum(monetary) AS revenue,
       round(100.0 * sum(monetary) / sum(sum(monetary)) OVER (), 1) AS "revenue %",
       round(sum(monetary) / sum(frequency), 2) AS avg_order_value
FROM customer_segment GROUP BY segment ORDER BY sum(monetary) DESC;
\endif

\echo
\echo '== R x F cross table (customers; rows R = 5 most recent .. 1, columns F = 1 .. 5 most frequent) =='
SELECT r(score) AS "R \ F",
       count(*) FILTER (WHERE f(score) = 1) AS "F1",
       count(*) FILTER (WHERE f(score) = 2) AS "F2",
       count(*) FILTER (WHERE f(score) = 3) AS "F3",
       count(*) FILTER (WHERE f(score) = 4) AS "F4",
       count(*) FILTER (WHERE f(score) = 5) AS "F5",
       count(*) AS total
FROM customer_segment GROUP BY ROLLUP (r(score)) ORDER BY r(score) DESC NULLS LAST;

\echo
\echo '== Classic eight classes (rfm8) and member tiers on net spend (tier4) =='
SELECT tier_of(score, 'rfm8', :'lang') AS rfm8, count(*) AS customers,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "customers %"
FROM customer_segment GROUP BY 1 ORDER BY 2 DESC;
SELECT tier_of(monetary, 'tier4', :'lang') AS tier4, count(*) AS customers,
       min(monetary) AS min_spend, max(monetary) AS max_spend
FROM customer_segment GROUP BY 1 ORDER BY min(monetary);
