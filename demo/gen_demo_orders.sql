-- The demo's orders: each customer's purchases drawn from the purchase-and-
-- dropout process the BTYD models describe (BG/NBD with Gamma-Gamma spend),
-- seeded and reproducible.
--
--   psql -v customers=100000 -v seed=42 -f demo/gen_demo_orders.sql
--
-- Creates `orders(order_id, customer_id, order_ts, amount numeric(12,2))`
-- and `demo_truth(model, param, value)` with the generating parameters.
-- Time runs in days from 2023-01-01 00:00 UTC to the evaluation instant
-- 2026-01-01 00:00 UTC (1,096 days); for customer i:
--
--   signup      s_i uniform on [0, 1096): the first purchase
--   rate        lambda_i ~ Gamma(shape r, rate alpha)        purchases/day
--   dropout     p_i ~ Beta(a, b): after each repeat purchase the customer
--               leaves for good with probability p_i
--   repeats     exponential gaps of rate lambda_i after the signup, until
--               the dropout or 2026-01-01
--   spend       nu_i ~ Gamma(shape q, rate v); each purchase's amount is
--               Gamma(shape p, rate nu_i), rounded to cents
--
-- plus rows a real order table has: a refund (minus the amount, 1-11 days
-- later, before 2026-01-01) for ~2% of purchases, a zero-amount order on
-- the same instant as ~0.5% of purchases, and a row with a NULL amount and
-- one with a NULL order_ts for ~0.05% of purchases.  None of these changes
-- the BTYD summary: refunds and NULL rows are not purchases, a zero amount
-- on a purchase's day adds nothing to that day's spend.
--
-- Gamma variates: Marsaglia & Tsang (2000), up to 29 candidates (the
-- acceptance rate is above 95%), shape < 1 boosted by U^(1/shape); the
-- purchase amounts have shape p = 6 (fixed), a sum of 6 exponentials.
-- Uniforms come from hashint8extended(key, seed * 100000 + stream), so the
-- table depends only on (customers, seed, parameters), whatever the plan.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\if :{?customers} \else \set customers 100000 \endif
\if :{?seed} \else \set seed 42 \endif
\if :{?r} \else \set r 0.75 \endif
\if :{?alpha} \else \set alpha 40 \endif
\if :{?a} \else \set a 0.8 \endif
\if :{?b} \else \set b 4 \endif
\set p 6
\if :{?q} \else \set q 4 \endif
\if :{?v} \else \set v 20 \endif

DROP TABLE IF EXISTS orders, demo_truth;

CREATE FUNCTION pg_temp.u(i bigint, stream int, seed int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT ((hashint8extended(i, seed::bigint * 100000 + stream) & 281474976710655)::float8 + 0.5)
          / 281474976710656.0 $$;

-- Gamma(shape, rate 1) for key i from streams stream*100 .. stream*100+99
CREATE FUNCTION pg_temp.rgamma(i bigint, stream int, seed int, shape float8) RETURNS float8
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS
$$
DECLARE
    d float8 := CASE WHEN shape < 1 THEN shape + 1 ELSE shape END - 1.0 / 3;
    c float8 := 1 / sqrt(9 * d);
    z float8; v float8; w float8;
BEGIN
    FOR k IN 1..29 LOOP
        z := sqrt(-2 * ln(pg_temp.u(i, stream * 100 + k, seed)))
             * cos(2 * pi() * pg_temp.u(i, stream * 100 + 30 + k, seed));
        v := (1 + c * z) ^ 3;
        w := pg_temp.u(i, stream * 100 + 60 + k, seed);
        IF v > 0 AND ln(w) < 0.5 * z * z + d - d * v + d * ln(v) THEN
            RETURN d * v * CASE WHEN shape < 1 THEN pg_temp.u(i, stream * 100 + 99, seed) ^ (1 / shape) ELSE 1 END;
        END IF;
    END LOOP;
    RAISE EXCEPTION 'no gamma variate accepted in 29 candidates';   -- probability < 1e-30
END
$$;

CREATE TABLE demo_truth (model text, param text, value float8, PRIMARY KEY (model, param));
INSERT INTO demo_truth VALUES
    ('bgnbd', 'r', :r), ('bgnbd', 'alpha', :alpha), ('bgnbd', 'a', :a), ('bgnbd', 'b', :b),
    ('gamma_gamma', 'p', :p), ('gamma_gamma', 'q', :q), ('gamma_gamma', 'v', :v);

CREATE TEMP TABLE demo_customer AS
SELECT i AS customer_id, s, 1096 - s AS horizon, lam, pr, nu,
       -- repeat purchases up to and including the one after which the
       -- customer leaves: shifted geometric, P(D = d) = (1-p)^(d-1) p
       CASE WHEN pr >= 1 THEN 1
            ELSE least(1e6, 1 + floor(ln(pg_temp.u(i, 1, :seed)) / ln(1 - pr)))::int END AS drop_after
FROM (
    SELECT i, 1096 * pg_temp.u(i, 0, :seed) AS s,
           pg_temp.rgamma(i, 1, :seed, :r) / :alpha AS lam,
           x / (x + y) AS pr,
           pg_temp.rgamma(i, 4, :seed, :q) / :v AS nu
    FROM generate_series(1, :customers::bigint) AS i,
    LATERAL (SELECT pg_temp.rgamma(i, 2, :seed, :a) AS x, pg_temp.rgamma(i, 3, :seed, :b) AS y) xy
) c;

-- purchases: the signup (k = 0) and the repeats k = 1 .. drop_after that
-- fall before the end; a Poisson count far above its mean bounds k
CREATE TEMP TABLE demo_purchase AS
SELECT customer_id, k, day + (s + at - floor(s + at)) AS day, nu
FROM (
SELECT customer_id, k, s, at, nu,
       -- a customer buys at most once a calendar day: day_k = max(floor(s + at_k),
       -- day_(k-1) + 1), i.e. k + the running max of floor(s + at_j) - j
       k + max(floor(s + at)::int - k) OVER (PARTITION BY customer_id ORDER BY k) AS day
FROM (
    SELECT c.customer_id, c.s, c.horizon, c.nu, k,
           sum(CASE WHEN k = 0 THEN 0
                    ELSE -ln(pg_temp.u(c.customer_id * 4096 + k, 2, :seed)) / c.lam END)
               OVER (PARTITION BY c.customer_id ORDER BY k) AS at
    FROM demo_customer c,
    LATERAL generate_series(0, least(c.drop_after,
                ceil(c.lam * c.horizon + 10 * sqrt(c.lam * c.horizon) + 30)::int, 4095)) AS k
) t
WHERE at < horizon
) d
WHERE day < 1096;

CREATE TABLE orders AS
WITH p AS (
    SELECT customer_id, k, timestamptz '2023-01-01 00:00:00+00'
               + (day * 86400)::bigint * interval '1 second' AS ts,
           round((-ln(pg_temp.u(customer_id * 4096 + k, 3, :seed) * pg_temp.u(customer_id * 4096 + k, 4, :seed)
                       * pg_temp.u(customer_id * 4096 + k, 5, :seed) * pg_temp.u(customer_id * 4096 + k, 6, :seed)
                       * pg_temp.u(customer_id * 4096 + k, 7, :seed) * pg_temp.u(customer_id * 4096 + k, 8, :seed)
                  ) / nu)::numeric, 2)::numeric(12,2) AS amount,
           pg_temp.u(customer_id * 4096 + k, 9, :seed) AS w,
           pg_temp.u(customer_id * 4096 + k, 10, :seed) AS w2
    FROM demo_purchase
), rows AS (
    SELECT customer_id, ts AS order_ts, amount FROM p
    UNION ALL       -- refunds of ~2% of purchases, 1-11 days later
    SELECT customer_id, ts + ((1 + 10 * w2) * 86400)::bigint * interval '1 second', -amount
    FROM p WHERE w < 0.02 AND amount > 0
      AND ts + ((1 + 10 * w2) * 86400)::bigint * interval '1 second' < '2026-01-01 00:00:00+00'
    UNION ALL       -- zero-amount orders at the instant of ~0.5% of purchases
    SELECT customer_id, ts, 0 FROM p WHERE w >= 0.02 AND w < 0.025
    UNION ALL       -- rows with a NULL amount or a NULL order_ts
    SELECT customer_id, ts, NULL FROM p WHERE w >= 0.025 AND w < 0.0255
    UNION ALL
    SELECT customer_id, NULL, amount FROM p WHERE w >= 0.0255 AND w < 0.026
)
SELECT row_number() OVER (ORDER BY order_ts NULLS FIRST, customer_id, amount)::bigint AS order_id,
       customer_id, order_ts, amount::numeric(12,2) AS amount
FROM rows
ORDER BY order_ts NULLS FIRST, customer_id, amount;
