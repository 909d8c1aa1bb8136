#!/usr/bin/env bash
# demo/load_csv.sh: a good CSV loads with its values (dates, timestamps with
# and without zones, empty fields as NULL); each bad variant is refused with
# its line number and what is wrong, and leaves no table behind.
# Argument: the PostgreSQL bin directory (cluster from test/run-tests.sh).
set -euo pipefail
bindir=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
export MEMVAL_BINDIR=$bindir
q() { PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }
fails=0
q -d postgres -c 'DROP DATABASE IF EXISTS memval_csv' -c 'CREATE DATABASE memval_csv'
bash "$top/demo/load_csv.sh" "$top/test/data/csv/orders.csv" memval_csv 2>/dev/null
got=$(q -d memval_csv -c "SET TimeZone = 'UTC'" -c "SELECT count(*), count(DISTINCT customer_id),
	sum(amount), count(*) FILTER (WHERE order_ts IS NULL), count(*) FILTER (WHERE amount IS NULL),
	(SELECT order_ts FROM orders WHERE order_id = 4), (SELECT order_ts FROM orders WHERE order_id = 6),
	(SELECT order_ts FROM orders WHERE order_id = 4) - (SELECT order_ts FROM orders WHERE order_id = 3)
	FROM orders")
want='10|4|222.85|1|1|2025-03-04 02:00:00+00|2025-06-30 02:30:00+00|2 days 16:45:00'
if [ "$got" = "$want" ]; then echo "ok - csv: the good file loads"; else echo "not ok - csv: got [$got] want [$want]"; fails=1; fi
# Four customers cannot support a BG/NBD fit: the validation step must say
# so and print no prediction from it.
q -d memval_csv -c "CREATE EXTENSION IF NOT EXISTS memval"
out=$(q -d memval_csv -v as_of=2025-07-01 -v cal_end=2025-05-01 -f "$top/demo/steps/50-validation.sql" 2>&1)
if [[ "$out" == *"FIT DID NOT CONVERGE: no holdout predictions"* ]] &&
   [ "$(q -d memval_csv -c "SELECT count(*) FILTER (WHERE predicted IS NOT NULL) || '/' || count(*) || '/' || bool_or(converged) FROM validation")" = "0/2/false" ]; then
	echo "ok - csv: validation on an unconverged fit prints no predictions"
else
	echo "not ok - csv: validation on an unconverged fit: [$out]"; fails=1
fi
check_bad() {   # file, expected message fragment
	local out
	q -d postgres -c 'DROP DATABASE IF EXISTS memval_csv' -c 'CREATE DATABASE memval_csv'
	if out=$(bash "$top/demo/load_csv.sh" "$top/test/data/csv/$1" memval_csv 2>&1); then
		echo "not ok - csv: $1 was loaded"; fails=1; return
	fi
	if [[ "$out" != *"$2"* ]]; then echo "not ok - csv: $1: message [$out] lacks [$2]"; fails=1; return; fi
	if [ "$(q -d memval_csv -c "SELECT to_regclass('orders') IS NULL")" != t ]; then
		echo "not ok - csv: $1 left a table orders"; fails=1; return
	fi
	echo "ok - csv: $1 refused: $out"
}
check_bad bad_header.csv "line 1: the header must be exactly customer_id,order_ts,amount"
check_bad bad_date_format.csv "line 3: order_ts '05/02/2025' is not an ISO date or timestamp"
check_bad bad_date_value.csv "line 3: date/time field value out of range"
check_bad bad_amount.csv "line 3: amount '1,200.00' is not a decimal number"
check_bad bad_fields.csv "line 3: more than 3 fields"
check_bad bad_customer.csv "line 3: customer_id is empty"
q -d postgres -c 'DROP DATABASE memval_csv'
exit $fails
