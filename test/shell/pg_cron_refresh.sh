#!/usr/bin/env bash
# recipes/member_value.sql scheduled with pg_cron, in a second throwaway
# cluster (shared_preload_libraries = 'pg_cron'; port PGPORT + 10 unless
# MEMVAL_CRON_PORT is set).  Installs Debian's postgresql-15-cron if missing.
#  - member_value: every column a built-in type (catalog); a scheduled
#    REFRESH ... CONCURRENTLY succeeds (cron.job_run_details) and a reader
#    reads the view while that refresh holds its lock (the refresh is kept
#    waiting on the orders table meanwhile, so the overlap is certain);
#  - member_value_inc: the nightly merge of stored rfm_state/btyd_state over
#    three appended days (new orders, refunds, back-dated rows, a new
#    customer, an order dated after the next night's as_of), the last night
#    run by pg_cron, equals a full recompute; the view has the AIPL stage.
# Argument: the PostgreSQL bin directory.
set -euo pipefail
bindir=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "not ok - pg_cron: $*"; exit 1; }

sys_lib=/usr/lib/postgresql/15/lib
if [ ! -f "$sys_lib/pg_cron.so" ]; then
	[ "$(id -u)" = 0 ] || fail "postgresql-15-cron is missing (apt-get install postgresql-15-cron)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends postgresql-15-cron >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null; apt-get install -y -qq --no-install-recommends postgresql-15-cron >/dev/null; }
fi
libdir=$("$bindir/pg_config" --pkglibdir) sharedir=$("$bindir/pg_config" --sharedir)
if [ ! -f "$libdir/pg_cron.so" ]; then      # a private copy of PostgreSQL (MEMVAL_PGROOT)
	cp /usr/lib/postgresql/15/lib/pg_cron.so "$libdir/"
	cp /usr/share/postgresql/15/extension/pg_cron* "$sharedir/extension/"
fi

port=${MEMVAL_CRON_PORT:-$((PGPORT + 10))}
owner=$([ "$(id -u)" = 0 ] && echo postgres || id -un)
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
data=$(mktemp -d /tmp/memval-cron-data.XXXXXX) sock=$(mktemp -d /tmp/memval-cron-sock.XXXXXX)
chown "$owner" "$data" "$sock"; chmod 700 "$data"; chmod 755 "$sock"
holder=
cleanup() {
	[ -z "$holder" ] || kill "$holder" 2>/dev/null || true
	as_owner "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$data" "$sock"
}
trap cleanup EXIT
as_owner "$bindir/initdb" -D "$data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$data/postgresql.conf" <<CONF
port = $port
listen_addresses = ''
unix_socket_directories = '$sock'
fsync = off
timezone = 'UTC'
shared_preload_libraries = 'pg_cron'
cron.database_name = 'memval_cron'
cron.use_background_workers = on
max_worker_processes = 16
CONF
as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w start >/dev/null || { cat "$data/server.log"; fail "cluster did not start"; }
export PGHOST=$sock PGPORT=$port PGUSER=postgres
q() { PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }
q -d postgres -c 'CREATE DATABASE memval_cron'
q -d memval_cron -c 'CREATE EXTENSION memval' -c 'CREATE EXTENSION pg_cron'
q -d memval_cron -v customers=3000 -v seed=5 -f "$top/demo/gen_demo_orders.sql"
# the last three days arrive later, one a night; order_id grows with inserts
q -d memval_cron >/dev/null <<'SQL'
CREATE TABLE pending AS SELECT * FROM orders WHERE order_ts >= '2025-12-29';
DELETE FROM orders WHERE order_ts >= '2025-12-29';
CREATE SEQUENCE orders_id_seq OWNED BY orders.order_id;
SELECT setval('orders_id_seq', (SELECT max(order_id) FROM orders));
ALTER TABLE orders ALTER order_id SET DEFAULT nextval('orders_id_seq');
CREATE TABLE flag (done bool);
SQL
q -d memval_cron -f "$top/recipes/member_value.sql"
# every column of the view is a built-in type
nonbuiltin=$(q -d memval_cron -c "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ')
	FROM pg_attribute WHERE attrelid IN ('member_value'::regclass, 'member_value_inc'::regclass)
	AND attnum > 0 AND NOT attisdropped AND atttypid >= 16384")
[ -z "$nonbuiltin" ] || fail "columns of a non-built-in type: $nonbuiltin"
ncols=$(q -d memval_cron -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'member_value'::regclass AND attnum > 0")
[ "$ncols" = 12 ] || fail "member_value has $ncols columns"
aipl=$(q -d memval_cron -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'member_value'::regclass AND attname = 'aipl_stage'")
[ "$aipl" = text ] || fail "member_value has no text column aipl_stage"

append_day() {   # $1 = day: its pending orders, plus a refund, a back-dated order and a new customer
	q -d memval_cron -c "
	INSERT INTO orders (customer_id, order_ts, amount)
	SELECT customer_id, order_ts, amount FROM pending WHERE order_ts >= '$1' AND order_ts < date '$1' + 1 ORDER BY order_ts;
	INSERT INTO orders (customer_id, order_ts, amount) VALUES
	    (7, '$1 10:00+00', -12.50),
	    (11, date '$1' - 200 + time '09:30', 31.20),           -- back-dated by 200 days
	    (13, date '$1' - 3 + time '18:00', 0),                 -- back-dated zero amount
	    (17, date '$1' + 1 + time '02:00', 25.00),             -- dated after the next night's as_of
	    (100000 + extract(day FROM date '$1')::int, date '$1' - 30 + time '12:00', 44.00);  -- a new customer, back-dated"
}
q -d memval_cron -c "SELECT member_value_nightly('2025-12-29')" >/dev/null
append_day 2025-12-29; q -d memval_cron -c "SELECT member_value_nightly('2025-12-30')" >/dev/null
append_day 2025-12-30; q -d memval_cron -c "SELECT member_value_nightly('2025-12-31')" >/dev/null
append_day 2025-12-31
q -d memval_cron -c "SELECT member_value_refit('2026-01-01')" -c 'REFRESH MATERIALIZED VIEW member_value' -c 'REFRESH MATERIALIZED VIEW member_value_inc' >/dev/null

# keep the scheduled refreshes waiting on the orders table, so that the
# reader below certainly runs while a refresh holds member_value's lock
q -d memval_cron -c "BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;
	DO \$\$ BEGIN FOR i IN 1..900 LOOP EXIT WHEN EXISTS (SELECT FROM flag); PERFORM pg_sleep(0.2); END LOOP; END \$\$; COMMIT" &
holder=$!
q -d memval_cron -c "SELECT cron.schedule('member_value', '* * * * *', 'REFRESH MATERIALIZED VIEW CONCURRENTLY member_value')" \
	-c "SELECT cron.schedule('member_value_nightly', '* * * * *', \$\$SELECT member_value_nightly('2026-01-01'); REFRESH MATERIALIZED VIEW CONCURRENTLY member_value_inc\$\$)" >/dev/null
waiting=
for _ in $(seq 1 80); do
	waiting=$(q -d memval_cron -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
		WHERE l.relation = 'member_value'::regclass AND l.granted AND l.mode = 'ExclusiveLock'
		AND a.query LIKE 'REFRESH MATERIALIZED VIEW CONCURRENTLY member_value%' AND a.wait_event_type = 'Lock'")
	[ "$waiting" = 1 ] && break
	sleep 1
done
[ "$waiting" = 1 ] || { q -d postgres -c 'INSERT INTO flag VALUES (true)' -d memval_cron || true; fail "no scheduled refresh started within 80 s"; }
t0=$(date +%s%N)
read_ok=$(q -d memval_cron -c "SET lock_timeout = '2s'" -c "SELECT count(*) > 0 FROM member_value") || read_ok=blocked
t1=$(date +%s%N)
q -d memval_cron -c 'INSERT INTO flag VALUES (true)'
wait "$holder"; holder=
[ "$read_ok" = t ] || fail "a reader was blocked during REFRESH ... CONCURRENTLY ($read_ok)"
read_ms=$(( (t1 - t0) / 1000000 ))
status=
for _ in $(seq 1 60); do
	status=$(q -d memval_cron -c "SELECT string_agg(j.jobname || '=' || d.status, ',' ORDER BY j.jobname)
		FROM cron.job j JOIN LATERAL (SELECT status FROM cron.job_run_details d WHERE d.jobid = j.jobid
		AND d.status IN ('succeeded', 'failed') ORDER BY runid LIMIT 1) d ON true")
	[ "$status" = "member_value=succeeded,member_value_nightly=succeeded" ] && break
	case "$status" in *failed*) break ;; esac
	sleep 1
done
q -d memval_cron -c "SELECT cron.unschedule('member_value'), cron.unschedule('member_value_nightly')" >/dev/null
if [ "$status" != "member_value=succeeded,member_value_nightly=succeeded" ]; then
	q -d memval_cron -c "SELECT jobid, status, return_message FROM cron.job_run_details" >&2
	fail "scheduled runs: [$status]"
fi
# incremental (states merged over three nights, the last by pg_cron) = full recompute
q -d memval_cron -c "SELECT member_value_refit('2026-01-01')" -c 'REFRESH MATERIALIZED VIEW member_value' >/dev/null
diff=$(q -d memval_cron -c "SELECT (SELECT count(*) FROM (TABLE member_value EXCEPT TABLE member_value_inc) a)
	+ (SELECT count(*) FROM (TABLE member_value_inc EXCEPT TABLE member_value) b),
	(SELECT count(*) FROM member_value), (SELECT count(*) FROM member_value WHERE as_of = '2026-01-01'),
	(SELECT count(*) FROM orders WHERE order_ts >= '2025-12-29' OR customer_id > 100000)")
IFS='|' read -r ndiff nrows nasof nnew <<<"$diff"
stages=$(q -d memval_cron -c "SELECT count(DISTINCT aipl_stage) FROM member_value")
[ "$ndiff" = 0 ] && [ "$nrows" -gt 3000 ] && [ "$nasof" = "$nrows" ] && [ "$nnew" -gt 10 ] && [ "$stages" -ge 2 ] ||
	fail "incremental vs full: $ndiff differing rows of $nrows ($nasof as of 2026-01-01, $nnew appended orders)"
echo "ok - pg_cron: scheduled refreshes succeeded, reader not blocked (${read_ms} ms), incremental = full over $nrows customers"
