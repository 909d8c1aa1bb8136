#!/usr/bin/env bash
# Cancellation (issue 14, item 4): statement_timeout = '200ms' stops each long
# memval statement within 1 s, and the session is usable afterwards.
#
#   bash test/cancel.sh [rows]        default 10,000,000 (10M)
#
# Statements: a Pareto/NBD fit over `rows` simulated customers (both while the
# rows are read and, with a later timeout, inside the fit's final function),
# rfm_score() OVER () over `rows` summaries, rfm_breaks over `rows`
# summaries, the simulator itself, and the cohort retention over `rows`
# orders of rows/10 customers (the whole query; cohort_table() over the
# stored per-customer activities, monthly and weekly, the weekly one also
# with the timeout seconds into building its cells).  Prints one line per statement with
# the time from the timeout to the error; fails if any exceeds 1 s, if a
# statement is not cancelled, or if the session does not answer afterwards.
# Not in CI (building the 10M-row tables takes minutes on a small machine).
source "$(dirname "$0")/common.sh"
rows=${1:-10000000}
memval_setup
memval_start "max_parallel_workers_per_gather = 0" "work_mem = '64MB'"
mv_psql -d postgres -c 'CREATE DATABASE memval_cancel'
say "building the $rows-row tables"
mv_psql -d memval_cancel <<SQL
CREATE EXTENSION memval;
CREATE UNLOGGED TABLE sim AS SELECT x, t_x, t FROM pareto_nbd_simulate($rows, 0.55, 10.6, 0.61, 11.7, 100, 14, 1);
CREATE UNLOGGED TABLE summaries AS
	SELECT ROW(recency, frequency, monetary, monetary / frequency, NULL, NULL, recency + 30, 0)::rfm AS r
	FROM (SELECT (g * 7919 % 3650)::float8 / 10 AS recency, 1 + g % 23 AS frequency,
	             round((g * 104729 % 1000000) / 100.0, 2) AS monetary FROM generate_series(1::bigint, $rows) g) s;
CREATE UNLOGGED TABLE orders AS
	SELECT g % ($rows / 10) AS customer_id,
	       timestamptz '2016-01-04' + (g * 7919 % 315360000) * interval '1 second' AS order_ts,
	       ((g * 104729) % 100000) / 100.0 AS amount
	FROM generate_series(1::bigint, $rows) g;
VACUUM ANALYZE sim; VACUUM ANALYZE summaries; VACUUM ANALYZE orders;
SET work_mem = '1GB';
CREATE UNLOGGED TABLE activities AS
	SELECT customer_id, cohort_activity(order_ts, amount, '1 month', 'UTC') AS a,
	       cohort_activity(order_ts, amount, '1 week', 'UTC') AS w
	FROM orders GROUP BY customer_id;
VACUUM ANALYZE activities;
SQL

fails=0
# cancel_case NAME TIMEOUT_MS SQL
cancel_case() {
	local name=$1 ms=$2 sql=$3 out
	out=$(mv_psql -d memval_cancel -At -v ON_ERROR_STOP=0 2>&1 <<SQL
SELECT clock_timestamp() AS t0 \gset
SET statement_timeout = '${ms}ms';
$sql;
SELECT 'latency_ms=' || round((extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000 - $ms)::numeric, 1);
RESET statement_timeout;
SELECT 'usable=' || (SELECT count(*) FROM (VALUES (1), (2)) v(x));
SQL
)
	local lat usable cancelled
	lat=$(echo "$out" | sed -n 's/^latency_ms=//p')
	usable=$(echo "$out" | sed -n 's/^usable=//p')
	cancelled=$(echo "$out" | grep -c 'canceling statement due to statement timeout' || true)
	printf '%-58s timeout %5s ms  cancelled %s  latency %8s ms  session %s\n' "$name" "$ms" \
		"$([ "$cancelled" = 1 ] && echo yes || echo NO)" "$lat" "$([ "$usable" = 2 ] && echo ok || echo BROKEN)"
	if [ "$cancelled" != 1 ] || [ "$usable" != 2 ] || [ -z "$lat" ] || \
	   [ "$(echo "$lat > 1000" | bc)" = 1 ]; then
		fails=$((fails + 1))
		echo "$out" | grep -v '^latency\|^usable' | head -5
	fi
}

# How long the fit's transition phase takes alone (an aggregate without
# final function): a timeout well past it lands in the final function (the
# optimizer's passes over the distinct rows), which on 10M distinct rows
# runs for minutes.
timed() { mv_psql -d memval_cancel -At <<SQL | tail -1
SELECT clock_timestamp() AS t0 \gset
$1;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000)
SQL
}
mv_psql -d memval_cancel -c 'CREATE AGGREGATE fit_state_only(float8, float8, float8) (SFUNC = fit_count_trans, STYPE = fit_state)'
trans_ms=$(timed "SELECT fit_state_only(x, t_x, t) IS NULL FROM sim")
scan_ms=$(timed "SELECT count(r) FROM summaries")
say "rows = $rows; reading them into the fit's state takes ${trans_ms} ms, reading the summaries ${scan_ms} ms"

echo "cancellation with statement_timeout (latency = time from the timeout to the error):"
cancel_case "pareto_nbd_fit over $rows simulated customers" 200 \
	"SELECT pareto_nbd_fit(x, t_x, t) FROM sim"
cancel_case "pareto_nbd_fit, timeout inside the final function" $((trans_ms * 6 / 5 + 1000)) \
	"SELECT pareto_nbd_fit(x, t_x, t) FROM sim"
cancel_case "rfm_score(r) OVER () over $rows rows" 200 \
	"SELECT count(s) FROM (SELECT rfm_score(r) OVER () AS s FROM summaries) w"
cancel_case "rfm_breaks(r) over $rows rows" 200 \
	"SELECT rfm_breaks(r) FROM summaries"
cancel_case "rfm_breaks(r, 10) over $rows rows" 200 \
	"SELECT rfm_breaks(r, 10) FROM summaries"
cancel_case "rfm_score(r) OVER (), timeout after the rows are read" $((scan_ms * 6 / 5 + 500)) \
	"SELECT count(s) FROM (SELECT rfm_score(r) OVER () AS s FROM summaries) w"
cancel_case "rfm_breaks(r), timeout after the rows are read" $((scan_ms * 6 / 5 + 500)) \
	"SELECT rfm_breaks(r) FROM summaries"
cancel_case "pareto_nbd_simulate($rows)" 200 \
	"SELECT count(*) FROM pareto_nbd_simulate($rows, 0.55, 10.6, 0.61, 11.7, 100, 14)"
cancel_case "cohort retention (monthly) over $rows orders, whole query" 200 \
	"SELECT count(*) FROM cohort_retention((SELECT cohort_table(a) FROM (SELECT cohort_activity(order_ts, amount, '1 month', 'UTC') AS a FROM orders GROUP BY customer_id) s))"
cancel_case "cohort_table(a) over $((rows / 10)) monthly activities" 200 \
	"SELECT cohort_table(a) IS NULL FROM activities"
cancel_case "cohort_table(a) over $((rows / 10)) weekly activities" 200 \
	"SELECT cohort_table(w) IS NULL FROM activities"
weekly_ms=$(timed "SELECT cohort_table(w) IS NULL FROM activities")
say "cohort_table over the weekly activities takes ${weekly_ms} ms"
cancel_case "cohort_table(a) over $((rows / 10)) weekly activities, timeout halfway" $((weekly_ms / 2)) \
	"SELECT cohort_table(w) IS NULL FROM activities"
echo "cancel: $fails failure(s)"
[ "$fails" -eq 0 ]
