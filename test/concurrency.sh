#!/usr/bin/env bash
# Concurrency under load (issue 14, item 7): pgbench with 4 clients inserting
# orders and 4 reading a member_value materialized view (rfm(), btyd(), the
# score and the tier per customer) for 60 s, while REFRESH MATERIALIZED VIEW
# CONCURRENTLY runs every 5 s.  Passes with zero errors in both pgbench runs
# and every refresh, and when the final view equals a full recompute.
#
#   bash test/concurrency.sh [seconds]     default 60; not in CI
source "$(dirname "$0")/common.sh"
secs=${1:-60}
memval_setup
memval_start "max_connections = 40"
bindir=$(memval_bindir)
work=$(mktemp -d /tmp/memval-conc.XXXXXX)
chmod 755 "$work"
trap 'memval_stop; rm -rf "$work"' EXIT
mv_psql -d postgres -c 'CREATE DATABASE memval_conc'
mv_psql -d memval_conc <<'SQL'
CREATE EXTENSION memval;
CREATE TABLE orders (customer_id int NOT NULL, ts timestamptz NOT NULL, amount numeric(12, 2) NOT NULL);
INSERT INTO orders SELECT 1 + g % 10000, timestamptz '2024-01-01' + (g * 7919 % 600) * interval '1 day',
	round(((g * 104729) % 20000) / 100.0, 2) FROM generate_series(1::bigint, 100000) g;
CREATE INDEX ON orders (customer_id);
-- the view of the test (the documented recipe may differ): one row per customer
CREATE VIEW member_value_now AS
	SELECT customer_id, r, b, s AS score, tier_of(s, 'rfm10') AS tier
	FROM (SELECT customer_id, r, b, rfm_score(r) OVER () AS s
	      FROM (SELECT customer_id, rfm(ts, amount, '2026-01-01') AS r, btyd(ts, amount, '2026-01-01', '7 days') AS b
	            FROM orders GROUP BY customer_id) g) w;
CREATE MATERIALIZED VIEW member_value AS SELECT * FROM member_value_now;
CREATE UNIQUE INDEX ON member_value (customer_id);
ANALYZE;
SQL
cat > "$work/insert.sql" <<'EOF'
\set c random(1, 12000)
\set d random(0, 700)
\set a random(-2000, 50000)
INSERT INTO orders VALUES (:c, timestamptz '2024-01-01' + :d * interval '1 day', :a / 100.0);
EOF
cat > "$work/read.sql" <<'EOF'
\set c random(1, 12000)
SELECT customer_id, (r).monetary, (b).x, score, tier FROM member_value WHERE customer_id = :c;
SELECT tier, count(*), sum((r).monetary) FROM member_value GROUP BY tier;
EOF
say "pgbench: 4 inserting + 4 reading clients for $secs s, REFRESH ... CONCURRENTLY every 5 s"
"$bindir/pgbench" -n -c 4 -j 2 -T "$secs" -f "$work/insert.sql" memval_conc > "$work/insert.out" 2>&1 &
ins=$!
"$bindir/pgbench" -n -c 4 -j 2 -T "$secs" -f "$work/read.sql" memval_conc > "$work/read.out" 2>&1 &
rd=$!
refreshes=0 refresh_errors=0
end=$((SECONDS + secs))
while [ $SECONDS -lt $end ]; do
	sleep 5
	if mv_psql -d memval_conc -c 'REFRESH MATERIALIZED VIEW CONCURRENTLY member_value' 2>>"$work/refresh.err"; then
		refreshes=$((refreshes + 1))
	else
		refresh_errors=$((refresh_errors + 1))
	fi
done
ins_rc=0 rd_rc=0
wait $ins || ins_rc=$?
wait $rd || rd_rc=$?
mv_psql -d memval_conc -c 'REFRESH MATERIALIZED VIEW CONCURRENTLY member_value'
diff=$(mv_psql -d memval_conc -At -c "SELECT count(*) FROM ((TABLE member_value EXCEPT TABLE member_value_now)
	UNION ALL (TABLE member_value_now EXCEPT TABLE member_value)) d")
rows=$(mv_psql -d memval_conc -At -c 'SELECT count(*) FROM member_value')
orders=$(mv_psql -d memval_conc -At -c 'SELECT count(*) FROM orders')
tx() { sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$1"; }
failed() { sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' "$1"; }
echo "inserting clients: $(tx "$work/insert.out") transactions, $(failed "$work/insert.out") failed (pgbench rc $ins_rc)"
echo "reading clients:   $(tx "$work/read.out") transactions, $(failed "$work/read.out") failed (pgbench rc $rd_rc)"
echo "refreshes: $refreshes, failed: $refresh_errors; final view: $rows customers over $orders orders, $diff row(s) differ from a full recompute"
if [ "$ins_rc" = 0 ] && [ "$rd_rc" = 0 ] && [ "$refresh_errors" = 0 ] && [ "$diff" = 0 ] &&
   [ "$(failed "$work/insert.out")" = 0 ] && [ "$(failed "$work/read.out")" = 0 ] && [ "$refreshes" -gt 0 ]; then
	echo "concurrency: ok"
else
	cat "$work/refresh.err" "$work/insert.out" "$work/read.out" | grep -i 'error\|abort' | head
	echo "concurrency: FAILED"; exit 1
fi
