#!/usr/bin/env bash
# Bounded memory (issue 14, item 5): rfm() and btyd() use memory in
# proportion to customers (groups), not orders; a fit's memory is in
# proportion to distinct (x, t_x, t) rows, not rows.
#
#   bash test/memory.sh [scale]     scale 1 = 2M and 8M orders (default)
#
# Per query: the backend's peak RSS (VmHWM of /proc/<pid>/status, a fresh
# session each, so the peak is the query's), and the HashAggregate's own
# "Memory Usage" from EXPLAIN ANALYZE (work_mem high enough not to spill).
# Prints a Markdown table (pasted into bench/RESULTS.md).  Not in CI.
source "$(dirname "$0")/common.sh"
scale=${1:-1}
memval_setup
memval_start "max_parallel_workers_per_gather = 0" "work_mem = '2GB'" "shared_buffers = '128MB'"
mv_psql -d postgres -c 'CREATE DATABASE memval_mem'
mv_psql -d memval_mem -c 'CREATE EXTENSION memval'
o1=$((2000000 * scale)) o2=$((8000000 * scale)) c1=$((200000 * scale)) c2=$((800000 * scale))
say "building orders: $o1 and $o2 orders over $c1 customers, $o2 over $c2"
mv_psql -d memval_mem <<SQL
CREATE UNLOGGED TABLE o_small AS SELECT g % $c1 AS customer_id,
	timestamptz '2024-01-01' + (g * 7919 % 63072000) * interval '1 second' AS ts, ((g * 104729) % 100000) / 100.0 AS amount
	FROM generate_series(1::bigint, $o1) g;
CREATE UNLOGGED TABLE o_deep AS SELECT g % $c1 AS customer_id,
	timestamptz '2024-01-01' + (g * 7919 % 63072000) * interval '1 second' AS ts, ((g * 104729) % 100000) / 100.0 AS amount
	FROM generate_series(1::bigint, $o2) g;
CREATE UNLOGGED TABLE o_wide AS SELECT g % $c2 AS customer_id,
	timestamptz '2024-01-01' + (g * 7919 % 63072000) * interval '1 second' AS ts, ((g * 104729) % 100000) / 100.0 AS amount
	FROM generate_series(1::bigint, $o2) g;
CREATE UNLOGGED TABLE sim AS SELECT x, t_x, t FROM pareto_nbd_simulate($c2, 0.55, 10.6, 0.61, 11.7, 100, 14, 1);
CREATE UNLOGGED TABLE sim_coarse AS SELECT x, round(t_x) AS t_x, round(t) AS t FROM sim;
VACUUM ANALYZE;
SQL

# measure NAME SQL: peak RSS of a fresh backend running SQL, and the hash table
measure() {
	local name=$1 sql=$2 out
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
	local base peak hash
	base=$(echo "$out" | sed -n 's/^base=//p')
	peak=$(echo "$out" | sed -n 's/^peak=//p')
	hash=$(echo "$out" | grep -oE 'Memory Usage: [0-9]+kB' | head -1 | grep -oE '[0-9]+' || true)
	printf '| %s | %s MB | %s MB | %s |\n' "$name" $(((peak - base) / 1024)) $((peak / 1024)) "${hash:+$((hash / 1024)) MB}"
}

echo
echo "| query | peak RSS growth | peak RSS | hash table |"
echo "|---|---:|---:|---:|"
for f in rfm btyd; do
	measure "$f() GROUP BY customer: $o1 orders, $c1 customers" \
		"SELECT customer_id, $f(ts, amount, '2026-01-01') FROM o_small GROUP BY customer_id"
	measure "$f() GROUP BY customer: $o2 orders, $c1 customers" \
		"SELECT customer_id, $f(ts, amount, '2026-01-01') FROM o_deep GROUP BY customer_id"
	measure "$f() GROUP BY customer: $o2 orders, $c2 customers" \
		"SELECT customer_id, $f(ts, amount, '2026-01-01') FROM o_wide GROUP BY customer_id"
done
d1=$(mv_psql -d memval_mem -Atc 'SELECT count(*) FROM (SELECT DISTINCT x, t_x, t FROM sim) s')
d2=$(mv_psql -d memval_mem -Atc 'SELECT count(*) FROM (SELECT DISTINCT x, t_x, t FROM sim_coarse) s')
measure "pareto_nbd_fit: $c2 rows, $d1 distinct" "SELECT pareto_nbd_fit(x, t_x, t) FROM sim"
measure "pareto_nbd_fit: $c2 rows, $d2 distinct" "SELECT pareto_nbd_fit(x, t_x, t) FROM sim_coarse"
measure "bgnbd_fit: $c2 rows, $d1 distinct" "SELECT bgnbd_fit(x, t_x, t) FROM sim"
measure "bgnbd_fit: $c2 rows, $d2 distinct" "SELECT bgnbd_fit(x, t_x, t) FROM sim_coarse"
