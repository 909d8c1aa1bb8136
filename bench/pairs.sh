#!/usr/bin/env bash
# Interleaved runs of several queries in one backend, timed by the
# backend's own CPU time (utime + stime from /proc, 10 ms ticks), which
# waiting for a core on a shared machine does not inflate, and by
# EXPLAIN (ANALYZE, TIMING OFF) execution time.
#
#   bash bench/pairs.sh [-d DB] [-w WORKERS] [-s 'SET ...;'] N Q0 Q1 [Q2 ...]
#
# Runs the queries N times each, the order rotating from round to round,
# against the cluster of PGHOST/PGPORT (e.g. one started by bench/rfm.sh
# or a private one; the server must run on this machine).  Prints, per
# query, the median CPU and execution time and the median of the per-round
# ratios to Q0, with every round's execution-time ratio.
set -euo pipefail
db=memval_bench workers=0 settings=""
while [ $# -gt 0 ]; do
	case $1 in
		-d) db=$2; shift 2 ;;
		-w) workers=$2; shift 2 ;;
		-s) settings=$2; shift 2 ;;
		*) break ;;
	esac
done
[ $# -ge 3 ] || { sed -n '2,15p' "$0"; exit 1; }
n=$1; shift
qs=("$@"); k=${#qs[@]}
psql=${PSQL:-psql}
f=$(mktemp /tmp/memval-pairs.XXXXXX)
trap 'rm -f "$f"' EXIT
{
	echo "SET max_parallel_workers_per_gather = $workers; $settings"
	echo "SELECT pg_backend_pid() AS pgpid \\gset"
	echo "\\setenv MEMVAL_PAIRS_PID :pgpid"
	echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ${qs[0]};"	# warm-up
	for i in $(seq "$n"); do
		for j in $(seq 0 $((k - 1))); do
			q=$(((j + i) % k))
			echo "SELECT 'Q $q';"
			echo "\\! awk '{print \"CPU \" \$14+\$15}' /proc/\$MEMVAL_PAIRS_PID/stat"
			echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ${qs[$q]};"
			echo "\\! awk '{print \"CPU \" \$14+\$15}' /proc/\$MEMVAL_PAIRS_PID/stat"
		done
	done
} > "$f"
"$psql" -X -q -v ON_ERROR_STOP=1 -d "$db" -At -f "$f" | awk -v k="$k" -v hz="$(getconf CLK_TCK)" '
	/^Q / { q = $2; next }
	/^CPU / { if (c0 == "") c0 = $2; else { cpu[q, ++nc[q]] = ($2 - c0) * 1000 / hz; c0 = "" }; next }
	/^Execution Time/ { if (q != "") ex[q, ++ne[q]] = $3 }
	function med(a, n,   i, j, s, t) {
		for (i = 1; i <= n; i++) s[i] = a[i]
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
		return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
	}
	END {
		n = ne[0]
		for (q = 0; q < k; q++) {
			s = ""
			for (i = 1; i <= n; i++) {
				e[i] = ex[q, i]; c[i] = cpu[q, i]; er[i] = ex[q, i] / ex[0, i]
				cr[i] = cpu[0, i] > 0 ? cpu[q, i] / cpu[0, i] : 0
				s = s sprintf(" %.2f", er[i])
			}
			printf "Q%d: cpu %7.0f ms  exec %7.0f ms | / Q0: cpu %.3f  exec %.3f | exec per round:%s\n",
				q, med(c, n), med(e, n), med(cr, n), med(er, n), s
		}
	}'
