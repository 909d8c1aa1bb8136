#!/usr/bin/env bash
# Randomized pass (issue 14, item 2): 100,000 random and mutated strings and
# byte sequences (fixed seed) into every type input and receive function of
# memval and its text-taking functions, by test/fuzz/fuzz_inputs.c (libpq).
# Fails on an XX000 error, a lost connection, or "terminated by signal" in
# the server log (MEMVAL_SERVER_LOG, set by test/common.sh's memval_start).
# Run by test/run-tests.sh with its cluster up; argument: the bin directory.
#   FUZZ_COUNT=n FUZZ_SEED=s  to run more inputs or another sequence.
set -euo pipefail
bindir=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/memval-fuzz.XXXXXX)
q() { PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }
cleanup() { rm -rf "$tmp"; q -d postgres -c 'DROP DATABASE IF EXISTS memval_fuzz'; }
trap cleanup EXIT
pg_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
gcc -O1 -Wall -o "$tmp/fuzz_inputs" "$here/test/fuzz/fuzz_inputs.c" \
	-I"$($pg_config --includedir)" -L"$($pg_config --libdir)" -lpq
q -d postgres -c 'DROP DATABASE IF EXISTS memval_fuzz' -c 'CREATE DATABASE memval_fuzz'
q -d memval_fuzz <<'SQL'
CREATE EXTENSION memval;
CREATE TABLE memval_fuzz_sample AS SELECT
	rfm_partial(ts, a, '2026-01-01') AS rfm_state,
	btyd_partial(ts, a, '2026-01-01', '7 days') AS btyd_state,
	(SELECT clv_numeric_trans(NULL, '2025-01-01', 12.5, '2026-01-01', '3 years', 0.3, 0.1)) AS clv_state,
	(SELECT fit_combine(fit_count_trans(NULL, 3, 20.5, 40), fit_count_trans(NULL, 0, 0, 9))) AS fit_state,
	'10-3-7/12'::rfm_score AS rfm_score,
	rfm_breaks('{7,30,90}', '{1,2,5}', '{10.50,100,1000}') AS rfm_breaks,
	(SELECT rfm_breaks_trans(rfm_breaks_trans(NULL, rfm('2025-01-01'::timestamptz, 10.5::numeric, '2026-01-01'), 4),
	                         rfm('2025-03-01'::timestamptz, 99::numeric, '2026-01-01'), 4)) AS rfm_breaks_state,
	(SELECT rfm_score_numeric_trans(NULL, '2025-01-01', 10::numeric, '2026-01-01', rfm_breaks('{7,30}', '{1,2}', '{10.50,100}'))) AS rfm_score_state,
	cohort_activity(ts, a, '1 month') AS cohort_activity,
	(SELECT cohort_table(ca) FROM (SELECT cohort_activity(ts2, a2, '1 month') ca FROM
	  (VALUES (1, '2025-01-05'::timestamptz, 10::numeric), (1, '2025-03-01', 5), (2, '2025-02-01', 7)) w(id, ts2, a2) GROUP BY id) c) AS cohort_table,
	(SELECT tier_scheme_value('tier4', 'zh')) AS tier_rules
FROM (VALUES ('2025-01-01'::timestamptz, 10.25::numeric), ('2025-05-01', -3), ('2025-09-01', 120)) v(ts, a);
SQL
# the sample has one row: collapse the aggregates' groups
q -d memval_fuzz -c 'SELECT count(*) FROM memval_fuzz_sample' | grep -qx 1
before=0
if [ -n "${MEMVAL_SERVER_LOG:-}" ] && [ -r "$MEMVAL_SERVER_LOG" ]; then
	before=$(grep -c 'terminated by signal' "$MEMVAL_SERVER_LOG" || true)
fi
rc=0
PGDATABASE=memval_fuzz "$tmp/fuzz_inputs" "${FUZZ_COUNT:-100000}" "${FUZZ_SEED:-14}" || rc=$?
if [ -n "${MEMVAL_SERVER_LOG:-}" ] && [ -r "$MEMVAL_SERVER_LOG" ]; then
	after=$(grep -c 'terminated by signal' "$MEMVAL_SERVER_LOG" || true)
	if [ "$after" != "$before" ]; then echo "server log: a backend was terminated by a signal"; rc=1; fi
fi
if [ $rc = 0 ]; then echo "ok - randomized inputs: no crash, no XX000"; else echo "not ok - randomized inputs"; fi
exit $rc
