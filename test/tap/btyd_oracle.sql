-- btyd() against a plain-SQL oracle (distinct local days with ::date,
-- GROUP BY day then aggregate) for every customer of generated data:
-- numeric and float8, serial and parallel, a time zone with DST, weeks.
\set customers 10000
\set orders 120000
\set seed 7
\set table btyd_orders
\ir ../data/gen_orders.sql
SET client_min_messages = warning;

BEGIN;
SELECT plan(15);
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS SETOF text LANGUAGE plpgsql AS
$f$ BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END $f$;
SET LOCAL TimeZone = 'America/New_York';

-- the oracle: purchases (amount >= 0) up to as_of, one row per local day
CREATE TEMP TABLE oracle_days AS
SELECT customer_id, order_ts::date AS d, sum(amount) AS s, sum(amount::float8) AS fs,
       count(*) AS n
FROM btyd_orders
WHERE order_ts IS NOT NULL AND amount IS NOT NULL AND amount >= 0
  AND order_ts <= '2025-06-30 18:00'
GROUP BY 1, 2;

CREATE TEMP TABLE oracle AS
SELECT customer_id, (count(*) - 1)::float8 AS x, (max(d) - min(d))::float8 AS t_x,
       ('2025-06-30 18:00'::timestamptz::date - min(d))::float8 AS t,
       (avg(s) FILTER (WHERE d > d1))::float8 AS m,
       avg(fs) FILTER (WHERE d > d1) AS fm,
       sum(n)::bigint AS purchases
FROM (SELECT *, min(d) OVER (PARTITION BY customer_id) AS d1 FROM oracle_days) q
GROUP BY customer_id;

CREATE TEMP TABLE got_serial AS
SELECT customer_id, (btyd(order_ts, amount, '2025-06-30 18:00')).*
FROM btyd_orders GROUP BY 1;

SELECT ok((SELECT count(*) FROM oracle) > 5000, 'the oracle has customers');

SELECT results_eq(
    $$SELECT customer_id, x, t_x, t, m, purchases FROM got_serial WHERE x IS NOT NULL ORDER BY 1$$,
    $$SELECT customer_id, x, t_x, t, m, purchases FROM oracle ORDER BY 1$$,
    'numeric btyd() equals the plain-SQL oracle for every customer (serial)');

SELECT results_eq(
    $$SELECT customer_id FROM got_serial WHERE x IS NULL ORDER BY 1$$,
    $$SELECT DISTINCT customer_id FROM btyd_orders
      WHERE customer_id NOT IN (SELECT customer_id FROM oracle) ORDER BY 1$$,
    'customers without a purchase up to as_of get NULL x, t_x, t, m');

SELECT is((SELECT count(*) FROM got_serial WHERE x = 0 AND m IS NOT NULL), 0::bigint,
          'm is NULL exactly when x = 0');

SELECT results_eq(
    $$SELECT customer_id, (btyd(order_ts, amount, '2025-06-30 18:00', '7 days')).t_x,
             (btyd(order_ts, amount, '2025-06-30 18:00', '7 days')).t
      FROM btyd_orders GROUP BY 1 HAVING (btyd(order_ts, amount, '2025-06-30 18:00')).x IS NOT NULL
      ORDER BY 1$$,
    $$SELECT customer_id, t_x / 7, t / 7 FROM oracle ORDER BY 1$$,
    'weekly unit: t_x and t are days / 7');

SELECT is((SELECT count(*) FROM got_serial g
           JOIN (SELECT customer_id, (btyd(order_ts, amount::float8, '2025-06-30 18:00')).* FROM btyd_orders GROUP BY 1) f
             USING (customer_id)
           JOIN oracle o USING (customer_id)
           WHERE f.x IS DISTINCT FROM o.x OR f.t_x IS DISTINCT FROM o.t_x OR f.t IS DISTINCT FROM o.t
              OR f.purchases IS DISTINCT FROM o.purchases
              OR (f.m IS NULL) <> (o.fm IS NULL) OR abs(f.m - o.fm) > 1e-9 * greatest(abs(o.fm), 1)),
          0::bigint,
          'float8 btyd() equals the oracle (m to 1e-9 relative)');

-- parallel: partial aggregation in workers, combined in the leader
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL enable_hashagg = off;

SELECT ok(EXISTS (SELECT 1 FROM pg_temp.plan_of($$SELECT customer_id, btyd(order_ts, amount, '2025-06-30 18:00')
                                                   FROM btyd_orders GROUP BY 1$$) l WHERE l LIKE '%Partial GroupAggregate%'),
          'the sorted plan aggregates partially in workers');
SELECT results_eq(
    $$SELECT customer_id, (btyd(order_ts, amount, '2025-06-30 18:00')).* FROM btyd_orders GROUP BY 1 ORDER BY 1$$,
    $$SELECT * FROM got_serial ORDER BY 1$$,
    'numeric btyd(): parallel equals serial (sorted group aggregate)');

SET LOCAL enable_hashagg = on;
SET LOCAL enable_sort = off;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.plan_of($$SELECT customer_id, btyd(order_ts, amount, '2025-06-30 18:00')
                                                   FROM btyd_orders GROUP BY 1$$) l WHERE l LIKE '%Partial HashAggregate%'),
          'the hash plan aggregates partially in workers');
SELECT results_eq(
    $$SELECT customer_id, (btyd(order_ts, amount, '2025-06-30 18:00')).* FROM btyd_orders GROUP BY 1 ORDER BY 1$$,
    $$SELECT * FROM got_serial ORDER BY 1$$,
    'numeric btyd(): parallel equals serial (hash aggregate)');

-- one global group: every worker's partial state is combined
SELECT results_eq(
    $$SELECT (btyd(order_ts, amount, '2025-06-30 18:00')).* FROM btyd_orders$$,
    $$SELECT (count(DISTINCT d) - 1)::float8, (max(d) - min(d))::float8,
             ('2025-06-30 18:00'::timestamptz::date - min(d))::float8,
             (avg(s) FILTER (WHERE d > (SELECT min(d) FROM (SELECT order_ts::date AS d FROM btyd_orders
                                                           WHERE amount >= 0 AND order_ts <= '2025-06-30 18:00') q)))::float8,
             sum(n)::bigint
      FROM (SELECT order_ts::date AS d, sum(amount) AS s, count(*) AS n FROM btyd_orders
            WHERE amount >= 0 AND order_ts <= '2025-06-30 18:00' GROUP BY 1) g$$,
    'one group over all orders (parallel combine of large day sets) equals the oracle');

SELECT is((SELECT count(*)
           FROM (SELECT * FROM (SELECT customer_id, (btyd(order_ts, amount::float8, '2025-06-30 18:00')).*
                                FROM btyd_orders GROUP BY 1) q WHERE x IS NOT NULL) f
           FULL JOIN oracle o USING (customer_id)
           WHERE f.x IS DISTINCT FROM o.x OR f.t_x IS DISTINCT FROM o.t_x OR f.t IS DISTINCT FROM o.t
              OR f.purchases IS DISTINCT FROM o.purchases
              OR (f.m IS NULL) <> (o.fm IS NULL) OR abs(f.m - o.fm) > 1e-9 * greatest(abs(o.fm), 1)),
          0::bigint,
          'float8 btyd() in parallel equals the oracle (m to 1e-9 relative)');

-- the state type: exact text and binary round trips for every customer
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;
RESET enable_sort;
CREATE AGGREGATE pg_temp.btyd_st(timestamptz, numeric, timestamptz) (
    SFUNC = btyd_numeric_trans, STYPE = btyd_state, INITCOND = '(numeric,,,,0,0,0,)');
CREATE AGGREGATE pg_temp.btyd_st(timestamptz, float8, timestamptz, interval) (
    SFUNC = btyd_float8_trans, STYPE = btyd_state, INITCOND = '(float8,,,,0,0,0,)');
CREATE TEMP TABLE states AS
SELECT customer_id, pg_temp.btyd_st(order_ts, amount, '2025-06-30 18:00') AS s
FROM btyd_orders GROUP BY 1
UNION ALL
SELECT -customer_id, pg_temp.btyd_st(order_ts, amount::float8, '2025-06-30 18:00', '7 days')
FROM btyd_orders GROUP BY 1;
CREATE TEMP TABLE states_back (customer_id bigint, s btyd_state);
DO $$
DECLARE f text := '/tmp/memval_btyd_states_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY states TO %L (FORMAT binary)', f);
    EXECUTE format('COPY states_back FROM %L (FORMAT binary)', f);
    EXECUTE format('COPY (SELECT) TO PROGRAM %L', 'rm -f ' || f);
END $$;

SELECT is((SELECT count(*) FROM states WHERE s::text::btyd_state::text <> s::text), 0::bigint,
          'text round trip of every state is exact');
SELECT results_eq($$SELECT customer_id, s::text FROM states_back ORDER BY 1$$,
                  $$SELECT customer_id, s::text FROM states ORDER BY 1$$,
                  'binary (send/recv) round trip of every state is exact');
SELECT results_eq($$SELECT customer_id, (btyd_final(s)).* FROM states_back WHERE customer_id > 0 ORDER BY 1$$,
                  $$SELECT * FROM got_serial ORDER BY 1$$,
                  'the final function of the received states gives the aggregate''s rows');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE btyd_orders;
