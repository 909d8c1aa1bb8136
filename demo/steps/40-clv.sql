-- Demo, step 4: predictive value.  BG/NBD and Gamma-Gamma fitted on the
-- BTYD summary of step 3 (customer_btyd), then expected purchases, P(alive)
-- and 12-month CLV per customer, summed up per rfm10 segment of step 2.
SELECT :'lang' = 'zh' AS zh \gset

\echo
\echo '== Model fits on the BTYD summary (days): BG/NBD and Gamma-Gamma =='
\timing on
CREATE TABLE value_models AS
SELECT (SELECT bgnbd_fit(x, t_x, t) FROM customer_btyd) AS bg,
       (SELECT gamma_gamma_fit(x, m) FROM customer_btyd) AS gg;
\timing off
SELECT round((bg).r::numeric, 4) AS r, round((bg).alpha::numeric, 4) AS alpha,
       round((bg).a::numeric, 4) AS a, round((bg).b::numeric, 4) AS b,
       round((bg).loglik::numeric, 1) AS loglik, (bg).n, (bg).iterations, (bg).converged
FROM value_models;
SELECT round((gg).p::numeric, 4) AS p, round((gg).q::numeric, 4) AS q,
       round((gg).v::numeric, 4) AS v, round((gg).loglik::numeric, 1) AS loglik,
       (gg).n, (gg).skipped, (gg).iterations, (gg).converged
FROM value_models;

\echo
\echo '== Predictions per customer: next-year purchases, P(alive), 12-month CLV (1%/month) =='
\timing on
CREATE TABLE customer_value AS
SELECT b.customer_id,
       expected_purchases(v.bg, 365, x, t_x, t) AS purchases_next_year,
       p_alive(v.bg, x, t_x, t) AS p_alive,
       clv(v.bg, v.gg, x, t_x, t, m, 12) AS clv_12m
FROM customer_btyd b CROSS JOIN value_models v;
\timing off

\echo
\echo '== Segment table with predicted value (rfm10 segments) =='
\if :zh
SELECT s.segment AS "客户分群", count(*) AS "客户数",
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "客户占比%",
       round(avg(v.purchases_next_year)::numeric, 2) AS "未来一年预期购买次数",
       round(avg(v.p_alive)::numeric, 3) AS "存活概率",
       round(avg(v.clv_12m)::numeric, 2) AS "12个月CLV(人均)",
       round(sum(v.clv_12m)::numeric, 0) AS "12个月CLV(合计)"
FROM customer_segment s JOIN customer_value v USING (customer_id)
GROUP BY s.segment ORDER BY sum(v.clv_12m) DESC;
\else
SELECT s.segment, count(*) AS customers,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "customers %",
       round(avg(v.purchases_next_year)::numeric, 2) AS "purchases next year",
       round(avg(v.p_alive)::numeric, 3) AS "P(alive)",
       round(avg(v.clv_12m)::numeric, 2) AS "CLV 12m (avg)",
       round(sum(v.clv_12m)::numeric, 0) AS "CLV 12m (total)"
FROM customer_segment s JOIN customer_value v USING (customer_id)
GROUP BY s.segment ORDER BY sum(v.clv_12m) DESC;
\endif
