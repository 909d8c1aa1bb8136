#!/usr/bin/env bash
# Issue 14 in one command: the reliability and security checks, one after
# the other, each on its own throwaway cluster (MEMVAL_PORT, MEMVAL_PGROOT
# as for test/run-tests.sh), then a summary line per step.
#
#   bash test/reliability.sh            everything (about 30-60 min on 2 cores)
#   RELIABILITY_SKIP="valgrind memory"  skip steps by name
#   RELIABILITY_ROWS=1000000            rows of the cancellation tables (10M)
#
# Steps: suite (test/run-tests.sh: the bad-input corpus, the randomized
# inputs, privileges/search_path and dump/restore are part of it), sanitize,
# valgrind, cancel, memory, concurrency.
here=$(cd "$(dirname "$0")" && pwd)
logdir=$(mktemp -d /tmp/memval-reliability.XXXXXX)
declare -a names results
run() {
	local name=$1; shift
	case " ${RELIABILITY_SKIP:-} " in *" $name "*) names+=("$name"); results+=("skipped"); return;; esac
	printf '\n\033[1m==== %s: %s\033[0m\n' "$name" "$*"
	local t0=$SECONDS rc=0
	"$@" 2>&1 | tee "$logdir/$name.log"
	rc=${PIPESTATUS[0]}
	names+=("$name")
	results+=("$([ "$rc" = 0 ] && echo ok || echo FAILED) ($((SECONDS - t0)) s): $(grep -v '^\s*$' "$logdir/$name.log" | grep -E 'passed|sanitize|valgrind:|cancel:|concurrency:|^\|' | tail -1)")
}
run suite bash "$here/run-tests.sh"
run sanitize bash "$here/sanitize.sh"
run valgrind bash "$here/valgrind.sh"
run cancel bash "$here/cancel.sh" "${RELIABILITY_ROWS:-10000000}"
run memory bash "$here/memory.sh"
run concurrency bash "$here/concurrency.sh" 60
echo
echo "reliability summary (logs in $logdir):"
failed=0
for i in "${!names[@]}"; do
	printf '  %-12s %s\n' "${names[$i]}" "${results[$i]}"
	case "${results[$i]}" in FAILED*) failed=1;; esac
done
exit $failed
