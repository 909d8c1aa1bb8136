#!/usr/bin/env bash
# Scoring and segmentation end to end: memval vs the pure-SQL recipe.
#
#   bash bench/scoring.sh [--customers N] [--orders N] [--runs N]
#
# Defaults: 10M orders over 1M customers (test/data/gen_orders.sql; the
# table is generated once and reused by every run), 3 runs of each query,
# interleaved; prints the median of each and the ratio.  Both sides go
# from the order table to the number of customers and the revenue per
# segment (rfm10 names), in the same parallel setting.
source "$(dirname "$0")/../test/common.sh"

customers=1000000 orders=10000000 runs=3
while [ $# -gt 0 ]; do
	case "$1" in
		--customers) customers=$2; shift 2 ;;
		--orders) orders=$2; shift 2 ;;
		--runs) runs=$2; shift 2 ;;
		-h|--help) sed -n '2,11p' "$0"; exit 0 ;;
		*) die "unknown option $1 (see --help)" ;;
	esac
done

memval_setup
memval_start "shared_buffers = 2GB" "work_mem = 256MB" "max_parallel_workers_per_gather = 2"
cd "$MEMVAL_TOP"
mv_psql -d postgres -c 'CREATE DATABASE memval_bench'
mv_psql -d memval_bench -c 'CREATE EXTENSION memval'
say "generating $orders orders over $customers customers"
start=$(date +%s)
mv_psql -d memval_bench -v customers="$customers" -v orders="$orders" -v seed=42 \
	-v table=orders -f test/data/gen_orders.sql
say "generated in $(( $(date +%s) - start )) s"
mv_psql -d memval_bench -c 'VACUUM ANALYZE orders' -c 'SELECT count(*) FROM orders' >/dev/null

# memval: rfm() per customer, the rfm_score window function, tier_of.
q_memval="
SELECT segment, count(*) AS customers, sum(monetary) AS revenue
FROM (SELECT tier_of(rfm_score(r) OVER ()) AS segment, (r).monetary AS monetary
      FROM (SELECT customer_id, rfm(order_ts, amount, '2026-01-01') AS r
            FROM orders GROUP BY customer_id) c) s
WHERE segment IS NOT NULL
GROUP BY segment ORDER BY segment"

# memval, two steps: the rfm_breaks aggregate, then scalar scoring.
q_memval_breaks="
WITH c AS MATERIALIZED (
    SELECT customer_id, rfm(order_ts, amount, '2026-01-01') AS r FROM orders GROUP BY customer_id),
b AS (SELECT rfm_breaks(r) AS b FROM c)
SELECT segment, count(*) AS customers, sum(monetary) AS revenue
FROM (SELECT tier_of(rfm_score(c.r, b.b)) AS segment, (c.r).monetary AS monetary FROM c, b) s
WHERE segment IS NOT NULL
GROUP BY segment ORDER BY segment"

# The recipe users write today: per-customer CTE, NTILE(5) per axis, CASE.
q_sql="
WITH c AS (
    SELECT customer_id, max(order_ts) AS last_order, count(*) AS frequency, sum(amount) AS monetary
    FROM orders GROUP BY customer_id),
s AS (
    SELECT monetary,
           ntile(5) OVER (ORDER BY last_order) AS r,
           ntile(5) OVER (ORDER BY frequency) AS f,
           ntile(5) OVER (ORDER BY monetary) AS m
    FROM c)
SELECT CASE
         WHEN r = 5 AND f = 5 AND m = 5 THEN 'Champions'
         WHEN r BETWEEN 3 AND 5 AND f BETWEEN 3 AND 5 AND m BETWEEN 2 AND 5 THEN 'Potential Loyalist'
         WHEN r BETWEEN 2 AND 4 AND f BETWEEN 2 AND 4 AND m BETWEEN 2 AND 4 THEN 'Loyal Customers'
         WHEN r BETWEEN 3 AND 4 AND f BETWEEN 1 AND 3 AND m BETWEEN 3 AND 5 THEN 'Promising'
         WHEN r BETWEEN 4 AND 5 AND f BETWEEN 1 AND 3 AND m BETWEEN 1 AND 5 THEN 'New Customers'
         WHEN r BETWEEN 1 AND 2 AND f BETWEEN 3 AND 4 AND m BETWEEN 4 AND 5 THEN 'Can''t Lose Them'
         WHEN r BETWEEN 1 AND 2 AND f BETWEEN 2 AND 5 AND m BETWEEN 4 AND 5 THEN 'At Risk'
         WHEN r BETWEEN 1 AND 3 AND f BETWEEN 3 AND 5 AND m BETWEEN 3 AND 5 THEN 'Need Attention'
         WHEN r BETWEEN 2 AND 3 AND f BETWEEN 1 AND 3 AND m BETWEEN 1 AND 4 THEN 'About To Sleep'
         WHEN r = 1 THEN 'Lost'
         ELSE 'Others' END AS segment,
       count(*) AS customers, sum(monetary) AS revenue
FROM s GROUP BY 1 ORDER BY 1"

# What the executor costs before any RFM work, with the same plan shape
# (hash aggregate per customer, a window over all customers, a hash
# aggregate per segment): built-in count(*) as the per-customer aggregate
# and count(*) OVER () as the "score" (free work).  No implementation of
# rfm() and window scoring in this plan can be faster than this, so recipe / this is
# the ceiling of the ratio on the machine at hand.
q_ceiling="
SELECT s, count(*) AS customers, sum(c) AS revenue
FROM (SELECT count(*) OVER () AS s, c
      FROM (SELECT customer_id, count(*) AS c FROM orders GROUP BY customer_id) c) x
GROUP BY s"

# The same with memval's rfm() and a free window: what rfm() adds above
# count(*) (its state, its final function, a wider row to spool), and, by
# difference with the memval query, what scoring and tier_of add.
q_rfm_free_window="
SELECT s, count(*) AS customers, sum((r).monetary) AS revenue
FROM (SELECT count(*) OVER () AS s, r
      FROM (SELECT customer_id, rfm(order_ts, amount, '2026-01-01') AS r
            FROM orders GROUP BY customer_id) c) x
GROUP BY s"

# The scoring and segmentation step alone, from a per-customer table made
# once (memval: the rfm row; SQL: max/count/sum columns).
q_memval_step="
SELECT segment, count(*) AS customers, sum(monetary) AS revenue
FROM (SELECT tier_of(rfm_score(r) OVER ()) AS segment, (r).monetary AS monetary FROM cust_rfm) s
WHERE segment IS NOT NULL
GROUP BY segment ORDER BY segment"
q_sql_step=$(printf '%s\n' "$q_sql" | sed '/^WITH c AS (/,/FROM orders GROUP BY customer_id),/c\WITH c AS (SELECT * FROM cust_sql),')
mv_psql -d memval_bench \
	-c "CREATE TABLE cust_rfm AS SELECT customer_id, rfm(order_ts, amount, '2026-01-01') AS r FROM orders GROUP BY customer_id" \
	-c "CREATE TABLE cust_sql AS SELECT customer_id, max(order_ts) AS last_order, count(*) AS frequency, sum(amount) AS monetary FROM orders GROUP BY customer_id" \
	-c 'VACUUM ANALYZE cust_rfm' -c 'VACUUM ANALYZE cust_sql'

elapsed() {	# seconds taken by one query
	local t0 t1
	t0=$(date +%s.%N)
	mv_psql -d memval_bench -c "$1" >/dev/null
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for name in memval memval_breaks sql ceiling rfm_free_window; do
	var=q_$name
	echo "---- plan: $name"
	mv_psql -d memval_bench -c "EXPLAIN (COSTS OFF) ${!var}"
done
echo "---- rfm_breaks state size: 16 bytes per distinct value per axis"
mv_psql -d memval_bench -c "
SELECT count(*) AS customers, count(DISTINCT (r).recency) AS recency_values,
       count(DISTINCT (r).frequency) AS frequency_values, count(DISTINCT (r).monetary) AS monetary_values,
       round(16.0 * (count(DISTINCT (r).recency) + count(DISTINCT (r).frequency)
                     + count(DISTINCT (r).monetary)) / count(*), 1) AS bytes_per_customer
FROM (SELECT rfm(order_ts, amount, '2026-01-01') AS r FROM orders GROUP BY customer_id) c
WHERE (r).frequency > 0"
echo "---- results: memval (window)"
mv_psql -d memval_bench -c "$q_memval"
echo "---- results: pure-SQL recipe (NTILE splits ties arbitrarily, so counts differ)"
mv_psql -d memval_bench -c "$q_sql"

echo "---- plan: scoring step, SQL"
mv_psql -d memval_bench -c "EXPLAIN (COSTS OFF) $q_sql_step"

t_memval=() t_breaks=() t_sql=() t_mstep=() t_sstep=() t_ceil=() t_rfmw=()
for i in $(seq 1 "$runs"); do
	t_sql+=("$(elapsed "$q_sql")")
	t_memval+=("$(elapsed "$q_memval")")
	t_breaks+=("$(elapsed "$q_memval_breaks")")
	t_ceil+=("$(elapsed "$q_ceiling")")
	t_rfmw+=("$(elapsed "$q_rfm_free_window")")
	t_sstep+=("$(elapsed "$q_sql_step")")
	t_mstep+=("$(elapsed "$q_memval_step")")
	say "run $i: sql ${t_sql[-1]} s, memval ${t_memval[-1]} s, memval (breaks + scalar) ${t_breaks[-1]} s;" \
		"ceiling ${t_ceil[-1]} s, rfm() + free window ${t_rfmw[-1]} s; step only: sql ${t_sstep[-1]} s, memval ${t_mstep[-1]} s"
done
m_sql=$(median "${t_sql[@]}")
m_memval=$(median "${t_memval[@]}")
m_breaks=$(median "${t_breaks[@]}")
m_sstep=$(median "${t_sstep[@]}")
m_mstep=$(median "${t_mstep[@]}")
m_ceil=$(median "${t_ceil[@]}")
m_rfmw=$(median "${t_rfmw[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo
echo "orders=$orders customers=$customers runs=$runs (median seconds)"
echo "pure-SQL recipe (CTE + 3x NTILE + CASE):      $m_sql"
echo "memval rfm() + rfm_score() OVER () + tier_of: $m_memval  ($(awk -v a="$m_sql" -v b="$m_memval" 'BEGIN { printf "%.2fx faster", a / b }'))"
echo "memval rfm() + rfm_breaks() + scalar scoring: $m_breaks  ($(awk -v a="$m_sql" -v b="$m_breaks" 'BEGIN { printf "%.2fx faster", a / b }'))"
echo "same plan shape, free work (count(*), count(*) OVER ()): $m_ceil  (ceiling: recipe / this = $(ratio "$m_sql" "$m_ceil"))"
echo "rfm() with a free window (count(*) OVER ()):   $m_rfmw  (rfm() adds $(awk -v a="$m_rfmw" -v b="$m_ceil" 'BEGIN { printf "%.2f", a - b }') s; scoring + tier_of add $(awk -v a="$m_memval" -v b="$m_rfmw" 'BEGIN { printf "%.2f", a - b }') s)"
echo "scoring + segmentation step only, from a per-customer table:"
echo "  pure-SQL (3x NTILE + CASE):                 $m_sstep"
echo "  memval (rfm_score() OVER () + tier_of):     $m_mstep  ($(awk -v a="$m_sstep" -v b="$m_mstep" 'BEGIN { printf "%.2fx faster", a / b }'))"
