-- Historical CLV: clv(order_ts, amount, as_of, lifespan [, margin [, discount_rate]])
-- and the scalar forms clv(...) and clv_retention(...).
--   avg_value = net monetary / purchases; purchases_per_year = purchases / max(tenure_years, 1)
--   CLV = avg_value * purchases_per_year * margin * A(L, d), A(L, 0) = L,
--   A(L, d) = sum_{y=1..floor L} (1+d)^-y + (L - floor L) (1+d)^-(floor L + 1);  1 year = 365.25 days
CREATE SCHEMA clv;
SET search_path = clv, public;
CREATE TABLE clv_t (cust int, ts timestamptz, amt numeric);
INSERT INTO clv_t VALUES
    -- 1: tenure 2023-01-01 00:00 .. 2024-12-31 12:00 UTC = 730.5 days = 2 years;
    --    3 purchases, 300 in all: avg 100, 1.5 purchases a year, 150 a year
    (1, '2023-01-01 00:00+00', 100.00), (1, '2024-01-01 00:00+00', 50.00), (1, '2024-12-01 00:00+00', 150.00),
    -- 2: a new customer (tenure < 1 year counts as 1 year): 80 - 20 refund = 60 a year
    (2, '2024-12-01 00:00+00', 80.00), (2, '2024-12-10 00:00+00', -20.00),
    -- 3: a refund only; 4: only an order after as_of; 5: NULL rows only
    (3, '2024-06-01 00:00+00', -5.00),
    (4, '2025-06-01 00:00+00', 10.00),
    (5, NULL, 1.00), (5, '2024-06-01', NULL),
    -- 6: a zero order is a purchase: 2 purchases, 30 in all, 30 a year
    (6, '2024-07-01 00:00+00', 0.00), (6, '2024-08-01 00:00+00', 30.00);

-- 3 years: 1: 150 * 3 = 450; 2: 60 * 3 = 180; 6: 30 * 3 = 90; 3, 4, 5: NULL (no purchase)
SELECT cust, clv(ts, amt, '2024-12-31 12:00+00', '3 years') FROM clv_t GROUP BY cust ORDER BY cust;
-- margin 0.2: 90, 36, 18
SELECT cust, clv(ts, amt, '2024-12-31 12:00+00', '3 years', 0.2) FROM clv_t GROUP BY cust ORDER BY cust;
-- discounted at 10%: A(3, 0.1) = 1/1.1 + 1/1.21 + 1/1.331 = 2.48685199098...
-- 1: 150 * A = 373.03; with margin 0.2: 74.61; 2: 60 * A = 149.21
SELECT cust, clv(ts, amt, '2024-12-31 12:00+00', '3 years', 1, 0.1) AS d10,
       clv(ts, amt, '2024-12-31 12:00+00', '3 years', 0.2, 0.1) AS m20_d10
FROM clv_t GROUP BY cust ORDER BY cust;
-- lifespans: 18 months = 1.5 years (225); 730.5 days = 2 years (300);
-- 18 months at 10%: 150 * (1/1.1 + 0.5/1.21) = 198.35
SELECT clv(ts, amt, '2024-12-31 12:00+00', '18 months') AS m18,
       clv(ts, amt, '2024-12-31 12:00+00', '730 days 12 hours') AS d730,
       clv(ts, amt, '2024-12-31 12:00+00', '18 months', 1, 0.1) AS m18_d10,
       clv(ts, amt, '2024-12-31 12:00+00', '0 days') AS zero
FROM clv_t WHERE cust = 1;
-- float8 amounts: the same numbers, unrounded
SELECT cust, clv(ts, amt::float8, '2024-12-31 12:00+00', '3 years') AS f,
       clv(ts, amt::float8, '2024-12-31 12:00+00', '3 years', 0.2, 0.1) AS f_m20_d10
FROM clv_t GROUP BY cust ORDER BY cust;
-- the aggregate equals the scalar form on the rfm() summary (to rounding)
SELECT cust, abs(clv(ts, amt::float8, '2024-12-31 12:00+00', '3 years', 0.2, 0.1) -
                 clv((r).avg_value::float8, (r).frequency / greatest((r).tenure / 365.25, 1), 3, 0.2, 0.1)) < 1e-12 AS same
FROM (SELECT cust, rfm(ts, amt, '2024-12-31 12:00+00') AS r FROM clv_t GROUP BY cust) s
JOIN clv_t USING (cust) WHERE (r).frequency > 0 GROUP BY cust, r ORDER BY cust;

-- scalar forms: 50 * 4 * 3 = 600; margin 0.3: 180; A(2.5, 0.1) * 200 = 422.24;
-- lifespan 0: 0; retention: 100 * 0.8 / (1 + 0.1 - 0.8) = 266.67, without discount 400
SELECT clv(50, 4, 3) AS plain, clv(50, 4, 3, 0.3) AS margin, round(clv(50, 4, 2.5, 1, 0.1)::numeric, 6) AS disc,
       clv(50, 4, 0) AS zero, round(clv_retention(100, 0.8, 0.1)::numeric, 6) AS ret,
       clv_retention(100, 0.8, 0) AS ret0, clv(50, 4, NULL) IS NULL AS strict;

-- the state: exact text form and round trip
SELECT clv_numeric_trans(clv_numeric_trans(NULL, '2024-01-01 00:00+00', 10.5, '2024-12-31 12:00+00', '30 months', 0.3, 0.1),
                         '2024-02-01 00:00+00', -0.25, '2024-12-31 12:00+00', '30 months', 0.3, 0.1) AS state;
SELECT s::text::clv_state::text = s::text AS text_round_trip
FROM (SELECT clv_float8_trans(NULL, '2024-01-01', 0.1, '2024-12-31', '1 year', 0.7, 0.05) AS s) q;
-- tenure 2023-01-01 .. 2024-12-31 12:00 = 2 years, 300 in 3 purchases, 3 years: 450
SELECT clv_numeric_final('(3,1,0,(numeric,788961600000000,725846400000000,788961600000000,3,0,300.00))');
SELECT clv_numeric_final(clv_combine('(3,1,0,(numeric,788961600000000,725846400000000,725846400000000,1,0,100.00))',
                                     '(,,,(numeric,788961600000000,757382400000000,786240000000000,2,0,200.00))'));

-- errors, with their SQLSTATE
\set VERBOSITY sqlstate
SELECT clv(ts, amt, '2024-12-31', '-1 year') FROM clv_t;
SELECT clv(ts, amt, '2024-12-31', '3 years', 'NaN') FROM clv_t;
SELECT clv(ts, amt, '2024-12-31', '3 years', 1, -1) FROM clv_t;
SELECT clv(ts, amt, '2024-12-31', '3 years', 1, 'Infinity') FROM clv_t;
SELECT clv(ts, amt, '2024-12-31', NULL) FROM clv_t;
SELECT clv(ts, amt, '2024-12-31', '3 years', NULL) FROM clv_t;
SELECT clv(ts, amt, NULL, '3 years') FROM clv_t;
SELECT clv(ts, amt, '2024-12-31', l) FROM (VALUES ('2024-01-01'::timestamptz, 1.0, '3 years'::interval),
                                                 ('2024-01-02', 1.0, '2 years')) v(ts, amt, l);
SELECT clv(ts, amt, '2024-12-31', '3 years', m) FROM (VALUES ('2024-01-01'::timestamptz, 1.0, 0.5::float8),
                                                            ('2024-01-02', 1.0, 0.6)) v(ts, amt, m);
SELECT clv(ts, amt, a, '3 years') FROM (VALUES ('2024-01-01'::timestamptz, 1.0, '2024-12-31'::timestamptz),
                                              ('2024-01-02', 1.0, '2025-12-31')) v(ts, amt, a);
SELECT clv('2024-01-01'::timestamptz, 'NaN'::numeric, '2024-12-31', '3 years');
SELECT clv('2024-01-01'::timestamptz, '-Infinity'::float8, '2024-12-31', '3 years');
SELECT clv('infinity'::timestamptz, 1.0, '2024-12-31', '3 years');
SELECT clv('NaN', 4, 3);
SELECT clv(50, -1, 3);
SELECT clv(50, 4, -3);
SELECT clv(50, 4, 'Infinity');
SELECT clv(50, 4, 3, 'Infinity');
SELECT clv(50, 4, 3, 1, -1.5);
SELECT clv_retention(100, 1, 0.1);
SELECT clv_retention(100, -0.1, 0.1);
SELECT clv_retention(100, 0.5, -1);
SELECT clv_retention(100, 0.6, -0.5);
SELECT clv_retention('Infinity', 0.5, 0.1);
SELECT clv_retention(100, 'NaN', 0.1);
SELECT '(3,1,,(numeric,,,,0,0,0))'::clv_state;
SELECT '(3,1,-1,(numeric,,,,0,0,0))'::clv_state;
SELECT '(-3,1,0,(numeric,,,,0,0,0))'::clv_state;
SELECT '(3,1,0,(numeric,,,,0,0,0)'::clv_state;
SELECT clv_combine('(3,1,0,(numeric,,,,0,0,0))', '(2,1,0,(numeric,,,,0,0,0))');
SELECT clv_combine('(,,,(numeric,,,,0,0,0))', '(,,,(float8,,,,0,0,0))');
\set VERBOSITY default

-- parallel: partial states in the workers, combined in the leader
CREATE TABLE clv_par AS
SELECT (i % 101) AS cust,
       timestamptz '2022-01-01 00:00+00' + (i * 7919 % 1100) * interval '1 day' + (i % 24) * interval '1 hour' AS ts,
       round(((i * 31 % 1000) - 30)::numeric / 100, 2) AS amt
FROM generate_series(1, 20000) i;
ANALYZE clv_par;
CREATE TABLE clv_serial AS
SELECT cust, clv(ts, amt, '2024-06-30 00:00+00', '3 years', 0.25, 0.08) AS v FROM clv_par GROUP BY cust;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT cust, clv(ts, amt, '2024-06-30 00:00+00', '3 years', 0.25, 0.08) FROM clv_par GROUP BY cust;
SELECT count(*) AS groups, count(*) FILTER (WHERE s.v = p.v) AS equal
FROM clv_serial s
JOIN (SELECT cust, clv(ts, amt, '2024-06-30 00:00+00', '3 years', 0.25, 0.08) AS v FROM clv_par GROUP BY cust) p USING (cust);
-- against plain SQL: net amount / max(tenure years, 1) * margin * A(3, 0.08)
SELECT count(*) AS groups,
       count(*) FILTER (WHERE s.v = round(o.monetary * (0.25 * (1/1.08 + 1/1.08^2 + 1/1.08^3)
                                                        / greatest(o.tenure_days / 365.25, 1))::numeric, 2)) AS equal_to_sql
FROM clv_serial s
JOIN (SELECT cust, sum(amt) AS monetary,
             extract(epoch FROM '2024-06-30 00:00+00'::timestamptz - min(ts) FILTER (WHERE amt >= 0)) / 86400 AS tenure_days
      FROM clv_par WHERE ts <= '2024-06-30 00:00+00' GROUP BY cust) o USING (cust);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;

DROP TABLE clv_t, clv_par, clv_serial;
