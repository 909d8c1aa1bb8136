#!/usr/bin/env bash
# A PNG of the demo's HTML report, for people (headless Chromium, Debian's
# `chromium` package; nothing is fetched from the network).
#   bash demo/screenshot.sh [memval-report.html] [memval-report.png]
set -euo pipefail
in=${1:-memval-report.html} out=${2:-memval-report.png}
command -v chromium >/dev/null || { echo "error: install Debian's chromium package" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
case "$in" in /*) ;; *) in=$PWD/$in ;; esac
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
	--hide-scrollbars --window-size=1000,2600 --screenshot="$out" "file://$in" 2>/dev/null
echo "screenshot: $out" >&2
