-- Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"; Hardie's note 025):
-- likelihood and expected spend against independent closed forms,
-- skipped rows, parameter recovery, predictive CLV, parallel fit.
CREATE SCHEMA fit_gamma_gamma;
SET search_path = fit_gamma_gamma, public;
CREATE TEMP TABLE m AS SELECT gamma_gamma(6.25, 3.74, 15.44) AS m;
SELECT x, mv, abs(loglik(m, x, mv) / ll - 1) < 1e-9 AS ll_ok,
       abs(expected_spend(m, x, mv) / e - 1) < 1e-12 AS spend_ok,
       round(expected_spend(m, x, mv)::numeric, 4) AS spend
FROM m, (VALUES (1, 11.77, -3.737709678740836, 18.916852057842046),
                (2, 22.35, -3.551316759731714, 24.663713910761153),
                (7, 40.5, -4.3331922783199674, 40.188750268875026)) v(x, mv, ll, e)
ORDER BY x;
-- x = 0: the population mean p*v/(q-1), whatever m
-- m = 0 (free orders only): the shrunk population mean, as lifetimes computes it
SELECT abs(expected_spend(m, 2, 0) / 6.33202099737533 - 1) < 1e-12 AS zero_m_ok FROM m;
SELECT abs(expected_spend(m, 0, NULL) / 35.21897810218978 - 1) < 1e-12 AS mean_ok,
       expected_spend(m, 0, NULL) = expected_spend(m, 0, 99) AS m_ignored,
       expected_spend(m, 3, NULL) IS NULL AS null_m
FROM m;
-- predictive CLV = lifetimes' customer_lifetime_value
SELECT abs(clv(bgnbd(0.243, 4.414, 0.793, 2.426), m, 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345)
           / 36.289211125598925 - 1) < 1e-9 AS clv_ok,
       abs(clv(bgnbd(0.243, 4.414, 0.793, 2.426), m, 0, 0, 38.86, NULL, 6, 0.02, 4.345)
           / 4.443955929453435 - 1) < 1e-9 AS clv_x0_ok,
       clv(bgnbd(0.243, 4.414, 0.793, 2.426), m, 2, 30.43, 38.86, 22.35, 0) AS zero_months
FROM m;

-- parameter recovery; rows with x = 0, NULL m or m <= 0 are skipped and counted
CREATE TEMP TABLE sim AS
SELECT customer_id, x, gamma_gamma_simulate(x, 6, 4, 15, 3, customer_id) AS m
FROM bgnbd_simulate(30000, 0.5, 4.0, 0.8, 2.5, 60, 9, 20);
INSERT INTO sim VALUES (-1, 2, NULL), (-2, 3, 0), (-3, 1, -5);
SELECT f.n, f.skipped = (SELECT count(*) FROM sim WHERE x = 0 OR m IS NULL OR m <= 0) AS skipped_ok,
       f.converged, abs(f.p - 6) < 3 * f.se_p AS p_ok, abs(f.q - 4) < 3 * f.se_q AS q_ok,
       abs(f.v - 15) < 3 * f.se_v AS v_ok
FROM (SELECT (gamma_gamma_fit(x, m)).* FROM sim) f;
SELECT abs(sum(loglik(f, x, m)) / (f).loglik - 1) < 1e-12 AS loglik_is_sum
FROM sim, (SELECT gamma_gamma_fit(x, m) f FROM sim) s WHERE x > 0 AND m > 0 GROUP BY f;
SELECT 'spend pen=none skipped=2 1:10:0*3 2:20:0*1'::fit_state;

-- errors
SELECT gamma_gamma_fit(x, m) FROM (VALUES (0.0, 1.0), (1.0, NULL)) v(x, m);
SELECT gamma_gamma_fit(x, m) FROM (VALUES (1.0, 'NaN'::float8)) v(x, m);
SELECT gamma_gamma_fit(x, m) FROM (VALUES (1.0, 5.0), (2.0, 5.0)) v(x, m);
SELECT expected_spend(gamma_gamma(1, 0.5, 1), 1, 10);
SELECT expected_spend(m, 2, -1) FROM m;
SELECT clv(bgnbd(0.243, 4.414, 0.793, 2.426), m, 2, 30.43, 38.86, 22.35, -1) FROM m;
SELECT 'count pen=none skipped=0 1:20:10*1'::fit_state;

-- parallel fit = serial fit
CREATE TABLE gg_par AS SELECT * FROM sim;
ANALYZE gg_par;
-- fit_combine's COST keeps fits serial by default: make the parallel plan cheap
ALTER FUNCTION fit_combine(fit_state, fit_state) COST 1;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT gamma_gamma_fit(x, m) FROM gg_par;
SELECT gamma_gamma_fit(x, m)::text AS par_fit FROM gg_par \gset
SET max_parallel_workers_per_gather = 0;
SELECT gamma_gamma_fit(x, m)::text = :'par_fit' AS serial_equals_parallel FROM gg_par;
RESET ALL;
ALTER FUNCTION fit_combine(fit_state, fit_state) COST 20000000;
SET search_path = fit_gamma_gamma, public;
DROP TABLE gg_par;
