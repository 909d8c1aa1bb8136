#!/usr/bin/env bash
# Load a CSV of orders into table `orders` of a database, all or nothing.
#
#   bash demo/load_csv.sh FILE DATABASE      (PGHOST/PGPORT/PGUSER as for psql)
#
# FILE: UTF-8 CSV, first line exactly `customer_id,order_ts,amount`, then one
# order a line:
#   customer_id  any non-empty text (kept as text)
#   order_ts     ISO 8601 date (2025-03-01) or timestamp (2025-03-01 14:05,
#                2025-03-01T14:05:09.5, 2025-03-01 14:05:09+08, ...Z,
#                ...+05:30); without a zone it is read in the server's
#                TimeZone (UTC in the demo's cluster); empty = NULL
#   amount       decimal number, '.' as decimal point, no thousands
#                separators, negative for a refund; empty = NULL
# A malformed file is refused with its line number and what is wrong, and
# nothing is loaded.  Exit status 0 when loaded.
set -euo pipefail
file=$1 db=$2
bindir=${MEMVAL_BINDIR:-}
if [ -z "$bindir" ] && declare -F memval_bindir >/dev/null; then bindir=$(memval_bindir); fi
psql=${bindir:+$bindir/}psql
fail() { printf 'error: %s: %s\n' "$file" "$*" >&2; exit 1; }
[ -r "$file" ] || fail "cannot read the file"
header=$(head -n 1 "$file" | tr -d '\r\357\273\277')
[ "$header" = "customer_id,order_ts,amount" ] ||
	fail "line 1: the header must be exactly customer_id,order_ts,amount (found: ${header:0:80})"
err=$(mktemp) script=$(mktemp)
trap 'rm -f "$err" "$script"' EXIT
cat > "$script" <<'SQL'
SET client_min_messages = warning;
CREATE TEMP TABLE csv_orders (line bigserial, customer_id text, order_ts text, amount text);
ALTER SEQUENCE csv_orders_line_seq RESTART WITH 2;     -- line 1 is the header
\copy csv_orders (customer_id, order_ts, amount) FROM pstdin WITH (FORMAT csv, HEADER true)
DO $$
DECLARE
    bad record;
BEGIN
    IF NOT EXISTS (SELECT FROM csv_orders) THEN
        RAISE EXCEPTION 'no order after the header';
    END IF;
    SELECT line, CASE
        WHEN coalesce(btrim(customer_id), '') = '' THEN 'customer_id is empty'
        WHEN order_ts IS NOT NULL AND order_ts !~ '^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$'
            THEN format('order_ts %L is not an ISO date or timestamp (YYYY-MM-DD[ HH:MM[:SS[.f]]][zone])', order_ts)
        WHEN amount IS NOT NULL AND btrim(amount) !~ '^[+-]?(\d+(\.\d*)?|\.\d+)$'
            THEN format('amount %L is not a decimal number (like 12.50 or -3)', amount)
        END AS what
    INTO bad
    FROM csv_orders
    WHERE coalesce(btrim(customer_id), '') = ''
       OR (order_ts IS NOT NULL AND order_ts !~ '^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$')
       OR (amount IS NOT NULL AND btrim(amount) !~ '^[+-]?(\d+(\.\d*)?|\.\d+)$')
    ORDER BY line LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'line %: %', bad.line, bad.what;
    END IF;
    -- the patterns pass; a date that does not exist (2025-02-30, 25:00) or
    -- an amount out of range fails the cast: find its line
    BEGIN
        CREATE TABLE orders AS
        SELECT line - 1 AS order_id, btrim(customer_id) AS customer_id,
               order_ts::timestamptz AS order_ts, btrim(amount)::numeric AS amount
        FROM csv_orders ORDER BY line;
    EXCEPTION WHEN others THEN
        FOR bad IN SELECT * FROM csv_orders ORDER BY line LOOP
            BEGIN
                PERFORM bad.order_ts::timestamptz, btrim(bad.amount)::numeric;
            EXCEPTION WHEN others THEN
                RAISE EXCEPTION 'line %: %', bad.line, SQLERRM;
            END;
        END LOOP;
        RAISE;
    END;
END
$$;
ANALYZE orders;
SQL
if ! "$psql" -X -q -v ON_ERROR_STOP=1 -1 -d "$db" -f "$script" < "$file" 2>"$err"; then
	msg=$(sed -nE 's/^(psql:[^:]*:[0-9]+: )?ERROR: +//p' "$err" | head -n 1)
	ctx=$(sed -nE 's/.*COPY csv_orders, line ([0-9]+).*/\1/p' "$err" | head -n 1)
	if [ -n "$ctx" ]; then
		case "$msg" in
			"extra data after last expected column") msg="more than 3 fields" ;;
			"missing data for column"*) msg="fewer than 3 fields" ;;
		esac
		fail "line $ctx: $msg; nothing loaded"
	fi
	[ -n "$msg" ] || msg=$(cat "$err")
	fail "$msg; nothing loaded"
fi
"$psql" -X -q -At -d "$db" -c "SELECT format('loaded %s orders of %s customers', count(*), count(DISTINCT customer_id)) FROM orders" >&2
