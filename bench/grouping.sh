#!/usr/bin/env bash
# Where the time of a GROUP BY customer goes: the scan alone, grouping
# alone (count(*) per customer), the built-in max/count/sum floor and
# rfm(), serial, numeric and float8 amounts, median of BENCH_RUNS runs each
# (interleaved), in one run on the same table as bench/rfm.sh.
#
#   bash bench/grouping.sh            # 10M orders / 1M customers
#   BENCH_ORDERS=1000000 BENCH_CUSTOMERS=100000 bash bench/grouping.sh
source "$(dirname "$0")/common.sh"
bench_start

as_of="'2026-01-01'"
out=/tmp/memval-bench-grouping.$$
printf '| amounts | query | time (s) | ns per order | vs floor |\n|---|---|---:|---:|---:|\n' > $out
for table in orders orders_f8; do
	kind=$([ $table = orders ] && echo numeric || echo float8)
	names=("scan: count(*)" "grouping: count(*) GROUP BY customer_id"
		"floor: max(order_ts), count(*), sum(amount) GROUP BY customer_id"
		"rfm(order_ts, amount, as_of) GROUP BY customer_id")
	queries=("SELECT count(*) FROM $table"
		"SELECT customer_id, count(*) FROM $table GROUP BY customer_id"
		"SELECT customer_id, max(order_ts), count(*), sum(amount) FROM $table GROUP BY customer_id"
		"SELECT customer_id, rfm(order_ts, amount, $as_of) FROM $table GROUP BY customer_id")
	bench_time 0 "${queries[3]}" >/dev/null	# warm-up
	declare -a runs=()
	for q in 0 1 2 3; do runs[$q]=""; done
	for i in $(seq "$BENCH_RUNS"); do
		line=""
		for q in 0 1 2 3; do
			t=$(bench_time 0 "${queries[$q]}")
			runs[$q]+="$t "
			line+=" $t"
		done
		say "$kind, run $i (scan, grouping, floor, rfm; ms):$line"
	done
	floor=$(printf '%s\n' ${runs[2]} | median)
	for q in 0 1 2 3; do
		m=$(printf '%s\n' ${runs[$q]} | median)
		printf '| %s | `%s` | %s | %s | %s |\n' "$kind" "${names[$q]}" "$(div "$m" 1000)" \
			"$(awk -v m="$m" -v n="$BENCH_ORDERS" 'BEGIN {printf "%.0f", m * 1e6 / n}')" "$(div "$m" "$floor")" >> $out
	done
done
echo
echo "GROUP BY customer, serial: $BENCH_ORDERS orders, $BENCH_CUSTOMERS customers, median of $BENCH_RUNS"
cat $out
rm -f $out
