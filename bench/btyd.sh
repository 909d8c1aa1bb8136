#!/usr/bin/env bash
# btyd() GROUP BY customer vs what users would write without it, in one run
# on the same table (numeric amounts), median of BENCH_RUNS runs each, runs
# interleaved so every query sees the same machine state:
#   floor      the built-in max/count/sum query (README, "Performance")
#   floor+days min/max/count(DISTINCT order_ts::date)/sum: the built-in
#              aggregates a BTYD summary needs, without refunds or as_of
#   SQL        the hand-written equivalent of btyd(): purchases up to as_of
#              grouped by local day, then by customer (x, t_x, t, m)
#   btyd()     this extension
# in the session time zones UTC (0 and 2 workers allowed) and
# America/New_York (DST: btyd() reads the zone's offset table,
# timestamptz::date asks pg_localtime per row).
#
#   bash bench/btyd.sh            # 10M orders / 1M customers
#   BENCH_ORDERS=1000000 BENCH_CUSTOMERS=100000 bash bench/btyd.sh
source "$(dirname "$0")/common.sh"
bench_start

as_of="'2026-01-01'"
floor="SELECT customer_id, max(order_ts), count(*), sum(amount) FROM orders GROUP BY customer_id"
days="SELECT customer_id, min(order_ts), max(order_ts), count(DISTINCT order_ts::date), sum(amount)
      FROM orders GROUP BY customer_id"
sql="SELECT customer_id, count(*) - 1 AS x, max(d) - min(d) AS t_x, $as_of::timestamptz::date - min(d) AS t,
            (avg(s) FILTER (WHERE d > d1))::float8 AS m
     FROM (SELECT customer_id, d, s, min(d) OVER (PARTITION BY customer_id) AS d1
           FROM (SELECT customer_id, order_ts::date AS d, sum(amount) AS s FROM orders
                 WHERE amount >= 0 AND order_ts <= $as_of GROUP BY 1, 2) days) q
     GROUP BY customer_id"
ours="SELECT customer_id, btyd(order_ts, amount, $as_of) FROM orders GROUP BY customer_id"

# btyd_time TZ WORKERS SQL
btyd_time() {
	mv_psql -d memval_bench -At -c "SET TimeZone = '$1'" -c "$(bench_settings "$2")" \
		-c "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $3" |
		sed -nE 's/^Execution Time: ([0-9.]+) ms$/\1/p'
}

out=/tmp/memval-bench-btyd.$$
printf '| time zone | workers | floor max/count/sum (s) | floor + count(DISTINCT day) (s) | hand-written SQL (s) | btyd() (s) | btyd / floor | btyd / floor+days | btyd / SQL |\n|---|---|---|---|---|---|---|---|---|\n' > $out
plans=""
for combo in UTC:0 UTC:2 America/New_York:0; do
	tz=${combo%:*} workers=${combo#*:}
	btyd_time $tz $workers "$ours" >/dev/null	# warm-up
	f=() d=() s=() o=()
	for i in $(seq "$BENCH_RUNS"); do
		f+=("$(btyd_time $tz $workers "$floor")")
		d+=("$(btyd_time $tz $workers "$days")")
		s+=("$(btyd_time $tz $workers "$sql")")
		o+=("$(btyd_time $tz $workers "$ours")")
		say "$tz, $workers workers, run $i: floor ${f[-1]}, floor+days ${d[-1]}, SQL ${s[-1]}, btyd ${o[-1]} ms"
	done
	fm=$(printf '%s\n' "${f[@]}" | median); dm=$(printf '%s\n' "${d[@]}" | median)
	sm=$(printf '%s\n' "${s[@]}" | median); om=$(printf '%s\n' "${o[@]}" | median)
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$tz" "$workers" \
		"$(div "$fm" 1000)" "$(div "$dm" 1000)" "$(div "$sm" 1000)" "$(div "$om" 1000)" \
		"$(div "$om" "$fm")" "$(div "$om" "$dm")" "$(div "$om" "$sm")" >> $out
done
for q in floor days sql ours; do
	plans+="- $q, 2 workers allowed: $(bench_plan 2 "${!q}")"$'\n'
done
# memory of the serial hash aggregates (the state per group)
mem=""
for q in floor ours; do
	mem+="- $q: $(mv_psql -d memval_bench -At -c "SET max_parallel_workers_per_gather = 0" \
		-c "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ${!q}" | grep -E 'Batches|Memory Usage' | sed -E 's/^ +//' | paste -sd' ')"$'\n'
done
# the results agree (UTC): btyd() against the hand-written SQL
agree=$(mv_psql -d memval_bench -At -c "
	SELECT count(*) FILTER (WHERE (b).x IS NOT DISTINCT FROM s.x::float8 AND (b).t_x IS NOT DISTINCT FROM s.t_x::float8
	                          AND (b).t IS NOT DISTINCT FROM s.t::float8 AND (b).m IS NOT DISTINCT FROM s.m)
	       || ' of ' || count(*)
	FROM ($sql) s JOIN ($ours) o(customer_id, b) USING (customer_id)")
echo
echo "btyd() summary: $BENCH_ORDERS orders, $BENCH_CUSTOMERS customers, numeric amounts, median of $BENCH_RUNS"
cat $out
echo
echo "btyd() equals the hand-written SQL for $agree customers with a purchase."
echo
echo "Plans measured:"
echo "$plans"
echo "Hash aggregate memory (serial):"
echo "$mem"
rm -f $out
