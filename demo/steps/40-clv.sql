-- Demo, step 4: predictive value.  BG/NBD and Gamma-Gamma fitted on the
-- BTYD summary of step 3 (customer_btyd), then expected purchases, P(alive)
-- and 12-month CLV per customer, summed up per rfm10 segment of step 2.
-- Each model is printed with its converged flag; predictions are printed
-- only from models that converged.  On generated data (table demo_truth)
-- each parameter is compared with the value that generated the orders.
SELECT :'lang' = 'zh' AS zh \gset

\echo
\echo '== Model fits on the BTYD summary (days): BG/NBD and Gamma-Gamma =='
\timing on
CREATE TABLE value_models AS
SELECT (SELECT bgnbd_fit(x, t_x, t) FROM customer_btyd) AS bg,
       (SELECT gamma_gamma_fit(x, m) FROM customer_btyd) AS gg;
\timing off
SELECT 'BG/NBD' AS model, round((bg).r::numeric, 4) AS r, round((bg).alpha::numeric, 4) AS alpha,
       round((bg).a::numeric, 4) AS a, round((bg).b::numeric, 4) AS b,
       round((bg).loglik::numeric, 1) AS loglik, (bg).n, (bg).iterations, (bg).converged
FROM value_models;
SELECT 'Gamma-Gamma' AS model, round((gg).p::numeric, 4) AS p, round((gg).q::numeric, 4) AS q,
       round((gg).v::numeric, 4) AS v, round((gg).loglik::numeric, 1) AS loglik,
       (gg).n, (gg).skipped, (gg).iterations, (gg).converged
FROM value_models;
SELECT coalesce((bg).converged, false) AS bg_ok, coalesce((gg).converged, false) AS gg_ok,
       to_regclass('demo_truth') IS NOT NULL AS generated
FROM value_models \gset
\if :generated
\echo
\echo '== Estimates against the parameters that generated the orders (z = (estimate - true) / standard error) =='
SELECT t.model, t.param, t.value AS true_value, round(e.est::numeric, 4) AS estimate,
       round(e.se::numeric, 4) AS std_error, round(((e.est - t.value) / e.se)::numeric, 2) AS z
FROM demo_truth t
JOIN (SELECT 'bgnbd' AS model, p.* FROM value_models,
        LATERAL (VALUES ('r', (bg).r, (bg).se_r), ('alpha', (bg).alpha, (bg).se_alpha),
                        ('a', (bg).a, (bg).se_a), ('b', (bg).b, (bg).se_b)) AS p(param, est, se)
      UNION ALL
      SELECT 'gamma_gamma', p.* FROM value_models,
        LATERAL (VALUES ('p', (gg).p, (gg).se_p), ('q', (gg).q, (gg).se_q),
                        ('v', (gg).v, (gg).se_v)) AS p(param, est, se)) e USING (model, param)
ORDER BY t.model, t.param;
\endif

\if :bg_ok
\else
\echo
\echo 'THE BG/NBD FIT DID NOT CONVERGE: its parameters are not estimates of anything (see README,'
\echo '"Models and predictions"); no P(alive), expected purchases or predictive CLV is printed.'
\endif
\if :gg_ok
\else
\echo
\echo 'THE GAMMA-GAMMA FIT DID NOT CONVERGE: no expected spend or predictive CLV is printed.'
\endif
\if :bg_ok
\if :gg_ok

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
\endif
\endif
