-- BG/NBD: likelihood and predictions against the closed forms of Fader,
-- Hardie & Lee (2005) computed independently (eq. 6, 8, 9, 10, note 021),
-- parameter recovery on simulated data, penalised fits, parallel fit.
CREATE SCHEMA fit_bgnbd;
SET search_path = fit_bgnbd, public;
SET extra_float_digits = 0;
CREATE TEMP TABLE ref(x float8, t_x float8, t float8, ll float8, e39 float8, pa float8);
INSERT INTO ref VALUES
 (0, 0, 38.86, -0.5547132764381585, 0.19509805201125396, 1.0),
 (1, 1.71, 38.86, -4.46909327503259, 0.20318698707975696, 0.2121009853773791),
 (2, 30.43, 38.86, -9.45860630706627, 1.226028174767135, 0.726578570080673),
 (5, 20.0, 30.0, -16.309929093600317, 2.624809970343415, 0.5725657705642778),
 (10, 35.5, 38.0, -27.190177005842152, 6.549600497624204, 0.8854969314024523);
CREATE TEMP TABLE m AS SELECT bgnbd(0.243, 4.414, 0.793, 2.426) AS m;
SELECT (m).* FROM m;
SELECT x, t_x, t,
       abs(loglik(m, x, t_x, t) / ll - 1) < 1e-9 AS ll_ok,
       abs(expected_purchases(m, 39, x, t_x, t) / e39 - 1) < 1e-9 AS e_ok,
       abs(p_alive(m, x, t_x, t) / pa - 1) < 1e-9 AS pa_ok,
       round(expected_purchases(m, 39, x, t_x, t)::numeric, 3) AS e39
FROM ref, m ORDER BY x;
-- unconditional expectation (eq. 9) and P(X(t) = n) (eq. 8)
SELECT h, abs(expected_purchases(m, h) / e - 1) < 1e-9 AS ok
FROM m, (VALUES (1, 0.05326789117165627), (39, 1.1967231933208031), (365, 4.228901214301313)) v(h, e)
ORDER BY h;
SELECT n, abs(probability_of_purchases(m, n, 39) / p - 1) < 1e-9 AS ok
FROM m, (VALUES (0, 0.5737863520960094), (1, 0.19939528083591124), (3, 0.04586035384799968),
                (10, 0.003590429540189672)) v(n, p)
ORDER BY n;
-- the distribution sums to 1 and its mean is eq. 9
SELECT abs(sum(probability_of_purchases(m, n, 39)) - 1) < 1e-9 AS sums_to_1,
       abs(sum(n * probability_of_purchases(m, n, 39)) / expected_purchases(m, 39) - 1) < 1e-7 AS mean_ok
FROM m, generate_series(0, 400) n GROUP BY m;
SELECT expected_purchases(m, 0, 2, 30.43, 38.86) AS zero_horizon FROM m;

-- parameter recovery: 20000 simulated customers, each estimate within 3 standard errors
CREATE TEMP TABLE sim AS
SELECT * FROM bgnbd_simulate(20000, 0.25, 4.0, 0.8, 2.5, 39, 42, 10);
SELECT f.n, f.converged,
       abs(f.r - 0.25) < 3 * f.se_r AS r_ok, abs(f.alpha - 4.0) < 3 * f.se_alpha AS alpha_ok,
       abs(f.a - 0.8) < 3 * f.se_a AS a_ok, abs(f.b - 2.5) < 3 * f.se_b AS b_ok
FROM (SELECT (bgnbd_fit(x, t_x, t)).* FROM sim) f;
-- the fit's loglik is the sum of the per-customer log-likelihoods at its parameters
SELECT abs(sum(loglik(f, x, t_x, t)) / (f).loglik - 1) < 1e-12 AS loglik_is_sum
FROM sim, (SELECT bgnbd_fit(x, t_x, t) f FROM sim) s GROUP BY f;
-- the simulator is deterministic
SELECT count(*), sum(x), round(sum(t_x)::numeric, 6) FROM bgnbd_simulate(1000, 0.25, 4.0, 0.8, 2.5, 39, 7);
SELECT count(*), sum(x), round(sum(t_x)::numeric, 6) FROM bgnbd_simulate(1000, 0.25, 4.0, 0.8, 2.5, 39, 7);

-- penalised fit (lifetimes: mean -LL + penalizer * (r^2 + (alpha/max t)^2 + a^2 + b^2)):
-- the fitted point minimises that objective (no better point nearby)
CREATE TEMP TABLE pf AS SELECT bgnbd_fit(x, t_x, t, 0.05) f FROM sim;
CREATE FUNCTION pg_temp.obj(m bgnbd) RETURNS float8 LANGUAGE sql AS $$
  SELECT -avg(loglik(m, x, t_x, t)) + 0.05 * ((m).r ^ 2 + ((m).alpha / max(t)) ^ 2 + (m).a ^ 2 + (m).b ^ 2)
  FROM sim $$;
SELECT bool_and(pg_temp.obj(bgnbd((f).r * e1, (f).alpha * e2, (f).a * e3, (f).b * e4))
                > pg_temp.obj(f)) AS penalised_minimum,
       (f).r < (SELECT r FROM (SELECT (bgnbd_fit(x, t_x, t)).* FROM sim) u) AS shrunk
FROM pf,
     LATERAL (SELECT 1 + d1 * 1e-4, 1 + d2 * 1e-4, 1 + d3 * 1e-4, 1 + d4 * 1e-4
              FROM generate_series(-1, 1) d1, generate_series(-1, 1) d2,
                   generate_series(-1, 1) d3, generate_series(-1, 1) d4
              WHERE (d1, d2, d3, d4) <> (0, 0, 0, 0)) e(e1, e2, e3, e4)
GROUP BY f;

-- the state type: exact text form, compression of identical rows
SELECT fit_count_trans(fit_count_trans(fit_count_trans(NULL, 2, 30.43, 38.86), 0, 0, 38.86), 2, 30.43, 38.86);
SELECT 'count pen=0.5 skipped=0 0:0:38.86*3 2:30.43:38.86*2'::fit_state;
SELECT (bgnbd_fit_final('count pen=none skipped=0 0:0:38.86*3 2:30.43:38.86*2 1:10:20*4 3:5:6*1')).n;
-- binary send/recv round trip (through COPY BINARY)
CREATE TABLE st_bin(s fit_state);
INSERT INTO st_bin VALUES ('count pen=0.5 skipped=0 0:0:38.86*3 2:30.43:38.86*2'),
                          ('spend pen=none skipped=7 1:10.5:0*2 3:20:0*1');
SELECT 'cat > /tmp/memval_fit_state_' || pg_backend_pid() || '.bin' AS bin_out,
       'f=/tmp/memval_fit_state_' || pg_backend_pid() || '.bin; cat $f && rm -f $f' AS bin_in \gset
COPY st_bin TO PROGRAM :'bin_out' (FORMAT binary);
CREATE TABLE st_bin2(s fit_state);
COPY st_bin2 FROM PROGRAM :'bin_in' (FORMAT binary);
SELECT s FROM st_bin2 ORDER BY s::text;
SELECT fit_state_send('count pen=none skipped=0 1:2:3*4');

-- errors
SELECT bgnbd_fit(x, t_x, t) FROM (VALUES (-1.0, 0.0, 10.0)) v(x, t_x, t);
SELECT bgnbd_fit(x, t_x, t) FROM (VALUES (1.0, 11.0, 10.0)) v(x, t_x, t);
SELECT bgnbd_fit(x, t_x, t) FROM (VALUES (0.0, 0.0, 10.0), (0.0, 0.0, 20.0)) v(x, t_x, t);
SELECT p_alive(bgnbd(0.243, 4.414, 0.793, 2.426), 1, 5, 'NaN');
SELECT probability_of_purchases(bgnbd(0.243, 4.414, 0.793, 2.426), -1, 39);
SELECT bgnbd(0, 1, 1, 1);

-- parallel fit = serial fit
CREATE TABLE bg_par AS SELECT * FROM bgnbd_simulate(30000, 0.25, 4.0, 0.8, 2.5, 39, 5, 10);
ANALYZE bg_par;
-- fit_combine's COST keeps fits serial by default: make the parallel plan cheap
ALTER FUNCTION fit_combine(fit_state, fit_state) COST 1;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(x, t_x, t) FROM bg_par;
SELECT bgnbd_fit(x, t_x, t)::text AS par_fit FROM bg_par \gset
SET max_parallel_workers_per_gather = 0;
SELECT bgnbd_fit(x, t_x, t)::text = :'par_fit' AS serial_equals_parallel FROM bg_par;
RESET ALL;
ALTER FUNCTION fit_combine(fit_state, fit_state) COST 20000000;
SET search_path = fit_bgnbd, public;
DROP TABLE bg_par;
