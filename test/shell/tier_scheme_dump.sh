#!/usr/bin/env bash
# pg_dump / pg_restore round trip: a user tier scheme (rows of the extension's
# configuration table tier_scheme) and columns of memval's scoring types
# survive.  Run by test/run-tests.sh with its cluster up (PGHOST, PGPORT,
# PGUSER set); argument: the PostgreSQL bin directory.  Exit 0 = pass.
set -euo pipefail
bindir=$1
dump=$(mktemp /tmp/memval-dump.XXXXXX)
trap 'rm -f "$dump"' EXIT
q() { PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

q -d postgres -c 'DROP DATABASE IF EXISTS memval_dump_src' -c 'DROP DATABASE IF EXISTS memval_dump_dst' \
	-c 'CREATE DATABASE memval_dump_src' -c 'CREATE DATABASE memval_dump_dst'
q -d memval_dump_src <<'SQL'
CREATE EXTENSION memval;
INSERT INTO tier_scheme (scheme, position, label_en, label_zh, r_min, f_min) VALUES
    ('loyal', 0, 'others', '其他', NULL, NULL),
    ('loyal', 1, 'loyal', '忠诚', 4, 4);
INSERT INTO tier_scheme (scheme, position, kind, label_en, value_min) VALUES
    ('tier4', 0, 'value', 'basic', NULL), ('tier4', 1, 'value', 'silver', 100);
CREATE TABLE scored (id int, s rfm_score, b rfm_breaks);
INSERT INTO scored VALUES (1, '544', rfm_breaks('{7,30}', '{1,2}', '{10.50,100}')), (2, '10-3-7/12', NULL);
SQL
expect=$(q -d memval_dump_src -c "SELECT tier_of('544'::rfm_score, 'loyal', 'zh'), tier_of(150::numeric),
	(SELECT string_agg(s::text || ':' || coalesce(b::text, ''), ';' ORDER BY id) FROM scored)")
"$bindir/pg_dump" -Fc -d memval_dump_src -f "$dump"
"$bindir/pg_restore" --exit-on-error -d memval_dump_dst "$dump"
got=$(q -d memval_dump_dst -c "SELECT tier_of('544'::rfm_score, 'loyal', 'zh'), tier_of(150::numeric),
	(SELECT string_agg(s::text || ':' || coalesce(b::text, ''), ';' ORDER BY id) FROM scored)")
rows=$(q -d memval_dump_dst -c 'SELECT count(*) FROM tier_scheme')
q -d postgres -c 'DROP DATABASE memval_dump_src' -c 'DROP DATABASE memval_dump_dst'
if [ "$got" = "$expect" ] && [ "$rows" = 4 ] && [ "$expect" = '忠诚|silver|544:n=3 recency={7,30} frequency={1,2} monetary={10.50,100};10-3-7/12:' ]; then
	echo "ok - dump/restore keeps user tier schemes and scoring columns"
else
	echo "not ok - dump/restore: expected [$expect], got [$got], $rows scheme rows"
	exit 1
fi
