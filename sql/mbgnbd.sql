-- MBG/NBD (Batislam et al. 2007 with Wagner & Hoppe's erratum, as lifetimes'
-- ModifiedBetaGeoFitter): likelihood and predictions against independently
-- computed closed forms, parameter recovery, parallel fit.
CREATE SCHEMA fit_mbgnbd;
SET search_path = fit_mbgnbd, public;
CREATE TEMP TABLE ref(x float8, t_x float8, t float8, ll float8, e39 float8, pa float8);
INSERT INTO ref VALUES
 (0, 0, 38.86, -0.539837463531015, 0.15401274667514553, 0.3897350809187629),
 (1, 1.71, 38.86, -4.460360612584316, 0.18883654136434203, 0.17083648431040802),
 (2, 30.43, 38.86, -9.48555131453393, 1.2629606232673563, 0.7062022651184873),
 (5, 20.0, 30.0, -16.21028455360845, 2.4912938210367948, 0.5541314399065831),
 (10, 35.5, 38.0, -27.165681616375405, 6.259967934818621, 0.8759446761182589);
CREATE TEMP TABLE m AS SELECT mbgnbd(0.525, 6.183, 0.891, 1.614) AS m;
SELECT x, t_x, t,
       abs(loglik(m, x, t_x, t) / ll - 1) < 1e-9 AS ll_ok,
       abs(expected_purchases(m, 39, x, t_x, t) / e39 - 1) < 1e-9 AS e_ok,
       abs(p_alive(m, x, t_x, t) / pa - 1) < 1e-9 AS pa_ok,
       round(p_alive(m, x, t_x, t)::numeric, 4) AS p_alive
FROM ref, m ORDER BY x;
SELECT h, abs(expected_purchases(m, h) / e - 1) < 1e-9 AS ok
FROM m, (VALUES (1, 0.053084795263698685), (39, 1.182953665597178), (365, 3.8282973556203266)) v(h, e)
ORDER BY h;
SELECT n, abs(probability_of_purchases(m, n, 39) / p - 1) < 1e-9 AS ok
FROM m, (VALUES (0, 0.5824731894932887), (1, 0.18278307728754056), (3, 0.04857044295156919),
                (10, 0.003626187795290008)) v(n, p)
ORDER BY n;
SELECT abs(sum(probability_of_purchases(m, n, 39)) - 1) < 1e-9 AS sums_to_1,
       abs(sum(n * probability_of_purchases(m, n, 39)) / expected_purchases(m, 39) - 1) < 1e-7 AS mean_ok
FROM m, generate_series(0, 400) n GROUP BY m;
-- predictive CLV as lifetimes' customer_lifetime_value (weekly units: 4.345 per month)
SELECT abs(clv(m, gamma_gamma(6.25, 3.74, 15.44), 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345)
           / 37.20189521892327 - 1) < 1e-9 AS clv_ok FROM m;

-- parameter recovery
CREATE TEMP TABLE sim AS SELECT * FROM mbgnbd_simulate(20000, 0.5, 6.0, 0.9, 1.6, 39, 11, 10);
SELECT f.n, f.converged,
       abs(f.r - 0.5) < 3 * f.se_r AS r_ok, abs(f.alpha - 6.0) < 3 * f.se_alpha AS alpha_ok,
       abs(f.a - 0.9) < 3 * f.se_a AS a_ok, abs(f.b - 1.6) < 3 * f.se_b AS b_ok
FROM (SELECT (mbgnbd_fit(x, t_x, t)).* FROM sim) f;
SELECT abs(sum(loglik(f, x, t_x, t)) / (f).loglik - 1) < 1e-12 AS loglik_is_sum
FROM sim, (SELECT mbgnbd_fit(x, t_x, t) f FROM sim) s GROUP BY f;

-- errors
SELECT mbgnbd_fit(x, t_x, t) FROM (VALUES (1.5, 1.0, 10.0)) v(x, t_x, t);
SELECT mbgnbd_fit(x, t_x, t, -1) FROM (VALUES (1.0, 1.0, 10.0)) v(x, t_x, t);
SELECT expected_purchases(mbgnbd(0.525, 6.183, 0.891, 1.614), -1, 1, 1, 2);

-- parallel fit = serial fit
CREATE TABLE mbg_par AS SELECT * FROM mbgnbd_simulate(30000, 0.5, 6.0, 0.9, 1.6, 39, 5, 10);
ANALYZE mbg_par;
-- fit_combine's COST keeps fits serial by default: make the parallel plan cheap
ALTER FUNCTION fit_combine(fit_state, fit_state) COST 1;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT mbgnbd_fit(x, t_x, t) FROM mbg_par;
SELECT mbgnbd_fit(x, t_x, t)::text AS par_fit FROM mbg_par \gset
SET max_parallel_workers_per_gather = 0;
SELECT mbgnbd_fit(x, t_x, t)::text = :'par_fit' AS serial_equals_parallel FROM mbg_par;
RESET ALL;
ALTER FUNCTION fit_combine(fit_state, fit_state) COST 20000000;
SET search_path = fit_mbgnbd, public;
DROP TABLE mbg_par;
