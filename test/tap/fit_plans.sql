-- pgTAP: with default settings the planner keeps the fits serial at 1M
-- customers (issue 15: the parallel plan it used to pick there was slower
-- than the serial one on a 2-core machine; fit_combine's COST), and still
-- chooses the parallel plan once it is made cheap (the plan exists).
BEGIN;
SELECT plan(3);

CREATE TABLE fit_plan_c AS
SELECT (g % 7)::float8 AS x, (g % 5)::float8 AS t_x, (10 + g % 300)::float8 AS t, (10 + g % 97)::float8 AS m
FROM generate_series(1, 1000000) g;
ANALYZE fit_plan_c;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; s text := '';
BEGIN
  FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP s := s || r || E'\n'; END LOOP;
  RETURN s;
END $$;

SELECT unalike(pg_temp.plan_of('SELECT bgnbd_fit(x, t_x, t) FROM fit_plan_c'), '%Gather%',
               'default plan of a count-model fit over 1M rows is serial');
SELECT unalike(pg_temp.plan_of('SELECT gamma_gamma_fit(x, m) FROM fit_plan_c'), '%Gather%',
               'default plan of gamma_gamma_fit over 1M rows is serial');
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
ALTER FUNCTION fit_combine(fit_state, fit_state) COST 1;
SELECT alike(pg_temp.plan_of('SELECT bgnbd_fit(x, t_x, t) FROM fit_plan_c'), '%Partial Aggregate%',
             'with a cheap combine function the parallel plan is chosen');
SELECT * FROM finish();
ROLLBACK;
