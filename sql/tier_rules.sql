-- tier_rules: a tier scheme as a value (for Citus: built once on the
-- coordinator, passed as a scalar subquery, never read from a table on the
-- workers).

-- the built-ins as values; the text form reads back as the same value
SELECT tier_scheme_value('rfm10');
SELECT tier_scheme_value('rfm8', 'zh');
SELECT tier_scheme_value('tier4');
SELECT name, lang, tier_scheme_value(name, lang)::text::tier_rules::text = tier_scheme_value(name, lang)::text AS text_round_trip,
       tier_rules_recv_ok
FROM (VALUES ('rfm10'), ('rfm8'), ('value4'), ('value3'), ('tier4')) n(name),
     (VALUES ('en'), ('zh')) l(lang),
     LATERAL (SELECT tier_rules_send(tier_scheme_value(name, lang)) = tier_rules_send(tier_scheme_value(name, lang)::text::tier_rules)
             AS tier_rules_recv_ok) b
ORDER BY 1, 2;

-- tier_of with a value gives what the name form gives, for every cell
SELECT name, count(*) AS cells,
       count(*) FILTER (WHERE tier_of(s, name) = tier_of(s, (SELECT tier_scheme_value(name)))) AS same_en,
       count(*) FILTER (WHERE tier_of(s, name, 'zh') = tier_of(s, (SELECT tier_scheme_value(name, 'zh')))) AS same_zh
FROM (VALUES ('rfm10'), ('rfm8'), ('value4'), ('value3')) n(name),
     LATERAL (SELECT rfm_score(r, f, m, n) AS s
              FROM generate_series(2, 7) n, generate_series(1, n) r, generate_series(1, n) f,
                   generate_series(1, n) m) c
GROUP BY name ORDER BY name;
SELECT v, tier_of(v, (SELECT tier_scheme_value('tier4'))) AS numeric_v,
       tier_of(v::float8, (SELECT tier_scheme_value('tier4', 'zh'))) AS float8_v
FROM (VALUES (-1::numeric), (999.99), (1000), (5000), (19999.5), (20000)) t(v) ORDER BY v;

-- user schemes: the value carries the user's rules, also when they
-- redefine a built-in name
INSERT INTO tier_scheme (scheme, position, kind, label_en, label_zh, value_min) VALUES
    ('tier4', 0, 'value', 'basic', '基础会员', NULL),
    ('tier4', 1, 'value', 'silver "plus"', '银卡会员', 100),
    ('tier4', 2, 'value', 'gold\vip', '金卡会员', 500.5),
    ('tier4', 3, 'value', 'diamond', '钻石会员', 2000);
INSERT INTO tier_scheme (scheme, position, label_en, r_min, r_max, f_min, f_max, m_min, m_max) VALUES
    ('vip', 0, 'others', NULL, NULL, NULL, NULL, NULL, NULL),
    ('vip', 1, 'vip', 4, 5, 4, 5, 4, 5);
CREATE TABLE kept (r tier_rules);
INSERT INTO kept SELECT tier_scheme_value('tier4');
SELECT r FROM kept;
SELECT r::text::tier_rules::text = r::text AS round_trip FROM kept;
SELECT tier_scheme_value('vip');
SELECT v, tier_of(v, 'tier4') AS by_name, tier_of(v, (SELECT tier_scheme_value('tier4'))) AS by_value
FROM (VALUES (99::numeric), (100), (500.49), (500.5), (2000)) t(v) ORDER BY v;
-- a value keeps the rules it was made with: later edits do not change it
DELETE FROM tier_scheme WHERE scheme = 'tier4';
SELECT tier_of(100::numeric, r) AS kept, tier_of(100::numeric, 'tier4') AS built_in_again FROM kept;
DELETE FROM tier_scheme;
DROP TABLE kept;

-- the name form refuses where Citus runs shard queries (application_name
-- "citus_internal ..."): a worker's table is not the coordinator's
SET application_name = 'citus_internal gpid=10000000001';
SELECT tier_of(1500::numeric, 'tier4');
SELECT tier_of('555'::rfm_score);
-- so does building a value there (without the scalar subquery Citus
-- would evaluate tier_scheme_value() on the workers)
SELECT tier_scheme_value('tier4');
-- a value made elsewhere is fine
SELECT tier_of(1500::numeric, 'value fallback "basic"; "silver" >= 1000'::tier_rules) AS value_form;
RESET application_name;

-- text input
SELECT 'value fallback "low"; "mid" >= -1.5; "high" >= 1e3'::tier_rules;
SELECT ' score 3 ; "r3" 3-3 1-3 1-3 '::tier_rules;
SELECT tier_of('333/3'::rfm_score, ' score 3 ; "r3" 3-3 1-3 1-3 '::tier_rules) AS r3,
       tier_of('133/3'::rfm_score, 'score 3; "r3" 3-3 1-3 1-3'::tier_rules) IS NULL AS no_fallback;
-- an untyped literal is a scheme name (the text form), not a value
SELECT tier_of('333/3'::rfm_score, 'score 3; "r3" 3-3 1-3 1-3');
SELECT 'flags; "a"; "b"; "c"; "d"; "e"; "f"; "g"; "h \\ \""'::tier_rules;
-- errors
SELECT 'value; "a" >= 10; "b" >= 10'::tier_rules;
SELECT 'value; "a" >= NaN'::tier_rules;
SELECT 'value; "a" >= Infinity'::tier_rules;
SELECT 'value; "a" >= ten'::tier_rules;
SELECT 'score 5; "a" 1-6 1-5 1-5'::tier_rules;
SELECT 'score 5; "a" 3-2 1-5 1-5'::tier_rules;
SELECT 'score 101; "a" 1-5 1-5 1-5'::tier_rules;
SELECT 'score 5; "a" 1-5 1-5'::tier_rules;
SELECT 'score 5; "" 1-5 1-5 1-5'::tier_rules;
SELECT 'score 5; "a 1-5 1-5 1-5'::tier_rules;
SELECT 'flags; "a"; "b"'::tier_rules;
SELECT 'tiers; "a"'::tier_rules;
SELECT 'value fallback "a" extra'::tier_rules;
SELECT tier_of('555'::rfm_score, (SELECT tier_scheme_value('tier4')));
SELECT tier_of(1::numeric, (SELECT tier_scheme_value('rfm10')));
SELECT tier_scheme_value('nope');
SELECT tier_scheme_value('rfm10', 'fr');
-- binary: send and receive (COPY BINARY) give the same value back; a
-- tier_rules' binary form is its bytes, so bytea's COPY BINARY writes
-- damaged ones, and receive rejects them (22P03)
CREATE TABLE bin (r tier_rules);
CREATE TABLE raw (b bytea);
INSERT INTO bin SELECT tier_scheme_value(n) FROM (VALUES ('rfm10'), ('rfm8'), ('tier4')) t(n);
\set VERBOSITY terse
CREATE FUNCTION pg_temp.through_copy(src text, dst text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE f text := '/tmp/memval_tier_rules_' || pg_backend_pid() || '.bin';
BEGIN
	EXECUTE format('COPY %s TO %L (FORMAT binary)', src, f);
	EXECUTE format('COPY %s FROM %L (FORMAT binary)', dst, f);
END $$;
SELECT pg_temp.through_copy('bin', 'bin');
SELECT r::text, count(*) FROM bin GROUP BY 1 ORDER BY 1;
DELETE FROM bin;
INSERT INTO raw VALUES ('\x01');
SELECT pg_temp.through_copy('raw', 'bin');
DELETE FROM raw; INSERT INTO raw VALUES ('\x0109000000000000ffffffff');
SELECT pg_temp.through_copy('raw', 'bin');
DELETE FROM raw; INSERT INTO raw VALUES ('\x0102000000000001ffffffff00000002');
SELECT pg_temp.through_copy('raw', 'bin');
-- one rule "a" >= 1 and a byte too many
DELETE FROM raw; INSERT INTO raw VALUES ('\x0102000000000001ffffffff000000013100000001610a');
SELECT pg_temp.through_copy('raw', 'bin');
-- a label with a NUL byte
DELETE FROM raw; INSERT INTO raw VALUES ('\x0102000000000001ffffffff0000000131000000026100');
SELECT pg_temp.through_copy('raw', 'bin');
DELETE FROM raw; INSERT INTO raw VALUES ('\x0102000000000001ffffffff00000001310000000161');
SELECT pg_temp.through_copy('raw', 'bin');
SELECT r FROM bin;
DROP TABLE bin, raw;
\set VERBOSITY default
