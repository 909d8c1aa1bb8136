-- tier_of: built-in schemes, ad hoc thresholds, user schemes.

-- rfm10 (default), en and zh
SELECT s, tier_of(s) AS en, tier_of(s, 'rfm10', 'zh') AS zh
FROM (VALUES ('555'::rfm_score), ('455'), ('333'), ('342'), ('413'), ('145'), ('125'), ('133'),
             ('211'), ('111'), ('515'), ('221')) v(s)
ORDER BY s;
-- the 125 cells of scale 5, by segment (checked cell by cell in test/tap/scoring_oracle.sql)
SELECT tier_of(rfm_score(r, f, m)) AS segment, count(*) AS cells
FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m
GROUP BY 1 ORDER BY 1;
-- other scales are mapped to 1..5 with ceil(5 * s / n): 10-10-10/10 -> 555, 1-1-1/10 -> 111
SELECT s, tier_of(s) FROM (VALUES ('10-10-10/10'::rfm_score), ('1-1-1/10'), ('333/3'), ('111/3'), ('222/2'))
v(s) ORDER BY s;

-- rfm8: high = score > n / 2
SELECT s, tier_of(s, 'rfm8') AS en, tier_of(s, 'rfm8', 'zh') AS zh
FROM (VALUES ('555'::rfm_score), ('525'), ('255'), ('215'), ('551'), ('511'), ('251'), ('111'),
             ('333'), ('222'), ('324/4'), ('233/4')) v(s)
ORDER BY s;
-- value4 and value3 on the rfm8 flags
SELECT s, tier_of(s, 'value4') AS value4, tier_of(s, 'value4', 'zh') AS value4_zh,
       tier_of(s, 'value3') AS value3, tier_of(s, 'value3', 'zh') AS value3_zh
FROM (VALUES ('555'::rfm_score), ('551'), ('515'), ('511'), ('155'), ('111'), ('351'), ('315')) v(s)
ORDER BY s;

-- tier4 on values (default thresholds 1000, 5000, 20000)
SELECT v, tier_of(v) AS en, tier_of(v, 'tier4', 'zh') AS zh
FROM (VALUES (-1::numeric), (0), (999.99), (1000), (4999), (5000), (20000), (1e9)) t(v) ORDER BY v;
-- float8 values (e.g. a predictive CLV): thresholds compared as float8
SELECT v, tier_of(v) FROM (VALUES (999.9999999999999::float8), (1000), ('Infinity'), ('-Infinity')) t(v) ORDER BY v;
SELECT tier_of('NaN'::float8);
-- ad hoc: labels[1 + number of thresholds <= v]
SELECT v, tier_of(v, ARRAY[100, 500, 2000], ARRAY['bronze', 'silver', 'gold', 'platinum'])
FROM (VALUES (99::numeric), (100), (499.5), (500), (2000), (1e6)) t(v) ORDER BY v;
SELECT tier_of(5, '{}'::numeric[], ARRAY['only']);
-- NULL in, NULL out
SELECT tier_of(NULL::rfm_score) IS NULL AS s, tier_of(NULL::numeric) IS NULL AS v;

-- errors
SELECT tier_of('555'::rfm_score, 'no_such_scheme');
SELECT tier_of(10::numeric, 'no_such_scheme');
SELECT tier_of('555'::rfm_score, 'rfm10', 'fr');
SELECT tier_of(10::numeric, 'rfm10');
SELECT tier_of('555'::rfm_score, 'tier4');
SELECT tier_of('NaN'::numeric);
SELECT tier_of(1, ARRAY[100, 50], ARRAY['a', 'b', 'c']);
SELECT tier_of(1, ARRAY[100, 100], ARRAY['a', 'b', 'c']);
SELECT tier_of(1, ARRAY[100, 500], ARRAY['a', 'b']);
SELECT tier_of(1, ARRAY[100, NULL], ARRAY['a', 'b', 'c']);
SELECT tier_of(1, ARRAY[100, 'NaN'::numeric], ARRAY['a', 'b', 'c']);
SELECT tier_of(1, ARRAY[100, 500], ARRAY['a', NULL, 'c']);
SELECT tier_of('NaN', ARRAY[100], ARRAY['a', 'b']);

-- user schemes: plain INSERTs, validated at commit
INSERT INTO tier_scheme (scheme, position, label_en, label_zh, r_min, r_max, f_min, f_max, m_min, m_max) VALUES
    ('vip', 0, 'others', '其他', NULL, NULL, NULL, NULL, NULL, NULL),
    ('vip', 1, 'vip', '贵宾', 4, 5, 4, 5, 4, 5),
    ('vip', 2, 'active', '活跃', 4, 5, NULL, NULL, NULL, NULL),
    ('vip', 3, 'big spender', NULL, NULL, NULL, NULL, NULL, 5, 5);
SELECT s, tier_of(s, 'vip') AS en, tier_of(s, 'vip', 'zh') AS zh
FROM (VALUES ('555'::rfm_score), ('511'), ('315'), ('111'), ('10-1-1/10')) v(s) ORDER BY s;
-- the scheme and language may vary per row (a few lookups cached per call site)
SELECT i, sch, lang, tier_of('435'::rfm_score, sch, lang)
FROM generate_series(1, 20) i,
     LATERAL (SELECT (ARRAY['rfm10', 'rfm8', 'value4', 'value3', 'vip'])[1 + i % 5] AS sch,
                     (ARRAY['en', 'zh'])[1 + (i / 5) % 2] AS lang) v
ORDER BY i;
-- a scheme on another scale: scores are mapped to it with ceil(scale * s / n)
INSERT INTO tier_scheme (scheme, position, scale, label_en, r_min) VALUES
    ('recent3', 0, 3, 'old', NULL), ('recent3', 1, 3, 'recent', 3);
SELECT s, tier_of(s, 'recent3') FROM (VALUES ('511'::rfm_score), ('411'), ('311'), ('333/3'), ('233/3')) v(s)
ORDER BY s;
-- a user scheme replaces a built-in of the same name (here: your tier4 thresholds)
INSERT INTO tier_scheme (scheme, position, kind, label_en, label_zh, value_min) VALUES
    ('tier4', 0, 'value', 'basic', '基础会员', NULL),
    ('tier4', 1, 'value', 'silver', '银卡会员', 100),
    ('tier4', 2, 'value', 'gold', '金卡会员', 500),
    ('tier4', 3, 'value', 'diamond', '钻石会员', 2000);
SELECT v, tier_of(v), tier_of(v, 'tier4', 'zh') FROM (VALUES (99::numeric), (100), (1999), (2000)) t(v) ORDER BY v;
DELETE FROM tier_scheme WHERE scheme = 'tier4';
SELECT tier_of(100::numeric);

-- rejected: overlapping or malformed rules (check_violation 23514)
INSERT INTO tier_scheme (scheme, position, label_en, r_min, r_max) VALUES
    ('bad', 0, 'rest', NULL, NULL), ('bad', 1, 'recent', 4, 5), ('bad', 2, 'very recent', 5, 5);
INSERT INTO tier_scheme (scheme, position, kind, label_en, value_min) VALUES
    ('badv', 0, 'value', 'low', NULL), ('badv', 1, 'value', 'mid', 100), ('badv', 2, 'value', 'high', 100);
INSERT INTO tier_scheme (scheme, position, kind, label_en, value_min) VALUES
    ('badv', 0, 'value', 'low', NULL), ('badv', 1, 'value', 'mid', 500), ('badv', 2, 'value', 'high', 100);
INSERT INTO tier_scheme (scheme, position, label_en, r_min) VALUES ('nofallback', 1, 'recent', 4);
INSERT INTO tier_scheme (scheme, position, label_en, r_min) VALUES ('badr', 1, 'recent', 6);
INSERT INTO tier_scheme (scheme, position, label_en, r_min, r_max) VALUES ('badr', 1, 'recent', 4, 3);
INSERT INTO tier_scheme (scheme, position, label_en, r_min) VALUES ('badr', 0, 'rest', 4);
INSERT INTO tier_scheme (scheme, position, kind, label_en, value_min) VALUES ('badr', 1, 'value', 'x', 'NaN');
INSERT INTO tier_scheme (scheme, position, kind, label_en) VALUES ('badr', 1, 'value', 'x');
INSERT INTO tier_scheme (scheme, position, kind, label_en, value_min) VALUES ('badr', 1, 'score', 'x', 5);
INSERT INTO tier_scheme (scheme, position, kind, label_en) VALUES ('badr', 0, 'other', 'x');
INSERT INTO tier_scheme (scheme, position, label_en) VALUES ('badr', -1, 'x');
INSERT INTO tier_scheme (scheme, position, label_en) VALUES ('badr', 0, '');
INSERT INTO tier_scheme (scheme, position, scale, label_en) VALUES ('badr', 0, 101, 'x');
INSERT INTO tier_scheme (scheme, position, kind, label_en) VALUES ('vip', 4, 'value', 'x');
DELETE FROM tier_scheme WHERE scheme = 'vip' AND position = 0;
-- deleting a whole scheme is fine
DELETE FROM tier_scheme WHERE scheme = 'recent3';
SELECT scheme, position, label_en FROM tier_scheme ORDER BY scheme, position;
SELECT tier_of('555'::rfm_score, 'recent3');
DELETE FROM tier_scheme;

-- one lookup per query, not per row: works under parallel query
CREATE TABLE tscores AS
SELECT rfm_score(1 + i % 5, 1 + (i / 5) % 5, 1 + (i / 25) % 5) AS s FROM generate_series(0, 9999) i;
ANALYZE tscores;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
SELECT tier_of(s) AS segment, count(*) FROM tscores GROUP BY 1 ORDER BY 1;
RESET ALL;
DROP TABLE tscores;
