-- Generate a realistic, reproducible order table.
--
--   psql -v customers=100000 -v orders=1000000 -v seed=42 -v table=orders -f test/data/gen_orders.sql
--   (optional: -v shape=uniform, every customer equally likely; default skewed)
--
-- Every customer has at least one order; the other orders go to customer
-- 1 + floor(customers * u1 * u2), a skewed propensity with density -ln(x):
-- the most active customers buy ~100 times, many customers once or twice.  Amounts are log-normal (median ~33, 2 decimals),
-- ~2% of rows are refunds (negative), ~0.5% are zero, and a few rows have a
-- NULL order_ts or a NULL amount.  Each customer buys within an active
-- window (a uniform start in 2023-01-01 .. 2025-12-31 and an exponential
-- lifetime of mean 400 days, cut at the end), so customers churn as real
-- ones do.  Rows are stored in time order as an append-only table would be.  Randomness comes from hashint8extended(i, seed), so the table is the
-- same for the same (customers, orders, seed) whatever the plan.

\set ON_ERROR_STOP 1
\if :{?shape}
\else
\set shape skewed
\endif
SET client_min_messages = warning;
DROP TABLE IF EXISTS :"table";

CREATE OR REPLACE FUNCTION pg_temp.u(i bigint, stream int, seed int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT ((hashint8extended(i, seed::bigint * 1000 + stream) & 281474976710655)::float8 + 0.5)
          / 281474976710656.0 $$;

CREATE TABLE :"table" AS
SELECT j AS order_id,
       customer_id,
       CASE WHEN pg_temp.u(j, 5, :seed) < 0.0005 THEN NULL
            ELSE timestamptz '2023-01-01 00:00:00+00'
                 + ((active_from + pg_temp.u(j, 3, :seed) * (active_to - active_from))
                    * 86400)::bigint * interval '1 second'
       END AS order_ts,
       CASE WHEN pg_temp.u(j, 6, :seed) < 0.0005 THEN NULL
            WHEN r < 0.005 THEN 0::numeric(12,2)
            ELSE (CASE WHEN r > 0.98 THEN -1 ELSE 1 END
                  * round(exp(3.5 + 0.9 * sqrt(-2 * ln(pg_temp.u(j, 1, :seed)))
                                          * cos(2 * pi() * pg_temp.u(j, 2, :seed)))::numeric, 2)
                 )::numeric(12,2)
       END AS amount
FROM (
    SELECT j,
           CASE WHEN j <= :customers THEN j
                WHEN :'shape' = 'uniform' THEN 1 + floor(:customers * pg_temp.u(j, 0, :seed))::bigint
                ELSE 1 + floor(:customers * pg_temp.u(j, 0, :seed) * pg_temp.u(j, 7, :seed))::bigint
           END AS customer_id,
           pg_temp.u(j, 4, :seed) AS r
    FROM generate_series(1, :orders) AS j
) s,
-- each customer is active from a uniform start day for an exponential
-- lifetime (mean 400 days), cut at the end of the 3 years
LATERAL (SELECT 1095 * pg_temp.u(customer_id, 8, :seed) AS active_from) f,
LATERAL (SELECT least(1095, active_from - 400 * ln(pg_temp.u(customer_id, 9, :seed))) AS active_to) t
ORDER BY order_ts NULLS FIRST, order_id;

ANALYZE :"table";
