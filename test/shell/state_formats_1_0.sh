#!/usr/bin/env bash
# Stored states of memval 1.0 still read: the text and binary forms of
# rfm_state, btyd_state, fit_state and clv_state, captured from the 1.0
# format (commit 25be2f8, before the stored values carried their format
# version), are read back by this build and give the same states as this
# build's aggregates on the same orders.  Run by test/run-tests.sh with its
# cluster up (PGHOST, PGPORT, PGUSER set); argument: the PostgreSQL bin
# directory.  Exit 0 = pass.
set -euo pipefail
bindir=$1
bin=$(mktemp /tmp/memval-states.XXXXXX)
trap 'rm -f "$bin"' EXIT
q() { PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

# The states of fixed orders, built by the aggregates (as when captured).
build=$(cat <<'SQL'
-- the states of fixed orders, built by the aggregates (shared by capture and test)
CREATE TEMP TABLE fx_orders (cid int, ts timestamptz, amount numeric);
INSERT INTO fx_orders VALUES
 (1, '2025-01-03 10:00+00', 12.50), (1, '2025-02-14 09:30+00', 40.00), (1, '2025-02-14 18:00+00', 7.25),
 (1, '2025-06-01 12:00+00', -5.00), (1, '2025-09-30 23:59+00', 99.999),
 (2, '2025-03-01 00:00+00', 123456789012345678901234567890.123456789), (2, '2025-04-01 00:00+00', 1);
CREATE AGGREGATE pg_temp.fx_fit_count(float8, float8, float8, float8) (SFUNC = fit_count_trans, STYPE = fit_state);
CREATE AGGREGATE pg_temp.fx_fit_spend(float8, float8) (SFUNC = fit_spend_trans, STYPE = fit_state);
CREATE AGGREGATE pg_temp.fx_clv(timestamptz, numeric, timestamptz, interval, float8, float8) (SFUNC = clv_numeric_trans, STYPE = clv_state);
CREATE TEMP TABLE fx_hist (x float8, t_x float8, t float8, m float8);
INSERT INTO fx_hist VALUES (0, 0, 30, NULL), (2, 10.5, 30, 12.25), (2, 10.5, 30, 12.25), (5, 28, 39, 3.5), (1, 1, 1.5, 0.1);
CREATE TEMP TABLE fx_states AS
SELECT
 (SELECT rfm_partial(ts, amount, '2026-01-01') FROM fx_orders WHERE cid = 1) AS rfm_numeric,
 (SELECT rfm_partial(ts, amount, '2026-01-01') FROM fx_orders WHERE cid = 2) AS rfm_overflow,
 (SELECT rfm_partial(ts, amount::float8, '2026-01-01') FROM fx_orders WHERE cid = 1) AS rfm_float8,
 (SELECT btyd_partial(ts, amount, '2026-01-01') FROM fx_orders WHERE cid = 1 AND amount < 1000) AS btyd_numeric,
 (SELECT btyd_partial(ts, amount::float8, '2026-01-01', '7 days') FROM fx_orders WHERE cid = 1) AS btyd_float8,
 (SELECT pg_temp.fx_fit_count(x, t_x, t, 0.01) FROM fx_hist) AS fit_count,
 (SELECT pg_temp.fx_fit_spend(x, m) FROM fx_hist) AS fit_spend,
 (SELECT pg_temp.fx_clv(ts, amount, '2026-01-01', '3 years', 0.3, 0.1) FROM fx_orders WHERE cid = 1) AS clv;
SQL
)

# The text forms 1.0 wrote for these states (column|text).
text=$(cat <<'TXT'
rfm_numeric|(numeric,820540800000000,789213600000000,812591940000000,4,1,154.749)
rfm_overflow|(numeric,820540800000000,794102400000000,796780800000000,2,0,123456789012345678901234567891.123456789)
rfm_float8|(float8,820540800000000,789213600000000,812591940000000,4,1,154.749)
btyd_numeric|(numeric,86400000000,820540800000000,9497,4,12.50,147.249,9134 9176 9404)
btyd_float8|(float8,604800000000,820540800000000,9497,4,12.5,147.249,9134 9176 9404)
fit_count|count pen=0.01 skipped=0 0:0:30*1 1:1:1.5*1 2:10.5:30*2 5:28:39*1
fit_spend|spend pen=none skipped=1 1:0.1:0*1 2:12.25:0*2 5:3.5:0*1
clv|(3,0.3,0.1,(numeric,820540800000000,789213600000000,812591940000000,4,1,154.749))
TXT
)

# COPY fx_states TO STDOUT WITH (FORMAT binary) as 1.0 wrote it, in hex.
hex='5047434f50590aff0d0a00000000000000000000080000003b0101010002ea470ae860000002cdc91c47a8000002e30c4dee5900000000000000000400000000000000010000000c0002000000000003009a1d420000004d0101010002ea470ae860000002d23b5f77a0000002d4aafc8c4000000000000000000200000000000000000000001e000b000700000009000c0d801ed204d2162e23340d801ed304d2162e2328000000330102010002ea470ae860000002cdc91c47a8000002e30c4dee590000000000000000040000000000000001406357f7ced916870000004f010101000000141dd760000002ea470ae860000000251900000000000000040000000c0002000000000002000c13880000000c0002000000000003009309ba00000003000023ae000023d8000024bc0000003f0102010000008cd0e3a0000002ea470ae860000000251900000000000000044029000000000000406267f7ced9168700000003000023ae000023d8000024bc0000009b0101013f847ae147ae147b0000000000000000000000000000000400000000000000000000000000000000403e00000000000000000000000000013ff00000000000003ff00000000000003ff8000000000000000000000000000140000000000000004025000000000000403e00000000000000000000000000024014000000000000403c000000000000404380000000000000000000000000010000007b0102000000000000000000000000000000000100000000000000033ff00000000000003fb999999999999a0000000000000000000000000000000140000000000000004028800000000000000000000000000000000000000000024014000000000000400c0000000000000000000000000000000000000000000100000059010140080000000000003fd33333333333333fb999999999999a0000003b0101010002ea470ae860000002cdc91c47a8000002e30c4dee5900000000000000000400000000000000010000000c0002000000000003009a1d42ffff'
perl -e 'print pack("H*", $ARGV[0])' "$hex" > "$bin"
chmod 644 "$bin"

q -d postgres -c 'DROP DATABASE IF EXISTS memval_states' -c 'CREATE DATABASE memval_states'
q -d memval_states -c 'CREATE EXTENSION memval'

cols="rfm_numeric rfm_overflow rfm_float8 btyd_numeric btyd_float8 fit_count fit_spend clv"
fail=0
for c in $cols; do
	want=$(printf '%s\n' "$text" | sed -n "s/^$c|//p")
	fresh=$(q -d memval_states -c "$build" -c "SELECT $c::text FROM fx_states")
	typ=$(q -d memval_states -c "$build" -c "SELECT pg_typeof($c) FROM fx_states")
	from_text=$(q -d memval_states -c "SELECT '$want'::$typ::text")
	from_binary=$(q -d memval_states -c "$build" -c "CREATE TEMP TABLE fx_old (LIKE fx_states)" \
		-c "\\copy fx_old FROM '$bin' WITH (FORMAT binary)" -c "SELECT $c::text FROM fx_old")
	if [ "$fresh" != "$want" ] || [ "$from_text" != "$want" ] || [ "$from_binary" != "$want" ]; then
		echo "# $c: 1.0 text [$want], this build [$fresh], read from 1.0 text [$from_text], from 1.0 binary [$from_binary]"
		fail=1
	fi
done
# the results of states read from the 1.0 forms
got=$(q -d memval_states -c "$build" -c "CREATE TEMP TABLE fx_old (LIKE fx_states)" \
	-c "\\copy fx_old FROM '$bin' WITH (FORMAT binary)" \
	-c "SELECT rfm_numeric_final(o.rfm_numeric) = rfm_numeric_final(s.rfm_numeric),
	           rfm_numeric_final(o.rfm_overflow) = rfm_numeric_final(s.rfm_overflow),
	           rfm_float8_final(o.rfm_float8) = rfm_float8_final(s.rfm_float8),
	           btyd_final(o.btyd_numeric) = btyd_final(s.btyd_numeric),
	           btyd_final(o.btyd_float8) = btyd_final(s.btyd_float8),
	           clv_numeric_final(o.clv) = clv_numeric_final(s.clv),
	           (SELECT rfm_numeric_final(rfm_merge(v)) FROM (VALUES (o.rfm_numeric), (s.rfm_numeric)) m(v))
	               = (SELECT rfm_numeric_final(rfm_merge(v)) FROM (VALUES (s.rfm_numeric), (s.rfm_numeric)) m(v))
	    FROM fx_old o, fx_states s")
[ "$got" = "t|t|t|t|t|t|t" ] || { echo "# finals of states read from 1.0 binary: $got"; fail=1; }
q -d postgres -c 'DROP DATABASE memval_states'
if [ $fail = 0 ]; then
	echo "ok - states stored in the 1.0 format (text and binary) read back unchanged"
else
	echo "not ok - states stored in the 1.0 format"
	exit 1
fi
