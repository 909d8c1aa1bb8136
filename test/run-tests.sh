#!/usr/bin/env bash
# The whole test suite: set-up, pg_regress (make installcheck), pgTAP (pg_prove).
# Ends with one line "N passed, N failed"; exits non-zero on any failure.
MEMVAL_WERROR=1   # warnings are errors here and in CI, not in a user's plain make
source "$(dirname "$0")/common.sh"

# MEMVAL_EXTERNAL_CLUSTER=1: run against the cluster in PGHOST/PGPORT (memval
# already installed there; test/sanitize.sh uses this), no build or start.
if [ "${MEMVAL_EXTERNAL_CLUSTER:-0}" = 1 ]; then
	export PG_CONFIG=$SYS_BINDIR/pg_config
else
	memval_setup
	memval_start
fi
cd "$MEMVAL_TOP"

passed=0 failed=0

say "pg_regress (make installcheck)"
rm -f regression.diffs
set +e
make -s PG_CONFIG="$PG_CONFIG" installcheck 2>&1 | tee /tmp/memval-regress.$$.log
regress_rc=${PIPESTATUS[0]}
set -e
# pg_regress prints "ok" / "FAILED" per test (PG 15: "test name ... ok").
r_ok=$(grep -cE '^(ok|test) .*\.\.\. ok|^ok [0-9]+ ' /tmp/memval-regress.$$.log || true)
r_bad=$(grep -cE '\.\.\. FAILED|^not ok ' /tmp/memval-regress.$$.log || true)
rm -f /tmp/memval-regress.$$.log
if [ "$regress_rc" -ne 0 ] && [ "$r_bad" -eq 0 ]; then r_bad=1; fi
passed=$((passed + r_ok)); failed=$((failed + r_bad))
if [ -f regression.diffs ]; then
	echo "---- regression.diffs ----"
	cat regression.diffs
fi

say "pgTAP (pg_prove test/tap/*.sql)"
mv_psql -d postgres -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS memval_tap' -c 'CREATE DATABASE memval_tap'
mv_psql -d memval_tap -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION memval'
set +e
pg_prove -d memval_tap -U postgres -h "$PGHOST" -p "$PGPORT" test/tap/*.sql 2>&1 | tee /tmp/memval-tap.$$.log
tap_rc=${PIPESTATUS[0]}
set -e
# Count the individual pgTAP assertions from pg_prove's summary.
t_total=$(sed -nE 's/^Files=[0-9]+, Tests=([0-9]+),.*/\1/p' /tmp/memval-tap.$$.log | tail -1)
# Each file in the failure summary counts its failed assertions, at least
# one (a file that died or had no plan).
t_bad=$(sed -nE 's/^[^ ].*\(Wstat: .* Failed: ([0-9]+)\)$/\1/p' /tmp/memval-tap.$$.log |
	awk '{s += ($1 > 0 ? $1 : 1)} END {print s+0}')
rm -f /tmp/memval-tap.$$.log
t_total=${t_total:-0}
if [ "$tap_rc" -ne 0 ] && [ "$t_bad" -eq 0 ]; then t_bad=1; fi
t_good=$((t_total - t_bad)); [ "$t_good" -ge 0 ] || t_good=0
passed=$((passed + t_good)); failed=$((failed + t_bad))

# Shell tests (test/shell/*.sh): each one is a single pass/fail check that
# needs the cluster's binaries (pg_dump, pg_restore); argument: bin dir.
say "shell tests (test/shell/*.sh)"
for t in test/shell/*.sh; do
	[ -e "$t" ] || continue
	if bash "$t" "$(memval_bindir)"; then
		passed=$((passed + 1))
	else
		echo "FAILED: $t"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$regress_rc" -eq 0 ] && [ "$tap_rc" -eq 0 ] && [ "$failed" -eq 0 ]
