#!/usr/bin/env bash
# Privileges and search_path (issue 14, item 6):
#  - memval is trusted: a non-superuser database owner can CREATE EXTENSION;
#  - no function is SECURITY DEFINER; an ordinary role may execute them all;
#  - tier_scheme is readable by every role and writable only by its owner;
#  - hostile objects in a schema earlier on the caller's search_path (a fake
#    tier_scheme table, a shadowing function and operator, even ahead of
#    pg_catalog) change none of memval's results.
# Run by test/run-tests.sh with its cluster up; argument: the bin directory.
set -euo pipefail
bindir=$1
db=memval_priv
q() { PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }
fails=0
check() { # check NAME EXPECTED GOT
	if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: expected [$2], got [$3]"; fails=$((fails + 1)); fi
}
cleanup() {
	q -d postgres -c "DROP DATABASE IF EXISTS $db" \
		-c 'DROP ROLE IF EXISTS memval_owner' -c 'DROP ROLE IF EXISTS memval_user' -c 'DROP ROLE IF EXISTS memval_evil'
}
cleanup
trap cleanup EXIT
q -d postgres -c 'CREATE ROLE memval_owner LOGIN' -c 'CREATE ROLE memval_user LOGIN' -c 'CREATE ROLE memval_evil LOGIN' \
	-c "CREATE DATABASE $db OWNER memval_owner" -c "GRANT CREATE ON DATABASE $db TO memval_evil"

# trusted: the (non-superuser) database owner installs it
q -d $db -U memval_owner -c 'CREATE EXTENSION memval'
check "non-superuser database owner creates the extension" memval \
	"$(q -d $db -c "SELECT extname FROM pg_extension e JOIN pg_roles r ON r.oid = e.extowner WHERE r.rolname = 'memval_owner'")"

ext_fns="FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
         JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'memval'"
check "no SECURITY DEFINER function" 0 "$(q -d $db -c "SELECT count(*) $ext_fns WHERE p.prosecdef")"
check "an ordinary role may execute every function" 0 \
	"$(q -d $db -c "SELECT count(*) $ext_fns WHERE NOT has_function_privilege('memval_user', p.oid, 'EXECUTE')")"
check "an ordinary role may use every type" 0 \
	"$(q -d $db -c "SELECT count(*) FROM pg_type t JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid
	   AND d.deptype = 'e' JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'memval'
	   WHERE NOT has_type_privilege('memval_user', t.oid, 'USAGE')")"

# The owner adds a scheme; an ordinary role reads it and cannot change it.
q -d $db -U memval_owner <<'SQL'
INSERT INTO tier_scheme (scheme, position, label_en, r_min, f_min) VALUES
	('loyal', 0, 'others', NULL, NULL), ('loyal', 1, 'loyal', 4, 4);
SQL
check "tier_scheme is readable by an ordinary role" 2 "$(q -d $db -U memval_user -c 'SELECT count(*) FROM tier_scheme')"
for stmt in "INSERT INTO tier_scheme (scheme, position, label_en) VALUES ('mine', 0, 'x')" \
            "UPDATE tier_scheme SET label_en = 'hacked'" "DELETE FROM tier_scheme" "TRUNCATE tier_scheme"; do
	got=$(q -d $db -U memval_user -c "$stmt" 2>&1 | grep -o 'permission denied' || true)
	check "an ordinary role cannot ${stmt%% *} tier_scheme" "permission denied" "$got"
done

# An ordinary role's real work, with a clean search_path: the reference results.
work="SELECT tier_of('544'::rfm_score, 'loyal'), tier_of('544'::rfm_score, 'loyal', 'zh'), tier_of('111'::rfm_score, 'loyal'),
	tier_of(150::numeric), tier_of(150::float8, 'tier4', 'zh'), tier_of(5::numeric, '{1,10}'::numeric[], '{low,mid,high}'::text[]),
	(SELECT rfm(ts, a, '2026-01-01')::text FROM (VALUES ('2025-01-01'::timestamptz, 10::numeric), ('2025-06-01', 5)) v(ts, a)),
	(SELECT btyd(ts, a, '2026-01-01')::text FROM (VALUES ('2025-01-01'::timestamptz, 10::numeric), ('2025-06-01', 5)) v(ts, a)),
	(SELECT string_agg(sc::text, ',' ORDER BY id) FROM (SELECT id, rfm_score(rfm(ts, a, '2026-01-01')) OVER () sc FROM
	  (VALUES (1, '2025-01-01'::timestamptz, 10::numeric), (2, '2025-06-01', 5), (3, '2025-09-01', 50)) v(id, ts, a) GROUP BY id) s),
	(SELECT rfm_breaks(r, 3)::text FROM (SELECT rfm(ts, a, '2026-01-01') r FROM
	  (VALUES (1, '2025-01-01'::timestamptz, 10::numeric), (2, '2025-06-01', 5), (3, '2025-09-01', 50)) v(id, ts, a) GROUP BY id) s),
	round(p_alive(bgnbd(0.5, 5, 0.5, 5), 2, 5, 10)::numeric, 12),
	round(expected_purchases(pareto_nbd(0.5, 5, 0.5, 5), 10, 2, 5, 10)::numeric, 12),
	round(clv(bgnbd(0.5, 5, 0.5, 5), gamma_gamma(6, 4, 15), 2, 5, 10, 30, 12)::numeric, 9),
	(SELECT round((bgnbd_fit(x, t_x, t)).r::numeric, 9) FROM bgnbd_simulate(500, 0.5, 5, 0.5, 5, 30, 7)),
	(SELECT string_agg(tr || '/' || tl || '/' || tz, ',' ORDER BY p) FROM (SELECT p,
	  tier_track_scheme(v, 'tier4') OVER w tr, tier_track_scheme(v, (SELECT tier_scheme_value('tier4'))) OVER w tl,
	  tier_track_scheme(v, 'tier4', 0, 2, 'zh') OVER w tz
	  FROM (VALUES (1, 50::numeric), (2, 2500), (3, 90), (4, 80)) v(p, v) WINDOW w AS (ORDER BY p)) s),
	(SELECT string_agg(v::text, ',' ORDER BY id) FROM (SELECT id, round(value_score(a, b, c, d) OVER ())::int v
	  FROM (VALUES (1, 1.0::float8, 2.0::float8, 3.0::float8, 4.0::float8), (2, 2, 1, 3, 5), (3, 3, 3, NULL, 1)) v(id, a, b, c, d)) s),
	(SELECT string_agg(cs::text || cr::text, ';') FROM (SELECT cohort_table(ca) t FROM (SELECT cohort_activity(ts, a, '1 month') ca FROM
	  (VALUES (1, '2025-01-05'::timestamptz, 10::numeric), (1, '2025-03-01', 5), (2, '2025-02-01', 7)) v(id, ts, a) GROUP BY id) s) c,
	  cohort_summary(c.t) cs, cohort_retention(c.t) cr),
	aipl_stage(3, 2, 10, 30, 'zh'), churn_stage(churn_risk(40, 20), 'zh')"
clean=$(q -d $db -U memval_user -c "SET search_path = public" -c "$work")
[ -n "$clean" ] || { echo "not ok - the reference query returned nothing"; exit 1; }

# Hostile objects, made by another role, in a schema ahead of public and
# even of pg_catalog on the victim's search_path.
q -d $db -U memval_evil <<'SQL'
CREATE SCHEMA evil;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
CREATE TABLE evil.tier_scheme (LIKE public.tier_scheme);
INSERT INTO evil.tier_scheme (scheme, position, kind, scale, label_en, label_zh)
	VALUES ('loyal', 0, 'score', 5, 'EVIL', 'EVIL'), ('tier4', 0, 'value', 5, 'EVIL', 'EVIL');
GRANT SELECT ON evil.tier_scheme TO PUBLIC;
CREATE FUNCTION evil.text_eq_evil(text, text) RETURNS bool LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_eq_evil);
CREATE FUNCTION evil.int4_eq_evil(int, int) RETURNS bool LANGUAGE sql AS 'SELECT false';
CREATE OPERATOR evil.= (LEFTARG = int, RIGHTARG = int, FUNCTION = evil.int4_eq_evil);
CREATE FUNCTION evil.count(anyelement) RETURNS bigint LANGUAGE sql AS 'SELECT 0::bigint';
CREATE FUNCTION evil.format(text, VARIADIC text[]) RETURNS text LANGUAGE sql AS 'SELECT ''SELECT 1''';
CREATE FUNCTION evil.generate_series(int, int) RETURNS SETOF int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION evil.coalesce_(int, int) RETURNS int LANGUAGE sql AS 'SELECT 1';
SQL
hostile=$(q -d $db -U memval_user -c "SET search_path = evil, pg_catalog, public" -c "$work")
check "hostile tier_scheme table, = operators and functions ahead of pg_catalog change no result" "$clean" "$hostile"

# The scheme check (a trigger) still rejects a bad scheme when the owner's
# search_path is hostile.
got=$(q -d $db -U memval_owner -c "SET search_path = evil, pg_catalog, public" \
	-c "INSERT INTO public.tier_scheme (scheme, position, label_en) VALUES ('nofallback', 1, 'x')" 2>&1 | grep -o 'has no fallback row' || true)
check "the scheme check runs with a fixed search_path" "has no fallback row" "$got"

[ "$fails" -eq 0 ]
