#!/usr/bin/env bash
# Dump and restore (issue 14, item 8): a column of every memval type (the
# aggregate states rfm_state, btyd_state, clv_state, fit_state,
# rfm_breaks_state, rfm_score_state; rfm_score, rfm_breaks; the composite
# summaries and models) and user tier schemes survive pg_dump/pg_restore in
# the custom format and a plain SQL dump with identical values (text and
# binary forms compared), and the restored states keep working.
# Run by test/run-tests.sh with its cluster up; argument: the bin directory.
set -euo pipefail
bindir=$1
work=$(mktemp -d /tmp/memval-dumpall.XXXXXX)
chmod 755 "$work"
q() { PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }
cleanup() {
	rm -rf "$work"
	q -d postgres -c 'DROP DATABASE IF EXISTS memval_dall_src' -c 'DROP DATABASE IF EXISTS memval_dall_fc' \
		-c 'DROP DATABASE IF EXISTS memval_dall_sql'
}
cleanup; work=$(mktemp -d /tmp/memval-dumpall.XXXXXX)
trap cleanup EXIT
q -d postgres -c 'CREATE DATABASE memval_dall_src' -c 'CREATE DATABASE memval_dall_fc' -c 'CREATE DATABASE memval_dall_sql'
q -d memval_dall_src <<'SQL'
CREATE EXTENSION memval;
INSERT INTO tier_scheme (scheme, position, label_en, label_zh, r_min, f_min) VALUES
	('loyal', 0, 'others', '其他', NULL, NULL), ('loyal', 1, 'loyal', '忠诚', 4, 4);
INSERT INTO tier_scheme (scheme, position, kind, label_en, value_min) VALUES
	('vip', 0, 'value', 'guest', NULL), ('vip', 1, 'value', 'vip', 1000.005);
CREATE TABLE orders AS
	SELECT c AS customer_id, timestamptz '2024-01-01' + (g * 37 % 700) * interval '1 day' + g * interval '1 second' AS ts,
	       round((g * 7919 % 20000) / 100.0 - 20, 2) AS amount
	FROM generate_series(1, 300) c, generate_series(1, 1 + c % 9) g;
CREATE TABLE stored (
	customer_id int PRIMARY KEY,
	rs rfm_state, rsf rfm_state, bs btyd_state, cs clv_state,
	r rfm, rf rfm_float8, b btyd, score rfm_score, score_b rfm_score, tier text
);
INSERT INTO stored
SELECT customer_id,
	rfm_partial(ts, amount, '2026-01-01'), rfm_partial(ts, amount::float8, '2026-01-01'),
	btyd_partial(ts, amount, '2026-01-01', '7 days'),
	clv_numeric_trans(NULL, min(ts), sum(amount), '2026-01-01', '3 years', 0.3, 0.1),
	rfm(ts, amount, '2026-01-01'), rfm(ts, amount::float8, '2026-01-01'), btyd(ts, amount, '2026-01-01', '7 days'),
	NULL, rfm_score(ts, amount, '2026-01-01', 'n=4 recency={30,200,400} frequency={2,4,7} monetary={10,100,1000}'::rfm_breaks),
	NULL
FROM orders GROUP BY customer_id;
UPDATE stored s SET score = w.sc FROM (SELECT customer_id, rfm_score(r) OVER () AS sc FROM stored) w
	WHERE w.customer_id = s.customer_id;
UPDATE stored SET tier = tier_of(score, 'loyal', 'zh');
CREATE TABLE aggstates AS SELECT
	(SELECT rfm_breaks(r, 7) FROM stored) AS breaks,
	(SELECT rfm_breaks_trans(NULL, r, 7) FROM stored LIMIT 1) AS breaks_state,
	(SELECT rfm_score_numeric_trans(NULL, ts, amount, '2026-01-01', (SELECT rfm_breaks(r) FROM stored))
	   FROM orders LIMIT 1) AS score_state,
	(SELECT fit_combine(fit_count_trans(NULL, 1, 2, 3), fit_count_trans(NULL, 0, 0, 9)) ) AS count_state,
	(SELECT fit_spend_trans(NULL, 2, 31.5)) AS spend_state;
CREATE TABLE models AS
	SELECT bgnbd_fit((b).x, (b).t_x, (b).t) AS bg, mbgnbd_fit((b).x, (b).t_x, (b).t) AS mb,
	       pareto_nbd_fit((b).x, (b).t_x, (b).t) AS pn, gamma_gamma_fit((b).x, (b).m) AS gg
	FROM stored;
SQL
# Everything as text and as binary (send), one line per table.
snapshot() {
	q -d "$1" <<'SQL'
SELECT md5(string_agg(s::text || (SELECT string_agg(v, '') FROM (SELECT rfm_state_send(s.rs)::text UNION ALL
	SELECT rfm_state_send(s.rsf)::text UNION ALL SELECT btyd_state_send(s.bs)::text UNION ALL
	SELECT clv_state_send(s.cs)::text UNION ALL SELECT rfm_score_send(s.score)::text UNION ALL
	SELECT rfm_score_send(s.score_b)::text) x(v)), ';' ORDER BY customer_id)) FROM stored s;
SELECT a::text, rfm_breaks_send(breaks), rfm_breaks_state_send(breaks_state), rfm_score_state_send(score_state),
	fit_state_send(count_state), fit_state_send(spend_state) FROM aggstates a;
SELECT m::text FROM models m;
SELECT string_agg(t::text, ';' ORDER BY scheme, position) FROM tier_scheme t;
-- restored states still work
SELECT md5(string_agg(rfm_numeric_final(rfm_state_advance(rs, '2026-06-01'))::text || btyd_final(bs)::text
	|| clv_numeric_final(cs)::text || tier_of(score, 'loyal'), ';' ORDER BY customer_id)) FROM stored;
SELECT (SELECT round((bgnbd_fit_final(fit_combine(count_state, fit_state_in(fit_state_out(count_state))))).n) FROM aggstates),
	tier_of(2000::numeric, 'vip'), rfm_breaks_final(breaks_state)::text, rfm_score_final(score_state)::text FROM aggstates;
SQL
}
before=$(snapshot memval_dall_src)
"$bindir/pg_dump" -Fc -d memval_dall_src -f "$work/db.dump"
"$bindir/pg_restore" --exit-on-error -d memval_dall_fc "$work/db.dump"
"$bindir/pg_dump" -Fp -d memval_dall_src -f "$work/db.sql"
q -d memval_dall_sql -f "$work/db.sql" >/dev/null
after_fc=$(snapshot memval_dall_fc)
after_sql=$(snapshot memval_dall_sql)
ok=1
if [ "$before" != "$after_fc" ]; then ok=0; echo "custom format differs:"; diff <(echo "$before") <(echo "$after_fc") || true; fi
if [ "$before" != "$after_sql" ]; then ok=0; echo "plain SQL differs:"; diff <(echo "$before") <(echo "$after_sql") || true; fi
if [ "$(echo "$before" | grep -c 'EVIL\|^$')" != 0 ] || [ "$(echo "$before" | wc -l)" -lt 6 ]; then ok=0; echo "bad snapshot: $before"; fi
if [ $ok = 1 ]; then
	echo "ok - every memval type and user tier schemes survive pg_dump -Fc/pg_restore and a plain dump"
else
	echo "not ok - dump/restore of every memval type"; exit 1
fi
