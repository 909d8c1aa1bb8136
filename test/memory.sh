#!/usr/bin/env bash
# Bounded memory (issue 14, item 5): rfm() and btyd() use memory in
# proportion to customers (groups), not orders; a fit's memory is in
# proportion to distinct (x, t_x, t) rows, not rows.
#
#   bash test/memory.sh [customers]     default 1000000 (1M)
#
# With c customers (default 1M) the orders tables are
#   base  10c orders over  c customers (10M / 1M), timestamps spread over
#         two years, so a customer's orders fall on ~10 distinct days;
#   wide  50c orders over 5c customers (50M / 5M), the same shape;
#   deep  50c orders over  c customers (50M / 1M), each customer's orders
#         on 10 distinct days (5 orders a day);
# and the fits read c simulated customers (all rows distinct) and 5c
# simulated customers with t_x and t rounded to whole days (few distinct).
# Per query: the backend's peak RSS (VmHWM of /proc/<pid>/status, a fresh
# session each, so the peak is the query's; it includes the shared buffers
# the backend touched, at most shared_buffers = 128MB), and the
# HashAggregate's own "Memory Usage" from EXPLAIN ANALYZE (work_mem high
# enough not to spill).  Prints a Markdown table (pasted into
# bench/RESULTS.md).  Not in CI (the 50M tables take minutes to build).
source "$(dirname "$0")/common.sh"
c=${1:-1000000}
memval_setup
memval_start "max_parallel_workers_per_gather = 0" "work_mem = '4GB'" "shared_buffers = '128MB'"
mv_psql -d postgres -c 'CREATE DATABASE memval_mem'
mv_psql -d memval_mem -c 'CREATE EXTENSION memval'
say "building orders: base $((10 * c)) over $c customers, wide $((50 * c)) over $((5 * c)), deep $((50 * c)) over $c"
t0=$SECONDS
mv_psql -d memval_mem <<SQL
CREATE UNLOGGED TABLE o_base AS SELECT g % $c AS customer_id,
	timestamptz '2024-01-01' + (g * 7919 % 63072000) * interval '1 second' AS ts, ((g * 104729) % 100000) / 100.0 AS amount
	FROM generate_series(1::bigint, $((10 * c))) g;
CREATE UNLOGGED TABLE o_wide AS SELECT g % $((5 * c)) AS customer_id,
	timestamptz '2024-01-01' + (g * 7919 % 63072000) * interval '1 second' AS ts, ((g * 104729) % 100000) / 100.0 AS amount
	FROM generate_series(1::bigint, $((50 * c))) g;
-- deep: order g of customer g % c falls on day ((g / c) % 10) of that customer's 10 days
CREATE UNLOGGED TABLE o_deep AS SELECT g % $c AS customer_id,
	timestamptz '2024-01-01' + ((g % $c) * 37 + (g / $c) % 10 * 61) % 730 * interval '1 day'
	                        + (g * 7919 % 86400) * interval '1 second' AS ts,
	((g * 104729) % 100000) / 100.0 AS amount
	FROM generate_series(1::bigint, $((50 * c))) g;
CREATE UNLOGGED TABLE sim AS SELECT x, t_x, t FROM pareto_nbd_simulate($c, 0.55, 10.6, 0.61, 11.7, 100, 14, 1);
CREATE UNLOGGED TABLE sim_coarse AS SELECT x, round(t_x) AS t_x, round(t) AS t FROM pareto_nbd_simulate($((5 * c)), 0.55, 10.6, 0.61, 11.7, 100, 14, 2);
VACUUM ANALYZE;
SQL
say "built in $((SECONDS - t0)) s"

# measure NAME SQL: peak RSS of a fresh backend running SQL, and the hash table
measure() {
	local name=$1 sql=$2 out t1=$SECONDS
	out=$(mv_psql -d memval_mem -At <<SQL
SELECT pg_backend_pid() AS pid \gset
\\o /dev/null
SELECT 1;
\\o
SELECT 'base=' || (regexp_match(pg_read_file('/proc/' || :pid || '/status'), 'VmHWM:\s+(\d+)'))[1];
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $sql;
SELECT 'peak=' || (regexp_match(pg_read_file('/proc/' || :pid || '/status'), 'VmHWM:\s+(\d+)'))[1];
SQL
)
	local base peak hash disk
	base=$(echo "$out" | sed -n 's/^base=//p')
	peak=$(echo "$out" | sed -n 's/^peak=//p')
	hash=$(echo "$out" | grep -oE 'Memory Usage: [0-9]+kB' | head -1 | grep -oE '[0-9]+' || true)
	disk=$(echo "$out" | grep -oE 'Disk Usage: [0-9]+kB' | head -1 | grep -oE '[0-9]+' || true)
	printf '| %s | %s MB | %s MB | %s | %s s |\n' "$name" $(((peak - base) / 1024)) $((peak / 1024)) \
		"${hash:+$((hash / 1024)) MB}${disk:+ (spilled $((disk / 1024)) MB)}" $((SECONDS - t1))
}

echo
echo "| query | peak RSS growth | peak RSS | hash table | time |"
echo "|---|---:|---:|---:|---:|"
for f in rfm btyd; do
	measure "$f() GROUP BY customer: base, $((10 * c)) orders, $c customers" \
		"SELECT customer_id, $f(ts, amount, '2026-01-01') FROM o_base GROUP BY customer_id"
	measure "$f() GROUP BY customer: wide, $((50 * c)) orders, $((5 * c)) customers" \
		"SELECT customer_id, $f(ts, amount, '2026-01-01') FROM o_wide GROUP BY customer_id"
	measure "$f() GROUP BY customer: deep, $((50 * c)) orders, $c customers (10 days each)" \
		"SELECT customer_id, $f(ts, amount, '2026-01-01') FROM o_deep GROUP BY customer_id"
done
d1=$(mv_psql -d memval_mem -Atc 'SELECT count(*) FROM (SELECT DISTINCT x, t_x, t FROM sim) s')
d2=$(mv_psql -d memval_mem -Atc 'SELECT count(*) FROM (SELECT DISTINCT x, t_x, t FROM sim_coarse) s')
measure "bgnbd_fit: $c rows, $d1 distinct" "SELECT bgnbd_fit(x, t_x, t) FROM sim"
measure "bgnbd_fit: $((5 * c)) rows, $d2 distinct" "SELECT bgnbd_fit(x, t_x, t) FROM sim_coarse"
measure "pareto_nbd_fit: $((5 * c)) rows, $d2 distinct" "SELECT pareto_nbd_fit(x, t_x, t) FROM sim_coarse"
