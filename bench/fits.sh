#!/usr/bin/env bash
# Benchmark of the model fits (README, "Performance"): fit time and state size for
# simulated customer summaries of 25k (CDNOW-like, weeks), 1M and 10M
# customers (days).
#
#   bash bench/fits.sh [sizes...]      default: 25000 1000000 10000000
#
# Each fit runs 5 times in one session; the best and median wall times are
# reported.  Memory: the fit state (32 bytes per distinct row in its flat
# form) measured with pg_column_size of the state.
# Where a fit's time goes: the scan alone (sum(x)) and building the state
# without fitting (fit_state_of/spend_state_of: the fits' transition
# functions with no final function).  Then the predictions over every
# customer (serial, best and median of 3).
source "$(dirname "$0")/../test/common.sh"
memval_setup
memval_start "max_parallel_workers_per_gather = 2" "shared_buffers = 1GB" "work_mem = 256MB"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(25000 1000000 10000000)

mv_psql -d postgres <<'SQL'
CREATE EXTENSION memval;
CREATE AGGREGATE fit_state_of(float8, float8, float8) (SFUNC = fit_count_trans, STYPE = fit_state, COMBINEFUNC = fit_combine, PARALLEL = SAFE);
CREATE AGGREGATE spend_state_of(float8, float8) (SFUNC = fit_spend_trans, STYPE = fit_state, COMBINEFUNC = fit_combine, PARALLEL = SAFE);
CREATE FUNCTION bench(q text, n int DEFAULT 5) RETURNS text LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; ms float8[] := '{}'; r text;
BEGIN
  FOR i IN 1..n LOOP
    t0 := clock_timestamp();
    EXECUTE q INTO r;
    ms := ms || (extract(epoch FROM clock_timestamp() - t0) * 1000)::float8;
  END LOOP;
  SELECT format('best %s ms, median %s ms', round(min(v)::numeric, 1),
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY v))::numeric, 1))
    INTO r FROM unnest(ms) v;
  RETURN r;
END $$;
SQL

for n in "${sizes[@]}"; do
	if [ "$n" -le 100000 ]; then
		# CDNOW-like: weeks, first purchases over 12 weeks, 39-week calibration, whole days
		gen="SELECT customer_id, x, round(t_x * 7) / 7 AS t_x, round(t * 7) / 7 AS t,
		            round(gamma_gamma_simulate(x, 6.25, 3.74, 15.44, 1, customer_id)::numeric, 2)::float8 AS m
		     FROM bgnbd_simulate($n, 0.243, 4.414, 0.793, 2.426, 39, 1, 27)"
	else
		# days: a year of data, whole days
		gen="SELECT customer_id, x, round(t_x) AS t_x, round(t) AS t,
		            round(gamma_gamma_simulate(x, 6.25, 3.74, 15.44, 1, customer_id)::numeric, 2)::float8 AS m
		     FROM bgnbd_simulate($n, 0.243, 30.9, 0.793, 2.426, 365, 1, 1)"
	fi
	say "generating $n customers"
	mv_psql -d postgres -c "DROP TABLE IF EXISTS s" -c "CREATE TABLE s AS $gen" -c "VACUUM ANALYZE s"
	reps=5; [ "$n" -ge 10000000 ] && reps=3
	echo "== $n customers"
	mv_psql -d postgres -At <<SQL
SELECT 'distinct (x, t_x, t): ' || count(*) FROM (SELECT DISTINCT x, t_x, t FROM s) d;
SELECT 'count state: ' || pg_size_pretty(pg_column_size(fit_state_of(x, t_x, t))::bigint) FROM s;
SELECT 'spend state: ' || pg_size_pretty(pg_column_size(spend_state_of(x, m))::bigint) FROM s;
SET max_parallel_workers_per_gather = 0;
SELECT 'serial   sum(x), the scan:       ' || bench('SELECT sum(x)::text FROM s', $reps);
SELECT 'serial   count state, no fit:    ' || bench('SELECT pg_column_size(fit_state_of(x, t_x, t))::text FROM s', $reps);
SELECT 'serial   spend state, no fit:    ' || bench('SELECT pg_column_size(spend_state_of(x, m))::text FROM s', $reps);
SELECT 'serial   bgnbd_fit:       ' || bench('SELECT bgnbd_fit(x, t_x, t)::text FROM s', $reps);
SELECT 'serial   mbgnbd_fit:      ' || bench('SELECT mbgnbd_fit(x, t_x, t)::text FROM s', $reps);
SELECT 'serial   pareto_nbd_fit:  ' || bench('SELECT pareto_nbd_fit(x, t_x, t)::text FROM s', $reps);
SELECT 'serial   gamma_gamma_fit: ' || bench('SELECT gamma_gamma_fit(x, m)::text FROM s', $reps);
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SELECT 'parallel bgnbd_fit:       ' || bench('SELECT bgnbd_fit(x, t_x, t)::text FROM s', $reps);
SELECT 'parallel gamma_gamma_fit: ' || bench('SELECT gamma_gamma_fit(x, m)::text FROM s', $reps);
SELECT 'fit: ' || bgnbd_fit(x, t_x, t)::text FROM s;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE mm AS SELECT bgnbd_fit(x, t_x, t) bg, pareto_nbd_fit(x, t_x, t) pn, gamma_gamma_fit(x, m) gg FROM s;
SELECT 'predict  sum(x) (scan only):     ' || bench('SELECT sum(x) FROM s, mm', 3);
SELECT 'predict  p_alive(bgnbd):         ' || bench('SELECT sum(p_alive(bg, x, t_x, t)) FROM s, mm', 3);
SELECT 'predict  expected_purchases(bg): ' || bench('SELECT sum(expected_purchases(bg, 90, x, t_x, t)) FROM s, mm', 3);
SELECT 'predict  expected_purchases(pn): ' || bench('SELECT sum(expected_purchases(pn, 90, x, t_x, t)) FROM s, mm', 3);
SELECT 'predict  clv(bg, gg, 12 months): ' || bench('SELECT sum(clv(bg, gg, x, t_x, t, m, 12)) FROM s, mm', 3);
SQL
done
