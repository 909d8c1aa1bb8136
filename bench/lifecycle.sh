#!/usr/bin/env bash
# Lifecycle benchmarks (issue 12, SPEC §6), interleaved runs, medians:
#  1. the monthly cohort retention table from the orders: memval
#     (cohort_activity per customer, cohort_table, cohort_retention: one
#     pass over the orders) vs the hand-written SQL (first-purchase CTE,
#     join, GROUP BY cohort, period with count(DISTINCT customer)) and vs a
#     tuned SQL (GROUP BY customer, month once, then join and GROUP BY);
#  2. value_score over the customers vs four percent_rank() windows.
#
#   MEMVAL_PGROOT=... MEMVAL_PORT=... bash bench/lifecycle.sh
#   BENCH_ORDERS=1000000 BENCH_CUSTOMERS=100000 BENCH_RUNS=3 bash bench/lifecycle.sh
#
# BENCH_WARMUP=0 skips the warm-up run of each query, BENCH_CHECK=0 the
# comparison of the results (each runs the queries once more).
#
# Defaults: 10M orders over 1M customers (test/data/gen_orders.sql), 3 runs,
# serial plans (max_parallel_workers_per_gather = 0: every side in the same
# setting; with ~10 orders per customer partial aggregation cannot shrink
# the rows on this 2-core machine).
source "$(dirname "$0")/common.sh"
bench_start

tz="'UTC'"
ours="SELECT * FROM cohort_retention((SELECT cohort_table(a) FROM
        (SELECT cohort_activity(order_ts, amount, '1 month', $tz) AS a FROM orders GROUP BY customer_id) s))"
sql="WITH o AS (
        SELECT customer_id, amount, date_trunc('month', order_ts AT TIME ZONE $tz) AS p
        FROM orders WHERE order_ts IS NOT NULL AND amount IS NOT NULL),
     f AS (SELECT customer_id, min(p) FILTER (WHERE amount >= 0) AS cohort FROM o GROUP BY 1),
     sizes AS (SELECT cohort, count(*) AS n FROM f WHERE cohort IS NOT NULL GROUP BY 1)
     SELECT f.cohort, ((extract(year FROM o.p) - extract(year FROM f.cohort)) * 12
                       + extract(month FROM o.p) - extract(month FROM f.cohort))::int AS period,
            s.n AS cohort_size, count(DISTINCT o.customer_id) FILTER (WHERE o.amount >= 0) AS customers,
            count(DISTINCT o.customer_id) FILTER (WHERE o.amount >= 0)::float8 / s.n AS retention,
            count(*) FILTER (WHERE o.amount >= 0) AS purchases, sum(o.amount) AS revenue
     FROM o JOIN f USING (customer_id) JOIN sizes s USING (cohort)
     WHERE o.p >= f.cohort
     GROUP BY f.cohort, 2, s.n"
tuned="WITH cp AS MATERIALIZED (
        SELECT customer_id, date_trunc('month', order_ts AT TIME ZONE $tz) AS p,
               count(*) FILTER (WHERE amount >= 0) AS n, sum(amount) AS rev
        FROM orders WHERE order_ts IS NOT NULL AND amount IS NOT NULL GROUP BY 1, 2),
     f AS (SELECT customer_id, min(p) FILTER (WHERE n > 0) AS cohort FROM cp GROUP BY 1),
     sizes AS (SELECT cohort, count(*) AS n FROM f WHERE cohort IS NOT NULL GROUP BY 1)
     SELECT f.cohort, ((extract(year FROM cp.p) - extract(year FROM f.cohort)) * 12
                       + extract(month FROM cp.p) - extract(month FROM f.cohort))::int AS period,
            s.n AS cohort_size, count(*) FILTER (WHERE cp.n > 0) AS customers,
            count(*) FILTER (WHERE cp.n > 0)::float8 / s.n AS retention,
            sum(cp.n)::bigint AS purchases, sum(cp.rev) AS revenue
     FROM cp JOIN f USING (customer_id) JOIN sizes s USING (cohort)
     WHERE cp.p >= f.cohort
     GROUP BY f.cohort, 2, s.n"

say "value_score table: $BENCH_CUSTOMERS customers"
mv_psql -d memval_bench -c "
	CREATE TABLE vs AS
	SELECT i AS customer_id, (abs(hashint4(i)) % 100000)::float8 / 100 AS c,
	       (abs(hashint4(i * 7)) % 1000)::float8 AS b, (abs(hashint4(i * 13)) % 50)::float8 AS s,
	       ln(1 + abs(hashint4(i * 29)) % 100000) AS p
	FROM generate_series(1, $BENCH_CUSTOMERS) i" -c 'VACUUM (FREEZE, ANALYZE) vs' >/dev/null
vs_ours="SELECT customer_id, value_score(c, b, s, p) OVER () FROM vs"
vs_sql="SELECT customer_id, 40 * percent_rank() OVER (ORDER BY c) + 30 * percent_rank() OVER (ORDER BY b)
               + 10 * percent_rank() OVER (ORDER BY s) + 20 * percent_rank() OVER (ORDER BY p) FROM vs"

run() {	# run NAME... : interleaved medians into m_NAME
	local q t
	if [ "${BENCH_WARMUP:-1}" = 1 ]; then
		for q in "$@"; do bench_time 0 "${!q}" >/dev/null; done
	fi
	for q in "$@"; do eval "t_$q=()"; done
	for i in $(seq "$BENCH_RUNS"); do
		for q in "$@"; do
			t=$(bench_time 0 "${!q}")
			eval "t_$q+=($t)"
			say "run $i: $q $t ms"
		done
	done
	for q in "$@"; do
		eval "m_$q=\$(printf '%s\n' \"\${t_$q[@]}\" | median)"
	done
}

run ours sql tuned
run vs_ours vs_sql

agree="not checked (BENCH_CHECK=0)"
[ "${BENCH_CHECK:-1}" = 1 ] && agree=$(mv_psql -d memval_bench -At -c "
	SELECT (SELECT count(*) FROM ($ours) a) || ' cells; differing from the hand-written SQL: ' ||
	       (SELECT count(*) FROM (($ours) EXCEPT ($sql)) d) || ' and ' || (SELECT count(*) FROM (($sql) EXCEPT ($ours)) d)")
vs_agree="not checked (BENCH_CHECK=0)"
[ "${BENCH_CHECK:-1}" = 1 ] && vs_agree=$(mv_psql -d memval_bench -At -c "
	SELECT count(*) FILTER (WHERE abs(a.v - b.v) > 1e-9) FROM ($vs_ours) a(customer_id, v) JOIN ($vs_sql) b(customer_id, v) USING (customer_id)")

echo
echo "Lifecycle: $BENCH_ORDERS orders, $BENCH_CUSTOMERS customers, numeric amounts, serial, median of $BENCH_RUNS (interleaved)"
echo
echo "| query | memval (s) | hand-written SQL (s) | memval / SQL | SQL / memval |"
echo "|---|---|---|---|---|"
echo "| cohort retention, monthly | $(div "$m_ours" 1000) | $(div "$m_sql" 1000) | $(div "$m_ours" "$m_sql") | $(div "$m_sql" "$m_ours") |"
echo "| cohort retention vs tuned SQL (one GROUP BY customer, month) | $(div "$m_ours" 1000) | $(div "$m_tuned" 1000) | $(div "$m_ours" "$m_tuned") | $(div "$m_tuned" "$m_ours") |"
echo "| value_score vs four percent_rank() | $(div "$m_vs_ours" 1000) | $(div "$m_vs_sql" 1000) | $(div "$m_vs_ours" "$m_vs_sql") | $(div "$m_vs_sql" "$m_vs_ours") |"
echo
echo "Cohort table: $agree.  value_score: $vs_agree customers differ from the percent_rank() windows by more than 1e-9."
echo
echo "Plans measured (serial):"
for q in ours sql tuned vs_ours vs_sql; do
	echo "- $q: $(bench_plan 0 "${!q}")"
done
