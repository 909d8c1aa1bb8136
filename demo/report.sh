#!/usr/bin/env bash
# Write the demo's HTML report from a database the demo steps filled.
#   bash demo/report.sh DATABASE FILE
set -euo pipefail
db=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
bindir=${MEMVAL_BINDIR:-}
if [ -z "$bindir" ] && declare -F memval_bindir >/dev/null; then bindir=$(memval_bindir); fi
"${bindir:+$bindir/}psql" -X -q -v ON_ERROR_STOP=1 -At -d "$db" -f "$here/report.sql" > "$out.tmp"
mv "$out.tmp" "$out"
printf 'report: %s (%s bytes)\n' "$out" "$(wc -c < "$out")" >&2
