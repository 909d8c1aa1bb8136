-- RFM scores and breakpoints against the plain-SQL oracle of README, "RFM scores":
-- b_k = percentile_disc(k/n) per axis over the customers with a purchase,
-- c(v) = #{k : b_k < v}, F and M score 1 + c(v), R scores n - c(v).
BEGIN;
SELECT plan(44);

-- Orders with heavy ties: whole-day timestamps, three amounts, most
-- customers buying once, some refund-only customers (frequency 0).
CREATE TEMP TABLE o AS
SELECT CASE WHEN i <= 3000 THEN i ELSE 1 + abs(hashint4(i)) % 900 END AS cid,
       timestamptz '2025-01-01 12:00:00+00' + (abs(hashint4(i * 3)) % 365) * interval '1 day' AS ts,
       (ARRAY[9.99, 19.99, 49.00, 9.99, -5])[1 + abs(hashint4(i * 7)) % 5]::numeric AS amount
FROM generate_series(1, 6000) i;
CREATE TEMP TABLE c AS SELECT cid, rfm(ts, amount, '2026-01-01') AS r FROM o GROUP BY cid;
CREATE TEMP TABLE pop AS
SELECT cid, (r).recency AS rec, (r).frequency AS freq, (r).monetary AS mon,
       row_number() OVER (ORDER BY cid) AS rn
FROM c WHERE (r).frequency > 0;

-- the oracle, for the first lim customers of the population
CREATE FUNCTION pg_temp.oracle(n int, lim bigint)
RETURNS TABLE (cid int, r int, f int, m int) LANGUAGE sql AS $$
    WITH p AS (SELECT * FROM pop WHERE rn <= lim),
    b AS (SELECT k, percentile_disc(k::float8 / n) WITHIN GROUP (ORDER BY rec) AS br,
                    percentile_disc(k::float8 / n) WITHIN GROUP (ORDER BY freq) AS bf,
                    percentile_disc(k::float8 / n) WITHIN GROUP (ORDER BY mon) AS bm
          FROM p, generate_series(1, n - 1) k GROUP BY k)
    SELECT p.cid,
           n - (SELECT count(*) FROM b WHERE br < p.rec)::int,
           1 + (SELECT count(*) FROM b WHERE bf < p.freq)::int,
           1 + (SELECT count(*) FROM b WHERE bm < p.mon)::int
    FROM p ORDER BY p.cid
$$;
CREATE FUNCTION pg_temp.win(n int, lim bigint)
RETURNS TABLE (cid int, r int, f int, m int) LANGUAGE sql AS $$
    SELECT cid, r(s), f(s), m(s) FROM (
        SELECT c.cid, rfm_score(c.r, n) OVER () AS s
        FROM c LEFT JOIN pop USING (cid) WHERE pop.rn <= lim OR pop.rn IS NULL) t
    WHERE s IS NOT NULL ORDER BY cid
$$;

SELECT ok((SELECT count(*) FROM pop WHERE freq = 1) > 1500 AND (SELECT count(*) FROM c WHERE (r).frequency = 0) > 100,
          'the data has heavy ties and customers without a purchase');

-- window function = oracle, several n
SELECT results_eq('SELECT * FROM pg_temp.win(5, 1e9::bigint)', 'SELECT * FROM pg_temp.oracle(5, 1e9::bigint)', 'window n=5 equals the oracle');
SELECT results_eq('SELECT * FROM pg_temp.win(2, 1e9::bigint)', 'SELECT * FROM pg_temp.oracle(2, 1e9::bigint)', 'window n=2 equals the oracle');
SELECT results_eq('SELECT * FROM pg_temp.win(3, 1e9::bigint)', 'SELECT * FROM pg_temp.oracle(3, 1e9::bigint)', 'window n=3 equals the oracle');
SELECT results_eq('SELECT * FROM pg_temp.win(10, 1e9::bigint)', 'SELECT * FROM pg_temp.oracle(10, 1e9::bigint)', 'window n=10 equals the oracle');
SELECT results_eq('SELECT * FROM pg_temp.win(37, 1e9::bigint)', 'SELECT * FROM pg_temp.oracle(37, 1e9::bigint)', 'window n=37 equals the oracle');
SELECT is((SELECT count(*) FROM (SELECT rfm_score(r) OVER () s FROM c) t WHERE s IS NULL),
          (SELECT count(*) FROM c WHERE NOT (r).frequency > 0),
          'exactly the customers without a purchase score NULL');

-- tiny populations: 1, 2 and n - 1 customers
SELECT results_eq('SELECT * FROM pg_temp.win(5, 1)', 'SELECT * FROM pg_temp.oracle(5, 1)', 'one customer, n=5');
SELECT results_eq('SELECT * FROM pg_temp.win(5, 2)', 'SELECT * FROM pg_temp.oracle(5, 2)', 'two customers, n=5');
SELECT results_eq('SELECT * FROM pg_temp.win(5, 4)', 'SELECT * FROM pg_temp.oracle(5, 4)', 'n-1 customers, n=5');
SELECT results_eq('SELECT * FROM pg_temp.win(7, 6)', 'SELECT * FROM pg_temp.oracle(7, 6)', 'n-1 customers, n=7');
SELECT results_eq('SELECT * FROM pg_temp.win(100, 3)', 'SELECT * FROM pg_temp.oracle(100, 3)', 'three customers, n=100');
SELECT is((SELECT rfm_score(r) OVER () FROM c WHERE cid = (SELECT cid FROM pop WHERE rn = 1))::text, '511',
          'a population of one scores 511');

-- breaks aggregate = oracle breakpoints
SELECT is((SELECT ARRAY[recency_breaks(b)::text, frequency_breaks(b)::text, monetary_breaks(b)::text]
           FROM (SELECT rfm_breaks(r, 5) b FROM c) t),
          (SELECT ARRAY[array_agg(br ORDER BY k)::text, array_agg(bf::float8 ORDER BY k)::text, array_agg(bm ORDER BY k)::text]
           FROM (SELECT k, percentile_disc(k::float8 / 5) WITHIN GROUP (ORDER BY rec) br,
                        percentile_disc(k::float8 / 5) WITHIN GROUP (ORDER BY freq) bf,
                        percentile_disc(k::float8 / 5) WITHIN GROUP (ORDER BY mon) bm
                 FROM pop, generate_series(1, 4) k GROUP BY k) s),
          'rfm_breaks(r, 5) equals percentile_disc per axis');
SELECT is((SELECT monetary_breaks(rfm_breaks(r, 20)) FROM c),
          (SELECT array_agg(bm ORDER BY k) FROM (
               SELECT k, percentile_disc(k::float8 / 20) WITHIN GROUP (ORDER BY mon) bm
               FROM pop, generate_series(1, 19) k GROUP BY k) s),
          'rfm_breaks(r, 20) monetary equals percentile_disc');

-- window = scalar against the aggregate's breaks = scoring aggregate
SELECT is((SELECT count(*) FROM (
               SELECT cid, rfm_score(r) OVER () AS w, rfm_score(r, (SELECT rfm_breaks(r) FROM c)) AS s FROM c) t
           WHERE w IS DISTINCT FROM s), 0::bigint, 'window equals scalar scoring with rfm_breaks');
SELECT is((SELECT count(*) FROM (
               SELECT cid, rfm_score(ts, amount, '2026-01-01', (SELECT rfm_breaks(r) FROM c)) AS a
               FROM o GROUP BY cid) x
           JOIN (SELECT cid, rfm_score(r) OVER () AS w FROM c) y USING (cid)
           WHERE a IS DISTINCT FROM w), 0::bigint, 'scoring aggregate equals the window function');

-- float8 amounts
CREATE TEMP TABLE cf AS SELECT cid, rfm(ts, amount::float8, '2026-01-01') AS r FROM o GROUP BY cid;
SELECT results_eq(
    $$SELECT cid, r(s), f(s), m(s) FROM (SELECT cid, rfm_score(r) OVER () s FROM cf) t WHERE s IS NOT NULL ORDER BY cid$$,
    $$WITH p AS (SELECT cid, (r).recency rec, (r).frequency freq, (r).monetary mon FROM cf WHERE (r).frequency > 0),
     b AS (SELECT k, percentile_disc(k::float8 / 5) WITHIN GROUP (ORDER BY rec) br,
                  percentile_disc(k::float8 / 5) WITHIN GROUP (ORDER BY freq) bf,
                  percentile_disc(k::float8 / 5) WITHIN GROUP (ORDER BY mon) bm
           FROM p, generate_series(1, 4) k GROUP BY k)
     SELECT cid, 5 - (SELECT count(*) FROM b WHERE br < rec)::int, 1 + (SELECT count(*) FROM b WHERE bf < freq)::int,
            1 + (SELECT count(*) FROM b WHERE bm < mon)::int FROM p ORDER BY cid$$,
    'float8 amounts: window equals the oracle');
SELECT is((SELECT count(*) FROM (SELECT cid, rfm_score(r, 4) OVER () s FROM cf) a
           JOIN (SELECT cid, rfm_score(r, (SELECT rfm_breaks(r, 4) FROM cf)) s FROM cf) b USING (cid)
           WHERE a.s IS DISTINCT FROM b.s), 0::bigint, 'float8: window equals scalar');

-- negative and zero net amounts (refunds larger than purchases), -0 in float8
CREATE TEMP TABLE neg AS
SELECT i AS cid, (i % 7)::float8 AS rec, 1 + i % 3 AS freq, ((i * 37) % 23 - 11)::numeric / 4 AS mon
FROM generate_series(1, 60) i;
SELECT results_eq(
    $$SELECT cid, rfm_score(ROW(rec, freq, mon, NULL, NULL, NULL, NULL, 0)::rfm, 4) OVER () FROM neg ORDER BY cid$$,
    $$WITH b AS (SELECT k, percentile_disc(k::float8 / 4) WITHIN GROUP (ORDER BY rec) br,
                        percentile_disc(k::float8 / 4) WITHIN GROUP (ORDER BY freq) bf,
                        percentile_disc(k::float8 / 4) WITHIN GROUP (ORDER BY mon) bm
                 FROM neg, generate_series(1, 3) k GROUP BY k)
      SELECT cid, rfm_score(4 - (SELECT count(*) FROM b WHERE br < rec)::int, 1 + (SELECT count(*) FROM b WHERE bf < freq)::int,
                            1 + (SELECT count(*) FROM b WHERE bm < mon)::int, 4)
      FROM neg ORDER BY cid$$,
    'negative numeric monetary values: window equals the oracle');
SELECT results_eq(
    $$SELECT cid, rfm_score(ROW(rec, freq, CASE WHEN mon = 0 THEN '-0'::float8 ELSE mon::float8 END, NULL, NULL, NULL, NULL, 0)::rfm_float8, 4) OVER () FROM neg ORDER BY cid$$,
    $$WITH b AS (SELECT k, percentile_disc(k::float8 / 4) WITHIN GROUP (ORDER BY rec) br,
                        percentile_disc(k::float8 / 4) WITHIN GROUP (ORDER BY freq) bf,
                        percentile_disc(k::float8 / 4) WITHIN GROUP (ORDER BY mon::float8) bm
                 FROM neg, generate_series(1, 3) k GROUP BY k)
      SELECT cid, rfm_score(4 - (SELECT count(*) FROM b WHERE br < rec)::int, 1 + (SELECT count(*) FROM b WHERE bf < freq)::int,
                            1 + (SELECT count(*) FROM b WHERE bm < mon::float8)::int, 4)
      FROM neg ORDER BY cid$$,
    'negative float8 monetary values and -0: window equals the oracle');

-- parallel rfm_breaks equals serial
CREATE TABLE scoring_oracle_par AS SELECT * FROM c;  -- temp tables are never scanned in parallel
CREATE TEMP TABLE serial_b AS SELECT rfm_breaks(r, 9)::text AS b FROM scoring_oracle_par;
SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0; SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT is((SELECT rfm_breaks(r, 9)::text FROM scoring_oracle_par), (SELECT b FROM serial_b),
          'parallel plan (partial aggregates merged) gives the serial breaks');
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET parallel_leader_participation;

-- rfm10 on all 125 cells against the rule table, written independently
CREATE FUNCTION pg_temp.rfm10(r int, f int, m int) RETURNS text LANGUAGE sql AS $$
    SELECT CASE
        WHEN r = 5 AND f = 5 AND m = 5 THEN 'Champions'
        WHEN r >= 3 AND f >= 3 AND m >= 2 THEN 'Potential Loyalist'
        WHEN r BETWEEN 2 AND 4 AND f BETWEEN 2 AND 4 AND m BETWEEN 2 AND 4 THEN 'Loyal Customers'
        WHEN r IN (3, 4) AND f <= 3 AND m >= 3 THEN 'Promising'
        WHEN r >= 4 AND f <= 3 THEN 'New Customers'
        WHEN r <= 2 AND f IN (3, 4) AND m >= 4 THEN 'Can''t Lose Them'
        WHEN r <= 2 AND f >= 2 AND m >= 4 THEN 'At Risk'
        WHEN r <= 3 AND f >= 3 AND m >= 3 THEN 'Need Attention'
        WHEN r IN (2, 3) AND f <= 3 AND m <= 4 THEN 'About To Sleep'
        WHEN r = 1 THEN 'Lost'
        ELSE 'Others' END
$$;
CREATE TEMP TABLE cells AS
SELECT r, f, m FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m;
SELECT results_eq('SELECT r, f, m, tier_of(rfm_score(r, f, m)) FROM cells ORDER BY 1, 2, 3',
                  'SELECT r, f, m, pg_temp.rfm10(r, f, m) FROM cells ORDER BY 1, 2, 3',
                  'rfm10 on all 125 cells');
SELECT results_eq($$SELECT x, y, z, tier_of(rfm_score(x, y, z, 10)) FROM generate_series(1, 10) x, generate_series(1, 10) y, generate_series(1, 10) z ORDER BY 1, 2, 3$$,
                  $$SELECT x, y, z, pg_temp.rfm10(ceil(x / 2.0)::int, ceil(y / 2.0)::int, ceil(z / 2.0)::int) FROM generate_series(1, 10) x, generate_series(1, 10) y, generate_series(1, 10) z ORDER BY 1, 2, 3$$,
                  'rfm10 on all 1000 cells of scale 10, mapped by ceil(5 s / n)');
SELECT results_eq($$SELECT r, f, m, tier_of(rfm_score(r, f, m), 'rfm8', 'zh') FROM cells ORDER BY 1, 2, 3$$,
                  $$SELECT r, f, m, CASE WHEN m >= 3 THEN '重要' ELSE '一般' END ||
                        CASE WHEN r >= 3 AND f >= 3 THEN '价值' WHEN r >= 3 THEN '发展'
                             WHEN f >= 3 THEN '保持' ELSE '挽留' END || '客户'
                    FROM cells ORDER BY 1, 2, 3$$,
                  'rfm8 (zh) on all 125 cells');
SELECT results_eq($$SELECT r, f, m, tier_of(rfm_score(r, f, m, 4), 'rfm8') FROM generate_series(1, 4) r, generate_series(1, 4) f, generate_series(1, 4) m ORDER BY 1, 2, 3$$,
                  $$SELECT r, f, m, CASE WHEN m > 2 THEN 'important ' ELSE 'general ' END ||
                        CASE WHEN r > 2 AND f > 2 THEN 'value' WHEN r > 2 THEN 'development'
                             WHEN f > 2 THEN 'retention' ELSE 'win-back' END
                    FROM generate_series(1, 4) r, generate_series(1, 4) f, generate_series(1, 4) m ORDER BY 1, 2, 3$$,
                  'rfm8 on all 64 cells of scale 4 (high = s > n/2)');
SELECT results_eq($$SELECT r, f, m, tier_of(rfm_score(r, f, m), 'value4'), tier_of(rfm_score(r, f, m), 'value3') FROM cells ORDER BY 1, 2, 3$$,
                  $$SELECT r, f, m,
                        CASE WHEN r <= 2 THEN 'churned' WHEN f >= 3 AND m >= 3 THEN 'high value'
                             WHEN f >= 3 OR m >= 3 THEN 'potential high value' ELSE 'regular' END,
                        CASE WHEN f >= 3 AND m >= 3 THEN 'high' WHEN f <= 2 AND m <= 2 THEN 'low' ELSE 'mid' END
                    FROM cells ORDER BY 1, 2, 3$$,
                  'value4 and value3 on all 125 cells');

-- SQLSTATE of every bad input
SELECT throws_ok('SELECT rfm_score(r, 1) OVER () FROM c', '22023', NULL, 'window n < 2');
SELECT throws_ok('SELECT rfm_score(r, 101) OVER () FROM c', '22023', NULL, 'window n > 100');
SELECT throws_ok('SELECT rfm_breaks(r, 0) FROM c', '22023', NULL, 'rfm_breaks n out of range');
SELECT throws_ok($$SELECT rfm_breaks('{1,2}', '{1}', '{1,2}')$$, '22023', NULL, 'custom breaks: lengths differ');
SELECT throws_ok($$SELECT rfm_breaks('{2,1}', '{1,2}', '{1,2}')$$, '22023', NULL, 'custom breaks: descending');
SELECT throws_ok($$SELECT rfm_breaks('{1,NULL}', '{1,2}', '{1,2}')$$, '22023', NULL, 'custom breaks: NULL');
SELECT throws_ok($$SELECT rfm_breaks('{1,2}', '{1,NaN}', '{1,2}')$$, '22023', NULL, 'custom breaks: NaN');
SELECT throws_ok($$SELECT rfm_breaks('{1,2}', '{1,2}', '{1,Infinity}')$$, '22023', NULL, 'custom breaks: infinity');
SELECT throws_ok($$SELECT '643'::rfm_score$$, '22003', NULL, 'rfm_score part out of range');
SELECT throws_ok($$SELECT 'x43'::rfm_score$$, '22P02', NULL, 'rfm_score syntax');
SELECT throws_ok($$SELECT 'n=2 recency={1}'::rfm_breaks$$, '22P02', NULL, 'rfm_breaks syntax');
SELECT throws_ok($$SELECT '(numeric,5,0,1:1,,)'::rfm_breaks_state$$, '22P02', NULL, 'rfm_breaks_state inconsistent');
SELECT throws_ok($$SELECT tier_of('555'::rfm_score, 'nope')$$, '42704', NULL, 'unknown scheme');
SELECT throws_ok($$SELECT tier_of('555'::rfm_score, 'rfm10', 'de')$$, '22023', NULL, 'unknown language');
SELECT throws_ok($$SELECT tier_of(1, ARRAY[5, 1], ARRAY['a', 'b', 'c'])$$, '22023', NULL, 'ad hoc thresholds not ascending');
SELECT throws_ok($$SELECT rfm_score(ts, amount, '2026-01-01', NULL::rfm_breaks) FROM o$$, '22004', NULL, 'NULL breaks');
SET CONSTRAINTS ALL IMMEDIATE;
SELECT throws_ok($$INSERT INTO tier_scheme (scheme, position, label_en, f_min) VALUES ('t', 0, 'rest', NULL), ('t', 1, 'a', 3), ('t', 2, 'b', 4)$$,
                 '23514', NULL, 'a user rule hidden by earlier rules is rejected');

SELECT * FROM finish();
ROLLBACK;
