-- value_score against weighted percent_rank() windows, and tier_track
-- against a recursive-CTE oracle of the hysteresis rules, on generated data
-- with ties, NULLs and partitions.
SET client_min_messages = warning;
BEGIN;
SELECT plan(6);

CREATE TEMP TABLE vsd AS
SELECT i AS customer_id, i % 3 AS region,
       CASE WHEN i % 17 = 0 THEN NULL ELSE (hashint4(i) % 50)::float8 END AS c,        -- many ties
       CASE WHEN i % 11 = 0 THEN NULL ELSE abs(hashint4(i * 7)) / 1e6 END AS b,
       CASE WHEN i % 5 = 0 THEN NULL ELSE (abs(hashint4(i * 13)) % 4)::float8 END AS s,  -- 4 values
       CASE WHEN i % 23 = 0 THEN NULL ELSE ln(1 + abs(hashint4(i * 29)) % 1000) END AS p
FROM generate_series(1, 5000) i;

-- the oracle: percent_rank() over the non-NULL values of each dimension
CREATE FUNCTION pg_temp.vs_oracle(w float8[]) RETURNS TABLE (customer_id int, region int, score float8)
LANGUAGE sql AS $$
  SELECT customer_id, region,
         (coalesce(w[1] * 100 * pc, 0) + coalesce(w[2] * 100 * pb, 0) + coalesce(w[3] * 100 * ps, 0)
          + coalesce(w[4] * 100 * pp, 0))
         / nullif((CASE WHEN pc IS NULL THEN 0 ELSE w[1] END) + (CASE WHEN pb IS NULL THEN 0 ELSE w[2] END)
                  + (CASE WHEN ps IS NULL THEN 0 ELSE w[3] END) + (CASE WHEN pp IS NULL THEN 0 ELSE w[4] END), 0)
  FROM (SELECT customer_id, region,
               CASE WHEN c IS NOT NULL THEN percent_rank() OVER (PARTITION BY region, c IS NULL ORDER BY c) END AS pc,
               CASE WHEN b IS NOT NULL THEN percent_rank() OVER (PARTITION BY region, b IS NULL ORDER BY b) END AS pb,
               CASE WHEN s IS NOT NULL THEN percent_rank() OVER (PARTITION BY region, s IS NULL ORDER BY s) END AS ps,
               CASE WHEN p IS NOT NULL THEN percent_rank() OVER (PARTITION BY region, p IS NULL ORDER BY p) END AS pp
        FROM vsd) r $$;

SELECT is((SELECT count(*) FROM pg_temp.vs_oracle('{0.4,0.3,0.1,0.2}') o
           JOIN (SELECT customer_id, value_score(c, b, s, p) OVER (PARTITION BY region) AS v FROM vsd) v
           USING (customer_id)
           WHERE o.score IS DISTINCT FROM v.v AND NOT abs(o.score - v.v) < 1e-9), 0::bigint,
          'value_score = weighted percent_rank() per partition, default weights, 5000 rows');
SELECT is((SELECT count(*) FROM pg_temp.vs_oracle('{0,2,0,1}') o
           JOIN (SELECT customer_id, value_score(c, b, s, p, '{0,2,0,1}') OVER (PARTITION BY region) AS v FROM vsd) v
           USING (customer_id)
           WHERE o.score IS DISTINCT FROM v.v AND NOT abs(o.score - v.v) < 1e-9), 0::bigint,
          'value_score with zero weights = the oracle (NULL when both weighted dimensions are NULL)');
SELECT ok((SELECT min(v) >= 0 AND max(v) <= 100 AND count(*) FILTER (WHERE v IS NULL) > 0
           FROM (SELECT value_score(c, b, s, p, '{0,2,0,1}') OVER () AS v FROM vsd) s),
          'scores lie in 0..100');

-- tier_track: the rules step by step in a recursive CTE
CREATE TEMP TABLE ttd AS
SELECT c AS customer_id, k AS period,
       CASE WHEN hashint4(c * 100 + k) % 13 = 0 THEN NULL
            ELSE (abs(hashint4(c * 1000 + k)) % 3000)::numeric END AS v
FROM generate_series(1, 400) c, generate_series(1, 12) k;
CREATE FUNCTION pg_temp.raw_tier(v numeric) RETURNS int LANGUAGE sql IMMUTABLE AS
$$ SELECT 1 + (v >= 100)::int + (v >= 500)::int + (v >= 2000)::int $$;
CREATE FUNCTION pg_temp.tt_oracle(grace int, max_drop int)
RETURNS TABLE (customer_id int, period int, tier int) LANGUAGE sql AS $$
  WITH RECURSIVE r AS (
    SELECT customer_id, period, pg_temp.raw_tier(v) AS tier, 0 AS below
    FROM ttd WHERE period = 1
    UNION ALL
    SELECT t.customer_id, t.period, n.tier, n.below
    FROM r JOIN ttd t ON t.customer_id = r.customer_id AND t.period = r.period + 1,
    LATERAL (SELECT pg_temp.raw_tier(t.v) AS raw) x,
    LATERAL (SELECT CASE WHEN t.v IS NULL THEN r.tier
                         WHEN r.tier IS NULL OR x.raw >= r.tier THEN x.raw
                         WHEN r.below + 1 > grace THEN greatest(x.raw, r.tier - max_drop)
                         ELSE r.tier END AS tier,
                    CASE WHEN t.v IS NULL THEN r.below
                         WHEN r.tier IS NULL OR x.raw >= r.tier THEN 0
                         ELSE r.below + 1 END AS below) n
  )
  SELECT customer_id, period, tier FROM r $$;
SELECT set_eq($$SELECT customer_id, period, tier_track(v, '{100,500,2000}') OVER w
                FROM ttd WINDOW w AS (PARTITION BY customer_id ORDER BY period)$$,
              $$SELECT * FROM pg_temp.tt_oracle(1, 1)$$, 'tier_track (grace 1, max_drop 1) = the recursive oracle');
SELECT set_eq($$SELECT customer_id, period, tier_track(v, '{100,500,2000}', 0, 2) OVER w
                FROM ttd WINDOW w AS (PARTITION BY customer_id ORDER BY period)$$,
              $$SELECT * FROM pg_temp.tt_oracle(0, 2)$$, 'tier_track (grace 0, max_drop 2) = the recursive oracle');
SELECT set_eq($$SELECT customer_id, period, tier_track(v, '{100,500,2000}', 3, 1) OVER w
                FROM ttd WINDOW w AS (PARTITION BY customer_id ORDER BY period)$$,
              $$SELECT * FROM pg_temp.tt_oracle(3, 1)$$, 'tier_track (grace 3, max_drop 1) = the recursive oracle');

SELECT * FROM finish();
ROLLBACK;
