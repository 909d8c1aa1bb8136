-- btyd(order_ts, amount, as_of [, unit]): the BTYD summary (x, t_x, t, m).
-- pg_regress runs with TimeZone PST8PDT; as_of '2025-02-01' is midnight PST.
CREATE SCHEMA btyd;
SET search_path = btyd, public;
CREATE TABLE btyd_t (cust int, ts timestamptz, amt numeric);
INSERT INTO btyd_t VALUES
    -- 1: days Jan 1 (10 + 5 merge), Jan 4 (20; the refund is not a purchase),
    --    Jan 11 (0: a zero amount is a purchase); NULLs skipped, Feb 15 after as_of
    (1, '2025-01-01 09:00', 10.00), (1, '2025-01-01 18:00', 5.00),
    (1, '2025-01-04 10:00', 20.00), (1, '2025-01-04 11:00', -8.00),
    (1, '2025-01-11 12:00', 0.00), (1, '2025-01-11 13:00', NULL),
    (1, NULL, 100.00), (1, '2025-02-15 10:00', 50.00),
    -- 2: one purchase day with two orders: x = 0, m NULL
    (2, '2025-01-20 08:00', 7.00), (2, '2025-01-20 20:00', 3.00),
    -- 3: a refund only; 4: only rows after as_of; 5: only NULL rows
    (3, '2025-01-10 10:00', -5.00),
    (4, '2025-03-01 10:00', 9.00),
    (5, NULL, 1.00), (5, '2025-01-05', NULL),
    -- 6: 23:30 and 00:30 PST are two local days, one UTC day (Jan 10)
    (6, '2025-01-09 23:30', 4.00), (6, '2025-01-10 00:30', 6.00),
    -- 7: an order exactly at as_of counts
    (7, '2025-01-31 12:00', 1.50), (7, '2025-02-01 00:00', 2.25);

-- expected, by hand (days in PST):
--  1: x 2, t_x Jan 11 - Jan 1 = 10, t Feb 1 - Jan 1 = 31, m (20 + 0) / 2 = 10, purchases 4
--  2: x 0, t_x 0, t 12, m NULL, purchases 2
--  3, 4: no purchase: NULL x, t_x, t, m, purchases 0;  5: no row to evaluate: NULL
--  6: x 1, t_x 1, t Feb 1 - Jan 9 = 23, m 6
--  7: x 1, t_x 1, t 1, m 2.25
SELECT cust, (btyd(ts, amt, '2025-02-01')).* FROM btyd_t GROUP BY cust ORDER BY cust;
SELECT cust, btyd(ts, amt, '2025-02-01') IS NULL AS is_null FROM btyd_t GROUP BY cust ORDER BY cust;

-- float8 amounts: the same numbers
SELECT cust, (btyd(ts, amt::float8, '2025-02-01')).* FROM btyd_t GROUP BY cust ORDER BY cust;

-- units: weeks are days / 7 (10/7, 31/7); 12 hours double the days; '1 day' is the default
SELECT cust, (btyd(ts, amt, '2025-02-01', '7 days')).* FROM btyd_t WHERE cust = 1 GROUP BY cust;
SELECT cust, (btyd(ts, amt, '2025-02-01', '12 hours')).* FROM btyd_t WHERE cust = 1 GROUP BY cust;
SELECT btyd(ts, amt, '2025-02-01', '1 day') = btyd(ts, amt, '2025-02-01') AS same_default
FROM btyd_t WHERE cust = 1;
-- '24 hours' is the same unit as '1 day' (x 1, t_x 1, t 31, m 2)
SELECT (btyd(ts, a, '2025-02-01', u)).*
FROM (VALUES ('2025-01-01'::timestamptz, 1.0, '1 day'::interval), ('2025-01-02', 2.0, '24 hours')) v(ts, a, u);

-- the session time zone decides the days: in UTC customer 6 bought on one day
-- (Jan 10 UTC), and as_of (08:00 UTC Feb 1) is on Feb 1: x 0, t 22, m NULL
SET TimeZone = 'UTC';
SELECT cust, (btyd(ts, amt, '2025-02-01 00:00 PST')).* FROM btyd_t WHERE cust = 6 GROUP BY cust;
SET TimeZone = 'Asia/Tokyo';
-- Tokyo (UTC+9): 16:30 and 17:30 on Jan 10, as_of 17:00 Feb 1: x 0, t 22
SELECT cust, (btyd(ts, amt, '2025-02-01 00:00 PST')).* FROM btyd_t WHERE cust = 6 GROUP BY cust;
RESET TimeZone;

-- as a window aggregate: the running summary after each order of customer 1
-- (the final function reads the state without changing it)
SELECT ts, amt, (b).x, (b).t_x, (b).m, (b).purchases
FROM (SELECT ts, amt, btyd(ts, amt, '2025-02-01') OVER (ORDER BY ts, amt) AS b
      FROM btyd_t WHERE cust = 1) w
ORDER BY ts, amt;

-- a calibration/holdout split comes from as_of: as of Jan 5, customer 1 has
-- days Jan 1 and Jan 4: x 1, t_x 3, t 4, m 20
SELECT (btyd(ts, amt, '2025-01-05')).* FROM btyd_t WHERE cust = 1;

-- the state: exact text form, round trip, combine
SELECT btyd_numeric_trans(btyd_numeric_trans(NULL, '2025-01-04 10:00', 20.00, '2025-02-01'),
                          '2025-01-01 09:00', 10.00, '2025-02-01') AS state;
SELECT (btyd_final(btyd_numeric_trans(btyd_numeric_trans(NULL, '2025-01-04 10:00', 20.00, '2025-02-01'),
                          '2025-01-01 09:00', 10.00, '2025-02-01'))).*;
SELECT s::text::btyd_state::text = s::text AS text_round_trip
FROM (SELECT btyd_numeric_trans(btyd_numeric_trans(NULL, '2025-01-04', 20.005, '2025-02-01'),
                                '2025-01-01', 0.1, '2025-02-01') AS s
      UNION ALL
      SELECT btyd_float8_trans(btyd_float8_trans(NULL, '2025-01-04', 0.1, '2025-02-01', '7 days'),
                               '2025-01-01', 1e300, '2025-02-01', '7 days')) q;
-- days are PostgreSQL date numbers: 9132 is 2025-01-01, 9162 is as_of's day (Jan 31)
SELECT '(numeric,86400000000,791596800000000,9162,3,15.00,20.00,9132 9135)'::btyd_state;
SELECT (btyd_final(btyd_combine('(numeric,86400000000,791596800000000,9162,1,20.00,0,9135)',
                                '(numeric,86400000000,791596800000000,9162,2,15.00,0,9132)'))).*;
SELECT (btyd_final(btyd_combine('(numeric,86400000000,791596800000000,9162,2,15.00,0,9132)',
                                '(numeric,86400000000,791596800000000,9162,2,1.00,4.00,9132 9141)'))).*;

-- incremental refresh: the state of the orders up to Jan 5 (stored), advanced
-- to Feb 1 and merged with the state of the newer orders, equals btyd() of
-- all the orders as of Feb 1 (customer 1: x 2, t_x 10, t 31, m 10)
CREATE TABLE btyd_store AS
SELECT cust, btyd_partial(ts, amt, '2025-01-05') AS state FROM btyd_t GROUP BY cust;
SELECT cust, (btyd_final(btyd_merge(state))).*
FROM (SELECT cust, btyd_state_advance(state, '2025-02-01') AS state FROM btyd_store
      UNION ALL
      SELECT cust, btyd_partial(ts, amt, '2025-02-01')
      FROM btyd_t WHERE ts > '2025-01-05' GROUP BY cust) s
GROUP BY cust ORDER BY cust;
SELECT cust, (btyd(ts, amt, '2025-02-01')).* FROM btyd_t GROUP BY cust ORDER BY cust;

-- errors, with their SQLSTATE
\set VERBOSITY sqlstate
SELECT btyd('2025-01-01', 'NaN'::numeric, '2025-02-01');
SELECT btyd('2025-01-01', 'Infinity'::float8, '2025-02-01');
SELECT btyd('2025-03-01', 'NaN'::numeric, '2025-02-01');  -- after as_of: still an error
SELECT btyd('infinity', 1.0, '2025-02-01');
SELECT btyd('2025-01-01', 1.0, '-infinity');
SELECT btyd('2025-01-01', 1.0, NULL);
SELECT btyd(ts, 1.0, a) FROM (VALUES ('2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
                                     ('2025-01-02', '2025-02-02')) v(ts, a);
SELECT btyd('2025-01-01', 1.0, '2025-02-01', '1 month');
SELECT btyd('2025-01-01', 1.0, '2025-02-01', '0 days');
SELECT btyd('2025-01-01', 1.0, '2025-02-01', '-1 day');
SELECT btyd('2025-01-01', 1.0, '2025-02-01', '1 day -24 hours');
SELECT btyd('2025-01-01', 1.0, '2025-02-01', NULL);
SELECT btyd(ts, 1.0, '2025-02-01', u) FROM (VALUES ('2025-01-01'::timestamptz, '1 day'::interval),
                                                  ('2025-01-02', '7 days')) v(ts, u);
SELECT '(numeric,86400000000,791596800000000,9162,3,15.00,20.00,9135 9132)'::btyd_state;
SELECT '(numeric,86400000000,791596800000000,9162,3,15.00,20.00,9132 9999)'::btyd_state;
SELECT '(numeric,86400000000,791596800000000,9162,1,15.00,20.00,9132)'::btyd_state;
SELECT '(numeric,86400000000,791596800000000,9162,3,-15.00,20.00,9132 9135)'::btyd_state;
SELECT '(numeric,,,,0,0,0,'::btyd_state;
SELECT '(decimal,,,,0,0,0,)'::btyd_state;
SELECT btyd_combine('(numeric,,,,0,0,0,)', '(float8,,,,0,0,0,)');
SELECT btyd_combine('(numeric,86400000000,1,0,0,0,0,)', '(numeric,86400000000,2,0,0,0,0,)');
SELECT btyd_state_advance(state, '2025-01-01') FROM btyd_store WHERE cust = 1;
\set VERBOSITY default

-- parallel: partial states in the workers, combined in the leader
CREATE TABLE btyd_par AS
SELECT (i % 97) AS cust,
       timestamptz '2024-01-01' + (i * 7919 % 400) * interval '1 day' + (i % 24) * interval '1 hour' AS ts,
       ((i * 31 % 1000) - 30)::numeric / 100 AS amt
FROM generate_series(1, 20000) i;
ANALYZE btyd_par;
CREATE TABLE btyd_serial AS
SELECT cust, (btyd(ts, amt, '2025-01-15')).* FROM btyd_par GROUP BY cust;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT cust, (btyd(ts, amt, '2025-01-15')).* FROM btyd_par GROUP BY cust;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE (s.x, s.t_x, s.t, s.m, s.purchases) IS NOT DISTINCT FROM (p.x, p.t_x, p.t, p.m, p.purchases)) AS equal
FROM btyd_serial s
JOIN (SELECT cust, (btyd(ts, amt, '2025-01-15')).* FROM btyd_par GROUP BY cust) p USING (cust);
EXPLAIN (COSTS OFF)
SELECT (btyd(ts, amt, '2025-01-15')).* FROM btyd_par;
-- one group: days Jan 1 2024 + k, k = 0..399; by as_of (Jan 15 2025 = k 380, 00:00)
-- the purchase days are k = 0..379: x 379, t_x 379, t 380
SELECT (btyd(ts, amt, '2025-01-15')).* FROM btyd_par;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;
SELECT (btyd(ts, amt, '2025-01-15')).* FROM btyd_par;
-- the plain-SQL oracle of that group
SELECT count(*) - 1 AS x, max(d) - min(d) AS t_x, '2025-01-15'::date - min(d) AS t,
       (avg(s) FILTER (WHERE d > (SELECT min(ts)::date FROM btyd_par WHERE amt >= 0)))::float8 AS m,
       sum(n) AS purchases
FROM (SELECT ts::date AS d, sum(amt) AS s, count(*) AS n FROM btyd_par
      WHERE amt >= 0 AND ts <= '2025-01-15' GROUP BY 1) q;

DROP TABLE btyd_t, btyd_store, btyd_par, btyd_serial;
