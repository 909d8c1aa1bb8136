-- tier_rules: round trips, agreement with the name form, SQLSTATEs.
BEGIN;
SELECT plan(21);

-- every built-in in both languages: text round trip and send bytes
SELECT is((SELECT count(*)::int FROM (VALUES ('rfm10'), ('rfm8'), ('value4'), ('value3'), ('tier4')) n(name),
                  (VALUES ('en'), ('zh')) l(lang)
           WHERE tier_scheme_value(name, lang)::text::tier_rules::text = tier_scheme_value(name, lang)::text
             AND tier_rules_send(tier_scheme_value(name, lang)::text::tier_rules) = tier_rules_send(tier_scheme_value(name, lang))),
          10, 'text form of every built-in reads back as the same bytes');

-- a user scheme with awkward labels round-trips
INSERT INTO tier_scheme (scheme, position, kind, label_en, label_zh, value_min) VALUES
    ('odd', 0, 'value', 'a;b', NULL, NULL), ('odd', 1, 'value', '"q" \ ''', '引号', -0.000001),
    ('odd', 2, 'value', ' space ', NULL, 12345678901234567890.123456789);
SET CONSTRAINTS ALL IMMEDIATE;
SELECT is(tier_scheme_value('odd')::text::tier_rules::text, tier_scheme_value('odd')::text, 'odd labels round-trip');
SELECT is(tier_scheme_value('odd', 'zh')::text::tier_rules::text, tier_scheme_value('odd', 'zh')::text, 'zh labels (with en fallback) round-trip');

-- value form = name form, on many values, numeric and float8
SELECT is((SELECT count(*)::int FROM generate_series(-10, 10) i, LATERAL (SELECT i * 1e-6 + (i % 3) * 12345678901234567890.123456789 AS v) t
           WHERE tier_of(v, 'odd') IS DISTINCT FROM tier_of(v, (SELECT tier_scheme_value('odd')))), 0,
          'odd: value form equals name form (numeric)');
SELECT is((SELECT count(*)::int FROM generate_series(0, 30000, 7) v
           WHERE tier_of(v::float8, 'tier4') IS DISTINCT FROM tier_of(v::float8, (SELECT tier_scheme_value('tier4')))), 0,
          'tier4: value form equals name form (float8)');

-- a score scheme on another scale, value form equals name form on every cell of scales 2..10
INSERT INTO tier_scheme (scheme, position, scale, label_en, r_min, r_max, f_min, m_max) VALUES
    ('s7', 0, 7, 'rest', NULL, NULL, NULL, NULL), ('s7', 1, 7, 'top', 6, 7, 6, NULL), ('s7', 2, 7, 'cheap', NULL, NULL, NULL, 2);
SET CONSTRAINTS ALL IMMEDIATE;
SELECT is((SELECT count(*)::int FROM generate_series(2, 10) n, generate_series(1, n) r, generate_series(1, n) f, generate_series(1, n) m
           WHERE tier_of(rfm_score(r, f, m, n), 's7') IS DISTINCT FROM tier_of(rfm_score(r, f, m, n), (SELECT tier_scheme_value('s7')))),
          0, 's7: value form equals name form on every cell');

-- the name form refuses on Citus shard connections, the value form does not
SET LOCAL application_name = 'citus_internal gpid=10000000042';
SELECT throws_ok($$SELECT tier_of(1::numeric, 'tier4')$$, '0A000', NULL, 'name form refused on a Citus worker (numeric)');
SELECT throws_ok($$SELECT tier_of(1::float8, 'odd')$$, '0A000', NULL, 'name form refused on a Citus worker (float8)');
SELECT throws_ok($$SELECT tier_of('555'::rfm_score)$$, '0A000', NULL, 'default scheme refused on a Citus worker');
SELECT throws_ok($$SELECT tier_scheme_value('tier4')$$, '0A000', NULL, 'tier_scheme_value() refused on a Citus worker');
SELECT is(tier_of(1500::numeric, 'value fallback "a"; "b" >= 1000'::tier_rules), 'b', 'value form works on a Citus worker');
SET LOCAL application_name = 'psql';

-- SQLSTATEs
SELECT throws_ok($$SELECT 'score 5; "a" 1-5'::tier_rules$$, '22P02', NULL, 'syntax error');
SELECT throws_ok($$SELECT 'value; "a" >= 2; "b" >= 1'::tier_rules$$, '22023', NULL, 'descending thresholds');
SELECT throws_ok($$SELECT 'value; "a" >= -Infinity'::tier_rules$$, '22023', NULL, 'infinite threshold');
SELECT throws_ok($$SELECT 'value; "a" >= x'::tier_rules$$, '22P02', NULL, 'threshold not a number');
SELECT throws_ok($$SELECT 'score 1; "a" 1-1 1-1 1-1'::tier_rules$$, '22023', NULL, 'scale below 2');
SELECT throws_ok($$SELECT tier_of('555'::rfm_score, 'value; "a" >= 1'::tier_rules)$$, '22023', NULL, 'value scheme for a score');
SELECT throws_ok($$SELECT tier_of(1::numeric, 'flags; "a"; "b"; "c"; "d"; "e"; "f"; "g"; "h"'::tier_rules)$$, '22023', NULL, 'score scheme for a value');
SELECT throws_ok($$SELECT tier_scheme_value('no such scheme')$$, '42704', NULL, 'unknown scheme');
SELECT throws_ok($$SELECT tier_scheme_value('tier4', 'de')$$, '22023', NULL, 'unknown language');
SELECT throws_ok($$SELECT tier_of('NaN'::float8, 'value; "a" >= 1'::tier_rules)$$, '22023', NULL, 'NaN value');

SELECT * FROM finish();
ROLLBACK;
