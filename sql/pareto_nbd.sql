-- Pareto/NBD through the fit framework: closed-form unconditional
-- expectation (Fader & Hardie note 009 eq. 27), consistency of the
-- predictions, parameter recovery, penalised and parallel fits.
CREATE SCHEMA fit_pareto_nbd;
SET search_path = fit_pareto_nbd, public;
CREATE TEMP TABLE m AS SELECT pareto_nbd(0.553, 10.578, 0.606, 11.669) AS m;
SELECT h, abs(expected_purchases(m, h) / e - 1) < 1e-9 AS ok
FROM m, (VALUES (1, 0.050979843245990884), (39, 1.2130028442810157), (365, 4.538302495447644)) v(h, e)
ORDER BY h;
SELECT abs(sum(probability_of_purchases(m, n, 39)) - 1) < 1e-8 AS sums_to_1,
       abs(sum(n * probability_of_purchases(m, n, 39)) / expected_purchases(m, 39) - 1) < 1e-6 AS mean_ok
FROM m, generate_series(0, 600) n GROUP BY m;
-- a customer seen at time 0 with no history is the population: E equals the unconditional E
SELECT abs(expected_purchases(m, 39, 0, 0, 0) / expected_purchases(m, 39) - 1) < 1e-9 AS new_customer_ok,
       p_alive(m, 0, 0, 0) AS p_alive_at_0,
       p_alive(m, 5, 38, 38.86) > p_alive(m, 5, 10, 38.86) AS recent_more_alive
FROM m;

-- parameter recovery
CREATE TEMP TABLE sim AS SELECT * FROM pareto_nbd_simulate(20000, 0.55, 10.5, 0.6, 11.7, 39, 21, 10);
SELECT f.n, f.converged,
       abs(f.r - 0.55) < 3 * f.se_r AS r_ok, abs(f.alpha - 10.5) < 3 * f.se_alpha AS alpha_ok,
       abs(f.s - 0.6) < 3 * f.se_s AS s_ok, abs(f.beta - 11.7) < 3 * f.se_beta AS beta_ok
FROM (SELECT (pareto_nbd_fit(x, t_x, t)).* FROM sim) f;
SELECT abs(sum(loglik(f, x, t_x, t)) / (f).loglik - 1) < 1e-12 AS loglik_is_sum
FROM sim, (SELECT pareto_nbd_fit(x, t_x, t) f FROM sim) s GROUP BY f;
-- penalised (lifetimes: -LL + penalizer * (r^2 + (alpha/max t)^2 + s^2 + (beta/max t)^2))
CREATE TEMP TABLE pf AS SELECT pareto_nbd_fit(x, t_x, t, 10) f FROM sim;
CREATE FUNCTION pg_temp.obj(m pareto_nbd) RETURNS float8 LANGUAGE sql AS $$
  SELECT -sum(loglik(m, x, t_x, t)) + 10 * ((m).r ^ 2 + ((m).alpha / max(t)) ^ 2 + (m).s ^ 2 + ((m).beta / max(t)) ^ 2)
  FROM sim $$;
SELECT bool_and(pg_temp.obj(pareto_nbd((f).r * e1, (f).alpha * e2, (f).s * e3, (f).beta * e4))
                > pg_temp.obj(f)) AS penalised_minimum
FROM pf,
     LATERAL (SELECT 1 + d1 * 1e-4, 1 + d2 * 1e-4, 1 + d3 * 1e-4, 1 + d4 * 1e-4
              FROM generate_series(-1, 1) d1, generate_series(-1, 1) d2,
                   generate_series(-1, 1) d3, generate_series(-1, 1) d4
              WHERE (d1, d2, d3, d4) <> (0, 0, 0, 0)) e(e1, e2, e3, e4);

-- errors
SELECT pareto_nbd_fit(x, t_x, t) FROM (VALUES (0.0, 0.0, 5.0)) v(x, t_x, t);
SELECT pareto_nbd_fit(x, t_x, t) FROM (VALUES (0.0, 1.0, 5.0)) v(x, t_x, t);
SELECT probability_of_purchases(pareto_nbd(0.553, 10.578, 0.606, 11.669), 2000000, 39);

-- parallel fit = serial fit
CREATE TABLE pn_par AS SELECT * FROM sim;
ANALYZE pn_par;
-- fit_combine's COST keeps fits serial by default: make the parallel plan cheap
ALTER FUNCTION fit_combine(fit_state, fit_state) COST 1;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT pareto_nbd_fit(x, t_x, t) FROM pn_par;
SELECT pareto_nbd_fit(x, t_x, t)::text AS par_fit FROM pn_par \gset
SET max_parallel_workers_per_gather = 0;
SELECT pareto_nbd_fit(x, t_x, t)::text = :'par_fit' AS serial_equals_parallel FROM pn_par;
RESET ALL;
ALTER FUNCTION fit_combine(fit_state, fit_state) COST 20000000;
SET search_path = fit_pareto_nbd, public;
DROP TABLE pn_par;
