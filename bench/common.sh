# Shared by the bench/*.sh scripts: a cluster tuned for in-memory
# aggregation, the generated order table, and timing helpers.
source "$(dirname "${BASH_SOURCE[0]}")/../test/common.sh"

BENCH_CUSTOMERS=${BENCH_CUSTOMERS:-1000000}
BENCH_ORDERS=${BENCH_ORDERS:-10000000}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_SHAPE=${BENCH_SHAPE:-skewed}	# skewed (gen_orders.sql's default) or uniform

bench_start() {
	memval_setup
	memval_start "shared_buffers = 4GB" "work_mem = 2GB" "max_parallel_workers_per_gather = 2" \
		"max_worker_processes = 8" "jit = off" "$@"
	cd "$MEMVAL_TOP"
	mv_psql -d postgres -c 'CREATE DATABASE memval_bench'
	mv_psql -d memval_bench -c 'CREATE EXTENSION memval'
	mv_psql -d memval_bench -c 'CREATE EXTENSION pg_prewarm'
	bench_generate
}

# bench_generate: (re)generate orders and orders_f8 from BENCH_ORDERS,
# BENCH_CUSTOMERS and BENCH_SHAPE, and load them into shared buffers.
bench_generate() {
	say "generating $BENCH_ORDERS orders over $BENCH_CUSTOMERS customers ($BENCH_SHAPE)"
	local t0=$SECONDS
	mv_psql -d memval_bench -c 'DROP TABLE IF EXISTS orders_f8'
	mv_psql -d memval_bench -v customers="$BENCH_CUSTOMERS" -v orders="$BENCH_ORDERS" -v seed=42 \
		-v shape="$BENCH_SHAPE" \
		-v table=orders -f test/data/gen_orders.sql
	mv_psql -d memval_bench -c 'VACUUM (FREEZE, ANALYZE) orders' \
		-c 'CREATE TABLE orders_f8 AS SELECT order_id, customer_id, order_ts, amount::float8 AS amount FROM orders ORDER BY order_ts NULLS FIRST, order_id' \
		-c 'VACUUM (FREEZE, ANALYZE) orders_f8' \
		-c "SELECT pg_prewarm('orders'), pg_prewarm('orders_f8')" >/dev/null
	say "generated in $((SECONDS - t0)) s"
}

# bench_time WORKERS SQL: execution time in ms of one run (EXPLAIN ANALYZE
# runs the whole query and discards the rows, so no client transfer is timed).
# WORKERS is a number, or a number followed by f to force a parallel plan.
bench_settings() {
	local w=${1%f}
	echo "SET max_parallel_workers_per_gather = $w;"
	if [ "$w" != "$1" ]; then
		echo "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
	fi
}

bench_time() {
	local workers=$1 sql=$2
	mv_psql -d memval_bench -At \
		-c "$(bench_settings "$workers")" \
		-c "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $sql" |
		sed -nE 's/^Execution Time: ([0-9.]+) ms$/\1/p'
}

# bench_plan WORKERS SQL: the plan measured, on one line
bench_plan() {
	local workers=$1 sql=$2
	mv_psql -d memval_bench -At \
		-c "$(bench_settings "$workers")" \
		-c "EXPLAIN (COSTS OFF) $sql" | sed -E 's/^ +//; s/->  //' | paste -sd';' | sed 's/;/ ; /g'
}

# div A B: A/B with 2 decimals
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
