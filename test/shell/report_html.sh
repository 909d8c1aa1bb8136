#!/usr/bin/env bash
# demo/report.sh: on 5,000 generated customers run through the demo steps,
# the report is self-contained (no script, no external URL), shows the
# numbers of the SQL results (segment sizes and revenue, R x F cells,
# validation), and headless Chromium renders every chart with non-empty
# geometry (a copy of the report with a probe script that writes each SVG
# element's bounding box into the DOM, read back with --dump-dom).
# Installs Debian's chromium if missing (CI runs as root on a clean machine).
# Argument: the PostgreSQL bin directory.
set -euo pipefail
bindir=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
export MEMVAL_BINDIR=$bindir
work=$(mktemp -d /tmp/memval-report.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
q() { PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }
fail() { echo "not ok - report: $*"; exit 1; }
q -d postgres -c 'DROP DATABASE IF EXISTS memval_report' -c 'CREATE DATABASE memval_report'
q -d memval_report -c 'CREATE EXTENSION memval'
q -d memval_report -v customers=5000 -v seed=11 -f "$top/demo/gen_demo_orders.sql"
for s in "$top"/demo/steps/*.sql; do
	q -d memval_report -v lang=en -v as_of=2026-01-01 -v cal_end=2025-01-01 -f "$s" >/dev/null
done
html=$work/memval-report.html
bash "$top/demo/report.sh" memval_report "$html" 2>/dev/null
grep -qiE '<script|https?://|@import|url\(' "$html" && fail "the report loads something or runs a script"
for id in segments rf-grid tiers clv validation; do grep -q "<svg id=\"$id\"" "$html" || fail "no chart $id"; done
# numbers: every segment's customers and revenue, every R x F cell, every validation bucket
n_ok=0
while IFS='|' read -r seg n rev; do
	grep -qF "data-segment=\"$seg\" data-customers=\"$n\"" "$html" || fail "segment $seg: $n customers not in the report"
	grep -qF "data-segment=\"$seg\" data-revenue=\"$rev\"" "$html" || fail "segment $seg: revenue $rev not in the report"
	n_ok=$((n_ok + 1))
done < <(q -d memval_report -c "SELECT segment, count(*), sum(monetary) FROM customer_segment GROUP BY 1")
while IFS='|' read -r r f n mon; do
	grep -qF "data-r=\"$r\" data-f=\"$f\" data-customers=\"$n\" data-monetary=\"$mon\"" "$html" || fail "R$r F$f: $n, $mon not in the report"
	n_ok=$((n_ok + 1))
done < <(q -d memval_report -c "SELECT r(score), f(score), count(*), round(avg(monetary), 2) FROM customer_segment GROUP BY 1, 2")
while IFS='|' read -r b a p; do
	grep -qF "data-bucket=\"$b\" data-actual=\"$a\" data-predicted=\"$p\"" "$html" || fail "validation $b: $a / $p not in the report"
	n_ok=$((n_ok + 1))
done < <(q -d memval_report -c "SELECT repeat_purchases, round(actual::numeric, 3), round(predicted::numeric, 3) FROM validation")
q -d postgres -c 'DROP DATABASE memval_report'
[ "$n_ok" -ge 20 ] || fail "only $n_ok numbers checked"

if ! command -v chromium >/dev/null; then
	[ "$(id -u)" = 0 ] || fail "chromium is missing (apt-get install chromium)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
fi
probe=$work/probe.html
sed 's|</body></html>||' "$html" > "$probe"
cat >> "$probe" <<'JS'
<script>
var out = [];
document.querySelectorAll('svg.chart').forEach(function (svg) {
  var shapes = svg.querySelectorAll('rect, line, polyline, circle'), drawn = 0;
  shapes.forEach(function (e) { var b = e.getBBox(); if (b.width > 0 || b.height > 0) drawn++; });
  var r = svg.getBoundingClientRect();
  out.push(svg.id + ':' + Math.round(r.width) + 'x' + Math.round(r.height) + ':' + drawn + '/' + shapes.length);
});
var p = document.createElement('pre'); p.id = 'probe'; p.textContent = out.join(' ');
document.body.appendChild(p);
</script></body></html>
JS
profile=$work/profile
dom=$(timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
	--virtual-time-budget=2000 --dump-dom "file://$probe" 2>/dev/null) || fail "chromium failed"
probe_line=$(printf '%s' "$dom" | sed -nE 's|.*<pre id="probe">([^<]*)</pre>.*|\1|p')
[ -n "$probe_line" ] || fail "no probe output in the DOM"
for chart in $probe_line; do
	IFS=: read -r id size counts <<<"$chart"
	w=${size%x*} h=${size#*x} drawn=${counts%/*} total=${counts#*/}
	{ [ "$w" -gt 0 ] && [ "$h" -gt 0 ] && [ "$total" -gt 0 ] && [ $((drawn * 10)) -ge $((total * 9)) ]; } || fail "chart $id not rendered ($chart)"
done
[ "$(wc -w <<<"$probe_line")" -ge 5 ] || fail "fewer than 5 charts rendered: $probe_line"
echo "ok - report: $n_ok numbers match SQL; rendered: $probe_line"
