#!/usr/bin/env bash
# Benchmark of the model fits (README, "Performance"): fit time and state size for
# simulated customer summaries of 25k (CDNOW-like, weeks), 1M and 10M
# customers (days).
#
#   bash bench/fits.sh [sizes...]      default: 25000 1000000 10000000
#   bash bench/fits.sh hard [n]        hard data only (default 20000 customers)
#
# Each fit runs 5 times in one session; the best and median wall times are
# reported.  Memory: the fit state (32 bytes per distinct row in its flat
# form) measured with pg_column_size of the state.
# Where a fit's time goes: the scan alone (sum(x)) and building the state
# without fitting (fit_state_of/spend_state_of: the fits' transition
# functions with no final function).  Then the predictions over every
# customer (serial, best and median of 3).
#
# "hard": each count model on ordinary data and on data that is hard to
# fit, n customers each, same n, one session: no dropout (Pareto/NBD s =
# 0.0005), almost only one-time buyers (alpha = 2000), no heterogeneity in
# the purchase rate (r = 500, alpha = 5000), and BG/NBD data without
# dropout (a = 0.0001: the optimum on the boundary).  Reports time, the
# ratio to the ordinary fit of the same model, loglik, iterations,
# converged (median of 3 runs; a fit above 60 s is cut off).
source "$(dirname "$0")/../test/common.sh"
memval_setup
memval_start "max_parallel_workers_per_gather = 2" "shared_buffers = 1GB" "work_mem = 256MB"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(25000 1000000 10000000)
hard=0
if [ "${sizes[0]}" = hard ]; then hard=${sizes[1]:-20000}; sizes=(); fi

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

if [ "$hard" -gt 0 ]; then
	n=$hard
	say "generating hard data, $n customers per kind"
	mv_psql -d postgres <<SQL
DROP TABLE IF EXISTS hd;
CREATE TABLE hd AS
SELECT 'ordinary' AS kind, * FROM pareto_nbd_simulate($n, 0.5, 10, 0.5, 10, 156, 7, 50)
UNION ALL SELECT 'no dropout', * FROM pareto_nbd_simulate($n, 0.5, 10, 0.0005, 10, 156, 7, 50)
UNION ALL SELECT 'one-time buyers', * FROM pareto_nbd_simulate($n, 0.5, 2000, 0.5, 10, 156, 7, 50)
UNION ALL SELECT 'no heterogeneity', * FROM pareto_nbd_simulate($n, 500, 5000, 0.5, 10, 156, 7, 50)
UNION ALL SELECT 'boundary (BG/NBD a -> 0)', * FROM bgnbd_simulate($n, 0.5, 10, 0.0001, 5, 156, 7, 50);
VACUUM ANALYZE hd;
CREATE FUNCTION hard_fit(m text, k text, n int DEFAULT 3) RETURNS text LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz; ms float8[] := '{}'; r record; med float8; base float8;
BEGIN
  SET LOCAL statement_timeout = '60s';
  FOR i IN 1..n LOOP
    t0 := clock_timestamp();
    EXECUTE format('SELECT (f).* FROM (SELECT %s(x, t_x, t) f FROM hd WHERE kind = %L) s', m, k) INTO r;
    ms := ms || (extract(epoch FROM clock_timestamp() - t0) * 1000)::float8;
  END LOOP;
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) INTO med FROM unnest(ms) v;
  RETURN format('%s ms | loglik %s | %s iterations | converged %s', round(med::numeric, 1),
                round(r.loglik::numeric, 4), r.iterations, r.converged);
EXCEPTION WHEN query_canceled THEN
  RETURN '> 60 s (cut off)';
END \$\$;
SQL
	echo "== hard data, $n customers per kind (median of 3)"
	for m in bgnbd_fit mbgnbd_fit pareto_nbd_fit; do
		base=
		for k in 'ordinary' 'no dropout' 'one-time buyers' 'no heterogeneity' 'boundary (BG/NBD a -> 0)'; do
			r=$(mv_psql -d postgres -At -c "SET max_parallel_workers_per_gather = 0" -c "SELECT hard_fit('$m', '$k')")
			ms=${r%% ms*}
			[ -n "$base" ] || base=$ms
			# the ratio to the ordinary fit of the same model, in this run
			ratio=$(awk -v a="$ms" -v b="$base" 'BEGIN { if (a ~ /^[0-9.]+$/) printf "%.1fx", a / b; else print "-" }')
			echo "$m | $k | $r | $ratio"
		done
	done
fi
