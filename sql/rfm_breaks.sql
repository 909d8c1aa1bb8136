-- rfm_breaks: the aggregate, custom intervals, the types and their I/O.

-- heavy ties: 7 customers with frequency 1 and the same amount
CREATE TABLE bpop (id int, r rfm);
INSERT INTO bpop
SELECT id, ROW(rec, freq, mon, mon / freq, '2025-01-01', '2025-06-01', 400, 0)::rfm
FROM (VALUES (1, 0.5, 1, 9.99), (2, 0.5, 1, 9.99), (3, 3, 1, 9.99), (4, 3, 1, 9.99),
             (5, 3, 1, 9.99), (6, 40, 1, 9.99), (7, 41, 1, 9.990), (8, 41, 2, 19.50),
             (9, 100, 4, 120.00), (10, 365.25, 9, 1000.125))
     v(id, rec, freq, mon);
INSERT INTO bpop VALUES (11, ROW(NULL, 0, 0, NULL, NULL, NULL, NULL, 0)::rfm), (12, NULL);

-- the aggregate equals percentile_disc(k/n) per axis, for several n
SELECT n, rfm_breaks(r, n) AS breaks FROM bpop, (VALUES (2), (3), (5), (7)) v(n)
GROUP BY n ORDER BY n;
SELECT n,
       recency_breaks(b) = (SELECT array_agg(x ORDER BY k) FROM (
           SELECT k, percentile_disc(k::float8 / n) WITHIN GROUP (ORDER BY (r).recency) x
           FROM bpop, generate_series(1, n - 1) k WHERE (r).frequency > 0 GROUP BY k) s) AS recency_ok,
       frequency_breaks(b) = (SELECT array_agg(x::float8 ORDER BY k) FROM (
           SELECT k, percentile_disc(k::float8 / n) WITHIN GROUP (ORDER BY (r).frequency) x
           FROM bpop, generate_series(1, n - 1) k WHERE (r).frequency > 0 GROUP BY k) s) AS frequency_ok,
       monetary_breaks(b) = (SELECT array_agg(x ORDER BY k) FROM (
           SELECT k, percentile_disc(k::float8 / n) WITHIN GROUP (ORDER BY (r).monetary) x
           FROM bpop, generate_series(1, n - 1) k WHERE (r).frequency > 0 GROUP BY k) s) AS monetary_ok
FROM (SELECT n, rfm_breaks(r, n) b FROM bpop, generate_series(2, 12) n GROUP BY n) t
ORDER BY n;
-- an empty population gives NULL
SELECT rfm_breaks(r) IS NULL AS empty FROM bpop WHERE id > 10;
SELECT rfm_breaks(r) IS NULL AS no_rows FROM bpop WHERE false;
-- float8 amounts
SELECT rfm_breaks(ROW(rec, 1, mon, mon, NULL, NULL, NULL, 0)::rfm_float8, 4)
FROM (VALUES (1.5, 0.1), (2.5, 0.2), (3.5, 0.30000000000000004), (4.5, 1e300)) v(rec, mon);
-- scale errors
SELECT rfm_breaks(r, 1) FROM bpop;
SELECT rfm_breaks(r, 101) FROM bpop;
SELECT rfm_breaks(r, NULL::int) FROM bpop;
-- rows of another type
SELECT rfm_breaks(ROW(1.0, 1, 'NaN', NULL, NULL, NULL, NULL, 0)::rfm) ;
-- too many digits for the exact 64-bit monetary keys (22003)
SELECT rfm_breaks(ROW(1.0, 1, 12345678901234567890.5, NULL, NULL, NULL, NULL, 0)::rfm);

-- custom intervals
SELECT rfm_breaks('{7,30,90,180}', '{1,2,5,10}', '{50,100,500,1000}');
SELECT rfm_breaks(ARRAY[30], ARRAY[2], ARRAY[99.5]);
SELECT n(b), recency_breaks(b), frequency_breaks(b), monetary_breaks(b)
FROM (SELECT rfm_breaks('{7,30,30,180}', '{1,1,5,10}', '{50,100,500,1000.50}') b) s;
SELECT rfm_breaks('{7,30}', '{1,2,5}', '{50,100}');
SELECT rfm_breaks('{}', '{}', '{}');
SELECT rfm_breaks('{30,7}', '{1,2}', '{50,100}');
SELECT rfm_breaks('{7,30}', '{2,1}', '{50,100}');
SELECT rfm_breaks('{7,30}', '{1,2}', '{100,50}');
SELECT rfm_breaks('{7,NULL}', '{1,2}', '{50,100}');
SELECT rfm_breaks('{7,NaN}', '{1,2}', '{50,100}');
SELECT rfm_breaks('{7,30}', '{1,Infinity}', '{50,100}');
SELECT rfm_breaks('{7,30}', '{1,2}', '{50,NaN}');
SELECT rfm_breaks('{7,30}', '{1,2}', '{50,Infinity}');
SELECT rfm_breaks('{{7},{30}}', '{1,2}', '{50,100}');
SELECT rfm_breaks(array_fill(1::float8, ARRAY[100]), array_fill(1::float8, ARRAY[100]),
                  array_fill(1::numeric, ARRAY[100]));
SELECT n(rfm_breaks(array_fill(1::float8, ARRAY[99]), array_fill(1::float8, ARRAY[99]),
                    array_fill(1::numeric, ARRAY[99])));

-- scoring with custom intervals: c(v) counts breakpoints strictly below v
SELECT id, rfm_score(r, rfm_breaks('{3,41}', '{1,2}', '{9.99,100}')) FROM bpop ORDER BY id;

-- rfm_breaks text input
SELECT 'n=3 recency={1.5,2} frequency={1,2} monetary={10.00,20}'::rfm_breaks;
SELECT 'n=3 recency={1.5,2} frequency={1,2} monetary={10.00}'::rfm_breaks;
SELECT 'n=3 recency={2,1.5} frequency={1,2} monetary={10,20}'::rfm_breaks;
SELECT 'n=1 recency={} frequency={} monetary={}'::rfm_breaks;
SELECT 'recency={1} frequency={1} monetary={1}'::rfm_breaks;
SELECT 'n=2 recency={1} frequency={1} monetary={1} extra'::rfm_breaks;
SELECT 'n=2 recency={x} frequency={1} monetary={1}'::rfm_breaks;

-- the state type: text form, exact round trip, merging by hand
SELECT rfm_breaks_trans(rfm_breaks_trans(NULL, r, 3), r, 3) FROM bpop WHERE id = 10;
SELECT rfm_breaks_final(rfm_breaks_combine(
           rfm_breaks_trans(NULL, (SELECT r FROM bpop WHERE id = 8), 3),
           rfm_breaks_trans(NULL, (SELECT r FROM bpop WHERE id = 9), 3)));
SELECT '(numeric,5,2,0.5:2 3:1,1:2 2:1,999:3)'::rfm_breaks_state;
SELECT rfm_breaks_final('(numeric,3,2,0.5:2 3:1,1:2 2:1,999:2 1000:1)');
SELECT '(numeric,5,2,0.5:2,1:2,999:3)'::rfm_breaks_state;
SELECT '(numeric,5,2,3:1 0.5:2,1:3,999:3)'::rfm_breaks_state;
SELECT '(numeric,5,2,0.5:0,,)'::rfm_breaks_state;
SELECT '(float8,5,0,0.5:1,1:1,NaN:1)'::rfm_breaks_state;
SELECT '(numeric,1,0,,,)'::rfm_breaks_state;
SELECT '(other,5,0,,,)'::rfm_breaks_state;
SELECT '(numeric,5,0,,)'::rfm_breaks_state;
SELECT rfm_breaks_combine('(numeric,5,0,,,)', '(numeric,3,0,,,)');
SELECT rfm_breaks_combine('(numeric,5,0,1:1,1:1,5:1)', '(float8,5,0,1:1,1:1,5:1)');
-- merging states of different decimal scales is exact
SELECT rfm_breaks_final(rfm_breaks_combine('(numeric,2,0,1:1,1:1,5:1)', '(numeric,2,3,2:1,1:1,4999:1)'));

-- every state is exactly the same after a text round trip
SELECT count(*) AS states, count(*) FILTER (WHERE st::text::rfm_breaks_state::text = st::text) AS text_ok
FROM (SELECT n, rfm_breaks_trans(NULL, r, n) st FROM bpop, generate_series(2, 5) n WHERE r IS NOT NULL) s;

-- binary I/O of every type, through COPY BINARY
CREATE TABLE bio (s rfm_score, b rfm_breaks, bs rfm_breaks_state, ss rfm_score_state);
INSERT INTO bio
SELECT '10-3-7/12', rfm_breaks(r, 4), '(numeric,5,2,0.5:2 3:1,1:2 2:1,999:3)',
       rfm_score_numeric_trans(NULL, '2025-12-30', 10.5, '2026-01-01', rfm_breaks('{10}', '{1}', '{5}'))
FROM bpop;
INSERT INTO bio VALUES ('543', 'n=2 recency={1} frequency={1} monetary={1e-20}',
                       '(float8,2,0,0.1:1,1:1,1e300:1)', NULL);
COPY bio TO '/tmp/memval_scoring_io.bin' WITH (FORMAT binary);
CREATE TABLE bio2 (LIKE bio);
COPY bio2 FROM '/tmp/memval_scoring_io.bin' WITH (FORMAT binary);
SELECT (SELECT array_agg(bio::text ORDER BY bio::text) FROM bio) = (SELECT array_agg(bio2::text ORDER BY bio2::text) FROM bio2) AS binary_ok,
       (SELECT count(*) FROM bio2) AS rows;
SELECT * FROM bio2 ORDER BY s;

-- parallel: a partial aggregate per worker, merged by the combine function
CREATE TABLE bmany AS
SELECT i AS id, ROW((i * 37 % 400)::float8 / 4, 1 + (i % 7) / 3, ((i * 13) % 250)::numeric / 4,
                   NULL, NULL, NULL, NULL, 0)::rfm AS r
FROM generate_series(1, 30000) i;
ANALYZE bmany;
-- moving windows use the inverse transition; each frame equals the plain aggregate
CREATE TABLE bm1k AS SELECT * FROM bmany WHERE id <= 1000;
SELECT 3 AS width, count(*) AS frames, count(*) FILTER (WHERE w IS DISTINCT FROM o) AS mismatches
FROM (SELECT (rfm_breaks(r, 4) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW))::text AS w,
             (SELECT rfm_breaks(b.r, 4)::text FROM bm1k b WHERE b.id BETWEEN m.id - 3 AND m.id) AS o
      FROM bm1k m) t
UNION ALL
SELECT 100, count(*), count(*) FILTER (WHERE w IS DISTINCT FROM o)
FROM (SELECT (rfm_breaks(r, 4) OVER (ORDER BY id ROWS BETWEEN 100 PRECEDING AND CURRENT ROW))::text AS w,
             (SELECT rfm_breaks(b.r, 4)::text FROM bm1k b WHERE b.id BETWEEN m.id - 100 AND m.id) AS o
      FROM bm1k m) t
UNION ALL
SELECT 700, count(*), count(*) FILTER (WHERE w IS DISTINCT FROM o)
FROM (SELECT (rfm_breaks(r, 4) OVER (ORDER BY id ROWS BETWEEN 700 PRECEDING AND CURRENT ROW))::text AS w,
             (SELECT rfm_breaks(b.r, 4)::text FROM bm1k b WHERE b.id BETWEEN m.id - 700 AND m.id) AS o
      FROM bm1k m) t
ORDER BY 1;
CREATE TABLE bserial AS SELECT rfm_breaks(r, 7)::text AS b FROM bmany;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT rfm_breaks(r, 7) FROM bmany;
SELECT rfm_breaks(r, 7)::text = (SELECT b FROM bserial) AS parallel_equals_serial FROM bmany;
RESET ALL;

DROP TABLE bpop, bmany, bm1k, bserial, bio, bio2;
