#!/usr/bin/env bash
# The demo (the main job): set up, generate orders, segment them, print.
#
#   bash demo/demo.sh [--customers N] [--orders N] [--seed N] [--lang en|zh]
#
# Installs what is missing, builds and installs memval, starts a throwaway
# cluster (stopped on exit, error or Ctrl-C), generates a reproducible order
# table and runs the steps in demo/steps/*.sql in order.
source "$(dirname "$0")/../test/common.sh"

customers=100000 orders=1000000 seed=42 lang=en
while [ $# -gt 0 ]; do
	case "$1" in
		--customers) customers=$2; shift 2 ;;
		--orders) orders=$2; shift 2 ;;
		--seed) seed=$2; shift 2 ;;
		--lang) lang=$2; shift 2 ;;
		-h|--help) sed -n '2,9p' "$0"; exit 0 ;;
		*) die "unknown option $1 (see --help)" ;;
	esac
done
case "$lang" in en|zh) ;; *) die "--lang must be en or zh" ;; esac

memval_setup
memval_start "shared_buffers = 1GB" "work_mem = 256MB" "max_parallel_workers_per_gather = 2"
cd "$MEMVAL_TOP"
mv_psql -d postgres -c 'CREATE DATABASE memval_demo'
mv_psql -d memval_demo -c 'CREATE EXTENSION memval'

say "generating $orders orders over $customers customers (seed $seed)"
start=$(date +%s)
mv_psql -d memval_demo -v customers="$customers" -v orders="$orders" -v seed="$seed" \
	-v table=orders -f test/data/gen_orders.sql
say "generated in $(( $(date +%s) - start )) s"
mv_psql -d memval_demo -P pager=off -c "
SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers,
       min(order_ts) AS first_order, max(order_ts) AS last_order,
       count(*) FILTER (WHERE amount < 0) AS refunds,
       count(*) FILTER (WHERE amount IS NULL OR order_ts IS NULL) AS null_rows
FROM orders"

for step in demo/steps/*.sql; do
	say "step $(basename "$step" .sql)"
	mv_psql -d memval_demo -P pager=off -v lang="$lang" -f "$step"
done
say "done"
