#!/usr/bin/env bash
# rfm() GROUP BY customer vs the built-in max/count/sum floor, in one run on
# the same table: numeric and float8 amounts, 0 and 2 parallel workers,
# median of BENCH_RUNS runs each (runs interleaved so both queries see the
# same machine state).
#
#   bash bench/rfm.sh            # 10M orders / 1M customers
#   BENCH_ORDERS=1000000 BENCH_CUSTOMERS=100000 bash bench/rfm.sh
#   bash bench/rfm.sh --shape 3000000/10/uniform [--shape ...] [--workers "0"]
#
# --shape ORDERS/PER_CUSTOMER/SKEW: a table of ORDERS orders over
# ORDERS/PER_CUSTOMER customers, customers skewed (gen_orders.sql: the most
# active buy ~100 times, many once or twice) or uniform; several --shape
# options run one after the other in the same cluster, each with its own
# table of results.  --workers: the settings to run (default "0 2 2f").
source "$(dirname "$0")/common.sh"
shapes=() worker_modes="0 2 2f"
while [ $# -gt 0 ]; do
	case $1 in
		--shape) shapes+=("$2"); shift 2 ;;
		--workers) worker_modes=$2; shift 2 ;;
		*) die "unknown argument: $1" ;;
	esac
done
[ ${#shapes[@]} -gt 0 ] || shapes=("$BENCH_ORDERS/$((BENCH_ORDERS / BENCH_CUSTOMERS))/$BENCH_SHAPE")
first=1
for shape in "${shapes[@]}"; do
IFS=/ read -r BENCH_ORDERS per BENCH_SHAPE <<<"$shape"
BENCH_CUSTOMERS=$((BENCH_ORDERS / per))
if [ $first = 1 ]; then bench_start; first=0; else bench_generate; fi

as_of="'2026-01-01'"
printf '\n| amounts | workers | built-in max/count/sum (s) | rfm() (s) | ratio |\n|---|---|---|---|---|\n' > /tmp/memval-bench-rfm.$$
plans=""
for table in orders orders_f8; do
	kind=$([ $table = orders ] && echo numeric || echo float8)
	floor="SELECT customer_id, max(order_ts), count(*), sum(amount) FROM $table GROUP BY customer_id"
	ours="SELECT customer_id, rfm(order_ts, amount, $as_of) FROM $table GROUP BY customer_id"
	# 0: serial; 2: two workers allowed (the planner's choice: for GROUP BY
	# customer it usually stays serial); 2f: two workers, parallel plan forced
	for workers in $worker_modes; do
		bench_time $workers "$ours" >/dev/null	# warm-up
		b=() o=()
		for i in $(seq "$BENCH_RUNS"); do
			b+=("$(bench_time $workers "$floor")")
			o+=("$(bench_time $workers "$ours")")
			say "$kind, $workers workers, run $i: built-in ${b[-1]} ms, rfm ${o[-1]} ms"
		done
		bm=$(printf '%s\n' "${b[@]}" | median); om=$(printf '%s\n' "${o[@]}" | median)
		printf '| %s | %s | %s | %s | %s |\n' "$kind" "$workers" \
			"$(div "$bm" 1000)" "$(div "$om" 1000)" "$(div "$om" "$bm")" >> /tmp/memval-bench-rfm.$$
		plans+="- $kind, $workers workers, built-in: $(bench_plan $workers "$floor")"$'\n'
		plans+="- $kind, $workers workers, rfm: $(bench_plan $workers "$ours")"$'\n'
	done
done
echo
echo "rfm() vs built-in floor: $BENCH_ORDERS orders, $BENCH_CUSTOMERS customers ($BENCH_SHAPE), median of $BENCH_RUNS"
cat /tmp/memval-bench-rfm.$$
echo
echo "Plans measured:"
echo "$plans"
rm -f /tmp/memval-bench-rfm.$$
done
