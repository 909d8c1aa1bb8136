#!/usr/bin/env bash
# The demo (the main job): set up, generate or load orders, segment them,
# fit and validate the models, print, and write an HTML report.
#
#   bash demo/demo.sh [--customers N] [--seed N] [--lang en|zh]
#                     [--csv FILE] [--as-of DATE] [--report FILE]
#
# Installs what is missing, builds and installs memval, starts a throwaway
# cluster (stopped on exit, error or Ctrl-C), generates a reproducible order
# table from a purchase-and-dropout process (demo/gen_demo_orders.sql) or
# loads --csv FILE (header customer_id,order_ts,amount), and runs the steps
# in demo/steps/*.sql in order.  --as-of: evaluation date (default
# 2026-01-01 for generated orders, the day after the last order of a CSV).
source "$(dirname "$0")/../test/common.sh"

customers=100000 seed=42 lang=en csv= as_of= report=memval-report.html
while [ $# -gt 0 ]; do
	case "$1" in
		--customers) customers=$2; shift 2 ;;
		--seed) seed=$2; shift 2 ;;
		--lang) lang=$2; shift 2 ;;
		--csv) csv=$2; shift 2 ;;
		--as-of) as_of=$2; shift 2 ;;
		--report) report=$2; shift 2 ;;
		-h|--help) sed -n '2,13p' "$0"; exit 0 ;;
		*) die "unknown option $1 (see --help)" ;;
	esac
done
case "$lang" in en|zh) ;; *) die "--lang must be en or zh" ;; esac
[ -z "$csv" ] || [ -r "$csv" ] || die "cannot read $csv"
[ -z "$csv" ] || csv=$(cd "$(dirname "$csv")" && pwd)/$(basename "$csv")
case "$report" in /*) ;; *) report=$PWD/$report ;; esac

memval_setup
memval_start "shared_buffers = 1GB" "work_mem = 256MB" "max_parallel_workers_per_gather = 2"
cd "$MEMVAL_TOP"
mv_psql -d postgres -c 'CREATE DATABASE memval_demo'
mv_psql -d memval_demo -c 'CREATE EXTENSION memval'

start=$(date +%s)
if [ -n "$csv" ]; then
	say "loading $csv"
	bash demo/load_csv.sh "$csv" memval_demo || exit 1
	[ -n "$as_of" ] || as_of=$(mv_psql -d memval_demo -At -c \
		"SELECT (max(order_ts)::date + 1)::text FROM orders")
else
	say "generating orders of $customers customers (seed $seed)"
	mv_psql -d memval_demo -v customers="$customers" -v seed="$seed" -f demo/gen_demo_orders.sql
	[ -n "$as_of" ] || as_of=2026-01-01
fi
say "orders ready in $(( $(date +%s) - start )) s; as of $as_of"
mv_psql -d memval_demo -At -c "SELECT '$as_of'::date" >/dev/null || die "--as-of: not a date: $as_of"
# the validation split: the last third of the history, at most a year
cal_end=$(mv_psql -d memval_demo -At -c "
	SELECT ('$as_of'::date - least(365, greatest(1, ('$as_of'::date - min(order_ts)::date) / 3)))::text FROM orders")
mv_psql -d memval_demo -P pager=off -c "
SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers,
       min(order_ts) AS first_order, max(order_ts) AS last_order,
       count(*) FILTER (WHERE amount < 0) AS refunds,
       count(*) FILTER (WHERE amount = 0) AS zero_amounts,
       count(*) FILTER (WHERE amount IS NULL OR order_ts IS NULL) AS null_rows
FROM orders"

for step in demo/steps/*.sql; do
	say "step $(basename "$step" .sql)"
	s=$(date +%s)
	mv_psql -d memval_demo -P pager=off -v lang="$lang" -v as_of="$as_of" -v cal_end="$cal_end" -f "$step"
	say "step $(basename "$step" .sql) done in $(( $(date +%s) - s )) s"
done
if [ -f demo/report.sh ]; then
	say "writing the report $report"
	bash demo/report.sh memval_demo "$report"
fi
say "done"
