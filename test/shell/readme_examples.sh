#!/usr/bin/env bash
# README.md's examples run: every ```sql and ```psql block, in the order of
# the file, each in its own psql session (-v ON_ERROR_STOP=1), all in one
# fresh database (memval_readme, created here and dropped afterwards), with
# the repository's top as working directory (so `\i recipes/...` works).
# Getting started creates the tables the later blocks use.  Blocks in other
# languages (sh, text, unmarked) are not run.  A block may be indented (in a
# list item); the indentation of its fence is stripped.
#
# Markers, on comment lines at the top of a block:
#   -- fails: SQLSTATE   the block must stop with an error of exactly that
#                        SQLSTATE (e.g. `-- fails: 22023`); success or any
#                        other error fails the test
#   -- requires: NAME    the block needs the extension NAME, which needs
#                        more than this cluster has (citus and pg_cron need
#                        shared_preload_libraries): it runs only if
#                        `CREATE EXTENSION IF NOT EXISTS NAME` succeeds in
#                        the database, and is reported as skipped otherwise
# Every other block must succeed, and must not print "(0 rows)": each query
# of the manual returns rows on the example data.  No block may contain a
# `...` or `…` placeholder.
#
# Argument: the PostgreSQL bin directory (cluster from test/run-tests.sh).
# MEMVAL_README=FILE checks another file (to see this test fail).
set -euo pipefail
bindir=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
readme=${MEMVAL_README:-$top/README.md}
db=memval_readme
q() { PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }
work=$(mktemp -d /tmp/memval-readme.XXXXXX)
cleanup() {
	q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

# Split the README into $work/NNN.sql, one per block; $work/index has
# "NNN line" (the line of the opening fence).
awk -v dir="$work" '
	!inblk && match($0, /^[ \t]*```(sql|psql)[ \t]*$/) {
		inblk = 1; n++; f = sprintf("%s/%03d.sql", dir, n)
		indent = index($0, "`") - 1
		printf "%03d %d\n", n, NR > (dir "/index"); next
	}
	inblk && /^[ \t]*```[ \t]*$/ { inblk = 0; close(f); next }
	inblk { l = (substr($0, 1, indent) ~ /^[ \t]*$/) ? substr($0, indent + 1) : $0; print l > f }
	END { if (inblk) { print "unterminated block at the end" > "/dev/stderr"; exit 1 } }
' "$readme"
[ -s "$work/index" ] || { echo "not ok - readme: no sql blocks in $readme"; exit 1; }

q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
fails=0 ran=0 failing=0 skipped=()
while read -r n line; do
	f=$work/$n.sql
	where="README.md:$line"
	if grep -qF -e '...' -e '…' "$f"; then
		echo "not ok - readme: $where: a placeholder (... or …) in the block"; fails=$((fails + 1)); continue
	fi
	# markers: leading comment lines only
	expect= requires=
	while IFS= read -r l; do
		case "$l" in
			'-- fails: '*) expect=${l#-- fails: }; expect=${expect%% *} ;;
			'-- requires: '*) requires=${l#-- requires: }; requires=${requires%% *} ;;
			--*) ;;
			*) break ;;
		esac
	done < "$f"
	if [ -n "$requires" ]; then
		if ! q -d "$db" -c "CREATE EXTENSION IF NOT EXISTS $requires" >/dev/null 2>&1; then
			skipped+=("$where ($requires)"); continue
		fi
	fi
	set +e
	out=$(cd "$top" && PGOPTIONS="-c client_min_messages=warning -c statement_timeout=120s" \
		"$bindir/psql" -X -d "$db" -v ON_ERROR_STOP=1 -c '\set VERBOSITY verbose' -f "$f" 2>&1)
	rc=$?
	set -e
	ran=$((ran + 1))
	state=$(sed -nE 's/^(psql:[^ ]* )?ERROR:  ([0-9A-Z]{5}): .*/\2/p' <<<"$out" | head -1)
	if [ -n "$expect" ]; then
		if [ "$rc" -ne 0 ] && [ "$state" = "$expect" ]; then
			failing=$((failing + 1))
		else
			echo "not ok - readme: $where: expected SQLSTATE $expect, got rc $rc, SQLSTATE [${state}]"
			tail -5 <<<"$out" | sed 's/^/    /'
			fails=$((fails + 1))
		fi
	elif [ "$rc" -ne 0 ]; then
		echo "not ok - readme: $where: the block failed (SQLSTATE ${state:-none}):"
		grep -E 'ERROR|DETAIL|HINT|LINE|psql:' <<<"$out" | head -8 | sed 's/^/    /'
		fails=$((fails + 1))
	elif grep -q '^(0 rows)$' <<<"$out"; then
		echo "not ok - readme: $where: a query of the block returned no rows"
		fails=$((fails + 1))
	fi
done < "$work/index"

total=$(wc -l < "$work/index")
if [ "$ran" -lt 20 ]; then
	echo "not ok - readme: only $ran of $total blocks ran"; fails=$((fails + 1))
fi
skip_note=
[ ${#skipped[@]} -eq 0 ] || skip_note="; skipped (extension not available): ${skipped[*]}"
if [ "$fails" -ne 0 ]; then
	echo "not ok - readme: $fails of $total blocks failed$skip_note"
	exit 1
fi
echo "ok - readme: $ran of $total sql blocks ran in order ($failing failed as marked)$skip_note"
