-- rfm_score: the type, the window function, scalar and aggregate scoring.

-- text forms: short cell (n = 5 unless "/n"), wide form for n >= 10
SELECT '543'::rfm_score AS s5, '332/3'::rfm_score AS s3, '10-3-7/12'::rfm_score AS s12,
       '5-4-3'::rfm_score AS wide5, ' 999/9 '::rfm_score AS s9, '1-1-1/100'::rfm_score AS s100;
SELECT rfm_score(5, 4, 3), rfm_score(1, 2, 3, 7), rfm_score(10, 3, 7, 12), rfm_score(2, 2, 2, 2);
SELECT r(s), f(s), m(s), n(s), s::text FROM (VALUES ('543'::rfm_score), ('10-3-7/12')) v(s) ORDER BY s;
SELECT (rfm_score_parts('352'::rfm_score)).*;
-- column notation: (s).r is r(s)
SELECT (s).r, (s).f, (s).m, (s).n, count(*) FROM (VALUES ('543'::rfm_score), ('543'), ('512')) v(s)
GROUP BY (s).r, (s).f, (s).m, (s).n ORDER BY 1, 2, 3;
-- binary round trip
SELECT rfm_score_recv_ok FROM (
    SELECT bool_and(rfm_score_send(s) = rfm_score_send(s::text::rfm_score)) AS rfm_score_recv_ok
    FROM (VALUES ('543'::rfm_score), ('111/2'), ('100-1-50/100')) v(s)) t;
-- input errors
SELECT '54'::rfm_score;
SELECT '5433'::rfm_score;
SELECT '643'::rfm_score;
SELECT '043'::rfm_score;
SELECT '543/1'::rfm_score;
SELECT '1-2-3/101'::rfm_score;
SELECT 'abc'::rfm_score;
SELECT '5-4'::rfm_score;
SELECT rfm_score(6, 1, 1);
SELECT rfm_score(1, 1, 1, 1);

-- ordering, grouping, hashing, joins
SELECT s FROM (VALUES ('543'::rfm_score), ('111'), ('555'), ('333/3'), ('10-1-1/10'), ('543')) v(s)
ORDER BY s;
SELECT DISTINCT s FROM (VALUES ('543'::rfm_score), ('543'), ('111')) v(s) ORDER BY s;
SET enable_sort = off;
SELECT s, count(*) FROM (VALUES ('543'::rfm_score), ('543'), ('111')) v(s) GROUP BY s ORDER BY s::text;
RESET enable_sort;
SELECT a.s, b.label FROM (VALUES ('543'::rfm_score), ('111')) a(s)
JOIN (VALUES ('543'::rfm_score, 'x'), ('222', 'y')) b(s, label) ON a.s = b.s;
SELECT '543'::rfm_score < '544'::rfm_score AS lt, '543'::rfm_score = '5-4-3'::rfm_score AS eq,
       '543'::rfm_score <> '543/6'::rfm_score AS ne, '555'::rfm_score > '155'::rfm_score AS gt;

-- a population checked by hand (see the comments):
-- recency 1..10, frequency {1,1,1,1,1,2,2,3,5,8}, monetary {10,10,10,20,20,30,40,50,100,1000}
-- N = 10, n = 5: ranks ceil(k/5*10) = 2,4,6,8, so b_R = {2,4,6,8},
-- b_F = {1,1,2,3}, b_M = {10,20,30,50}.
CREATE TABLE spop (id int, r rfm);
INSERT INTO spop
SELECT id, ROW(rec, freq, mon, mon / freq, '2025-01-01', '2025-06-01', 400, 0)::rfm
FROM (VALUES (1, 1, 1, 10), (2, 2, 1, 10), (3, 3, 1, 10), (4, 4, 1, 20), (5, 5, 1, 20),
             (6, 6, 2, 30), (7, 7, 2, 40), (8, 8, 3, 50), (9, 9, 5, 100), (10, 10, 8, 1000))
     v(id, rec, freq, mon);
-- outside the population: no purchase (frequency 0), and a NULL summary
INSERT INTO spop VALUES (11, ROW(NULL, 0, -5, NULL, NULL, NULL, NULL, 1)::rfm), (12, NULL);

SELECT rfm_breaks(r) FROM spop;
-- expected: 511 511 411 412 312 333 234 244 155 155, then NULL NULL
SELECT id, rfm_score(r) OVER () AS win,
       rfm_score(r, (SELECT rfm_breaks(r) FROM spop)) AS scalar
FROM spop ORDER BY id;
-- n = 2: b = percentile_disc(0.5): rank 5 -> R 5, F 1, M 20
SELECT id, rfm_score(r, 2) OVER () FROM spop ORDER BY id;
-- partitions are scored separately
SELECT id, id % 2 AS part, rfm_score(r) OVER (PARTITION BY id % 2) FROM spop ORDER BY id;
-- window frame and ORDER BY do not matter: the whole partition is used
SELECT id, rfm_score(r) OVER (ORDER BY id) FROM spop ORDER BY id;
-- tiny populations: 1 customer scores n on R and 1 on F and M... checked against the formula
SELECT id, rfm_score(r) OVER () FROM spop WHERE id = 7;
SELECT id, rfm_score(r) OVER () FROM spop WHERE id IN (7, 8) ORDER BY id;
SELECT id, rfm_score(r) OVER () FROM spop WHERE id > 10 ORDER BY id;

-- scale errors (22023)
SELECT rfm_score(r, 1) OVER () FROM spop;
SELECT rfm_score(r, 101) OVER () FROM spop;
SELECT rfm_score(r, NULL::int) OVER () FROM spop;

-- the aggregate form: summary and score in one call
CREATE TABLE sorders (cid int, ts timestamptz, amount numeric);
INSERT INTO sorders VALUES
    (1, '2025-12-30', 10), (2, '2025-12-20', 10), (2, '2025-11-01', 15),
    (3, '2025-10-01', 100), (3, '2025-09-01', 50), (3, '2025-08-01', 70),
    (4, '2025-01-01', 5), (5, '2025-06-01', -3), (5, '2026-02-01', 9);
CREATE TABLE ssumm AS SELECT cid, rfm(ts, amount, '2026-01-01') r FROM sorders GROUP BY cid;
SELECT rfm_breaks(r, 3) FROM ssumm;
-- expected (n = 3, ranks 2 and 3 of 4): 311/3 322/3 233/3 111/3 NULL
SELECT a.cid, a.agg, rfm_score(s.r, (SELECT rfm_breaks(r, 3) FROM ssumm)) AS scalar
FROM (SELECT cid, rfm_score(ts, amount, '2026-01-01', (SELECT rfm_breaks(r, 3) FROM ssumm)) AS agg
      FROM sorders GROUP BY cid) a JOIN ssumm s USING (cid) ORDER BY a.cid;
SELECT tier_of(rfm_score(ts, amount, '2026-01-01', rfm_breaks('{10,100}', '{1,2}', '{20,100}')))
FROM sorders GROUP BY cid ORDER BY cid;
-- float8 twin
SELECT cid, rfm_score(ts, amount::float8, '2026-01-01', rfm_breaks('{10,100}', '{1,2}', '{20,100}'))
FROM sorders GROUP BY cid ORDER BY cid;
-- errors: NULL breaks, differing breaks within a group
SELECT rfm_score(ts, amount, '2026-01-01', NULL::rfm_breaks) FROM sorders;
SELECT rfm_score(ts, amount, '2026-01-01',
                 CASE WHEN amount > 20 THEN rfm_breaks('{1}', '{1}', '{1}') ELSE rfm_breaks('{2}', '{1}', '{1}') END)
FROM sorders;
-- the state type reads back exactly (binary I/O: see rfm_breaks.sql)
SELECT st, st::text::rfm_score_state::text = st::text AS text_ok,
       rfm_score_final(st)
FROM (SELECT rfm_score_numeric_trans(NULL, '2025-12-30', 10, '2026-01-01', rfm_breaks('{10}', '{1}', '{5}')) st) s;
SELECT 'garbage'::rfm_score_state;
SELECT '(numeric,,,,0,0,0);n=2 recency={1} frequency={1}'::rfm_score_state;

-- parallel: the aggregate form equals the serial plan
CREATE TABLE sbig AS
SELECT i % 500 AS cid, timestamptz '2025-01-01' + (i % 300) * interval '1 day' AS ts,
       ((i * 7) % 90)::numeric AS amount
FROM generate_series(1, 20000) i;
ANALYZE sbig;
CREATE TABLE sserial AS
SELECT cid, rfm_score(ts, amount, '2026-01-01', rfm_breaks('{30,90,180,270}', '{20,30,40,50}', '{1000,1500,2000,2500}')) s
FROM sbig GROUP BY cid;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT cid, rfm_score(ts, amount, '2026-01-01', rfm_breaks('{30,90,180,270}', '{20,30,40,50}', '{1000,1500,2000,2500}'))
FROM sbig GROUP BY cid;
SELECT count(*) AS customers, count(*) FILTER (WHERE p.s IS DISTINCT FROM q.s) AS mismatches
FROM sserial q JOIN (
    SELECT cid, rfm_score(ts, amount, '2026-01-01', rfm_breaks('{30,90,180,270}', '{20,30,40,50}', '{1000,1500,2000,2500}')) s
    FROM sbig GROUP BY cid) p USING (cid);
RESET ALL;

DROP TABLE spop, sorders, ssumm, sbig, sserial;
