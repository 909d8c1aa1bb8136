#!/usr/bin/env bash
# Run the pg_regress suite with the server under valgrind memcheck and
# report any error whose stack passes through memval.so.
#
#   bash test/valgrind.sh [regress-file ...]
#
# Slow (valgrind runs every backend ~30x slower); not part of run-tests.sh.
source "$(dirname "$0")/common.sh"

command -v valgrind >/dev/null || {
	[ "$(id -u)" = 0 ] || die "valgrind is missing"
	apt-get install -y -qq valgrind >/dev/null
}
memval_setup
bindir=$(memval_bindir)
logdir=$(mktemp -d /tmp/memval-valgrind.XXXXXX)
chmod 777 "$logdir"

# pg_ctl starts "postgres" from the directory of the -p program: give it a
# wrapper that execs the real server under valgrind.
wrapdir=$(mktemp -d /tmp/memval-vgwrap.XXXXXX)
supp=$(cd "$(dirname "$0")" && pwd)/valgrind.supp
cat > "$wrapdir/postgres" <<WRAP
#!/bin/sh
exec valgrind --quiet --error-exitcode=0 --trace-children=no --track-origins=yes \
	--read-var-info=no --num-callers=30 --leak-check=no --suppressions=$supp \
	--log-file=$logdir/%p.log "$bindir/postgres" "\$@"
WRAP
chmod 755 "$wrapdir" "$wrapdir/postgres"

MEMVAL_PGDATA=$(mktemp -d /tmp/memval-data.XXXXXX)
MEMVAL_SOCKDIR=$(mktemp -d /tmp/memval-sock.XXXXXX)
owner=$([ "$(id -u)" = 0 ] && echo postgres || id -un)
chown "$owner" "$MEMVAL_PGDATA" "$MEMVAL_SOCKDIR"; chmod 700 "$MEMVAL_PGDATA"; chmod 755 "$MEMVAL_SOCKDIR"
trap 'memval_stop; rm -rf "$wrapdir"' EXIT
memval_run_as "$bindir/initdb" -D "$MEMVAL_PGDATA" -U postgres -A trust --no-sync >/dev/null
cat >> "$MEMVAL_PGDATA/postgresql.conf" <<CONF
port = $MEMVAL_PORT
listen_addresses = ''
unix_socket_directories = '$MEMVAL_SOCKDIR'
fsync = off
max_parallel_workers_per_gather = 2
CONF
say "starting the server under valgrind (slow)"
memval_run_as "$bindir/pg_ctl" -D "$MEMVAL_PGDATA" -p "$wrapdir/postgres" -t 300 \
	-l "$MEMVAL_PGDATA/server.log" -w start >/dev/null
export PGHOST=$MEMVAL_SOCKDIR PGPORT=$MEMVAL_PORT PGUSER=postgres
cd "$MEMVAL_TOP"
set +e
if [ $# -gt 0 ]; then
	make -s installcheck PG_CONFIG="$PG_CONFIG" REGRESS="$*"
else
	make -s installcheck PG_CONFIG="$PG_CONFIG"
fi
rc=$?
# VALGRIND_CORPUS=1: also the bad-input corpus (pgTAP) and FUZZ_COUNT (default
# 5,000) randomized inputs, error paths pg_regress does not reach (slower).
if [ "${VALGRIND_CORPUS:-0}" = 1 ]; then
	mv_psql -d postgres -c 'DROP DATABASE IF EXISTS memval_vg' -c 'CREATE DATABASE memval_vg'
	mv_psql -d memval_vg -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION memval'
	pg_prove -d memval_vg -U postgres -h "$PGHOST" -p "$PGPORT" test/tap/bad_input_corpus.sql || rc=1
	FUZZ_COUNT=${FUZZ_COUNT:-5000} bash test/shell/fuzz_inputs.sh "$bindir" || rc=1
fi
set -e
memval_run_as "$bindir/pg_ctl" -D "$MEMVAL_PGDATA" -m fast stop >/dev/null 2>&1 || true

# Errors in memval's code: any valgrind record that mentions memval.so.
found=0
for f in "$logdir"/*.log; do
	if grep -q 'memval\.so' "$f"; then
		found=$((found + 1))
		echo "---- $f"
		cat "$f"
	fi
done
total=$(cat "$logdir"/*.log | grep -c '^==[0-9]*== [A-Z]' || true)
echo "valgrind: $found backend log(s) with errors in memval.so; $total error lines in all"
if [ "$total" -gt 0 ]; then
	echo "reports outside memval.so, by kind and innermost PostgreSQL function:"
	for f in "$logdir"/*.log; do
		awk '/^==[0-9]+== [A-Z]/ { kind = $0; sub(/^==[0-9]+== /, "", kind); want = 1; next }
		     want && /(at|by) 0x.*\(in .*postgresql/ && !/\?\?\?/ { fn = $0; sub(/.*0x[0-9A-F]+: /, "", fn); sub(/ \(in .*/, "", fn); print kind " <- " fn; want = 0 }' "$f"
	done | sort | uniq -c
fi
if [ "$found" -eq 0 ] && [ "$total" -eq 0 ]; then rm -rf "$logdir"; else echo "valgrind logs kept in $logdir"; fi
[ "$rc" -eq 0 ] && [ "$found" -eq 0 ]
