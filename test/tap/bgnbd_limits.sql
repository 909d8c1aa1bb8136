-- BG/NBD predictions near the no-heterogeneity limit (a, b of 1e7-1e8), where
-- a fit lands on data whose dropout barely varies between customers.  The
-- Gauss series there has c ~ 3e8: it must stop on a bound of its remainder,
-- not after n > |a| + |b| + |c| terms.  References: the plain series summed
-- to 1e-20 in Python, independently of memval.
BEGIN;
SELECT plan(4);

CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$ SELECT abs(a - b) / abs(b) $$;
CREATE TEMP TABLE m AS SELECT bgnbd(0.5736, 6.6859, 25928164.3365, 326640680.9931) AS m;

SELECT cmp_ok(pg_temp.rel(expected_purchases(m, 365), 8.205187233407413), '<', 1e-9::float8,
              'unconditional E[X(365)]') FROM m;
SELECT cmp_ok(pg_temp.rel(expected_purchases(m, 365, 0, 0, 500), 0.39672710471174577), '<', 1e-9::float8,
              'conditional, x = 0') FROM m;
SELECT cmp_ok(pg_temp.rel(expected_purchases(m, 365, 113, 1053, 1094), 1.838476051214717), '<', 1e-9::float8,
              'conditional, x = 113') FROM m;
SELECT cmp_ok(pg_temp.rel(expected_purchases(m, 30, 10, 400, 500), 0.3370512138568872), '<', 1e-9::float8,
              'conditional, x = 10, 30-day horizon') FROM m;

SELECT * FROM finish();
ROLLBACK;
