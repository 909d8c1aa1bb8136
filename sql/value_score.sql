-- Composite value score (SPEC §6): percent ranks of four dimensions,
-- weighted (default 0.4, 0.3, 0.1, 0.2), 0-100.
CREATE TABLE vs (customer_id int, consumption float8, behaviour float8, social float8, potential float8);
INSERT INTO vs VALUES
  (1, 100, 5, 0, 10),
  (2, 200, 5, 3, 20),     -- behaviour ties with 1: both rank 0
  (3, 200, 9, NULL, 30),  -- consumption ties with 2; social NULL: re-weighted
  (4, 400, 1, 1, NULL),
  (5, 500, 7, 2, 50);
-- by hand: percent ranks (values below / (values - 1))
--   consumption 100 200 200 400 500 -> 0 .25 .25 .75 1
--   behaviour     5   5   9   1   7 -> .25 .25 1 0 .75
--   social        0   3   -   1   2 -> 0 1 - 1/3 2/3     (4 values)
--   potential    10  20  30   -  50 -> 0 1/3 2/3 - 1     (4 values)
-- customer 3: (.4*25 + .3*100 + .2*66.67) / (.4+.3+.2) = 59.26
SELECT customer_id, round(value_score(consumption, behaviour, social, potential) OVER ()::numeric, 4) AS score
FROM vs ORDER BY 1;
-- custom weights; weight 0 ignores a dimension; partitions rank separately
SELECT customer_id,
       round(value_score(consumption, behaviour, social, potential, '{1,0,0,0}') OVER ()::numeric, 2) AS consumption_only,
       round(value_score(consumption, behaviour, social, potential, '{0,0,1,1}') OVER ()::numeric, 2) AS social_potential,
       round(value_score(consumption, behaviour, social, potential) OVER (PARTITION BY customer_id % 2)::numeric, 2) AS by_parity
FROM vs ORDER BY 1;
-- NULL when every weighted dimension is NULL; one row scores 0
SELECT value_score(NULL, NULL, NULL, NULL) OVER () AS all_null,
       value_score(1, NULL, NULL, NULL, '{0,1,1,1}') OVER () AS weighted_null,
       value_score(7, 7, 7, 7) OVER () AS single_row;
-- the same as the weighted percent_rank() windows
SELECT customer_id,
       round(value_score(consumption, behaviour, social, potential) OVER ()::numeric, 10) =
       round(((0.4 * 100 * pc + 0.3 * 100 * pb + coalesce(0.1 * 100 * ps, 0) + coalesce(0.2 * 100 * pp, 0))
        / (0.7 + CASE WHEN ps IS NULL THEN 0 ELSE 0.1 END + CASE WHEN pp IS NULL THEN 0 ELSE 0.2 END))::numeric, 10) AS equal
FROM (SELECT *, percent_rank() OVER (ORDER BY consumption) AS pc,
             percent_rank() OVER (ORDER BY behaviour) AS pb,
             CASE WHEN social IS NOT NULL THEN percent_rank() OVER (PARTITION BY social IS NULL ORDER BY social) END AS ps,
             CASE WHEN potential IS NOT NULL THEN percent_rank() OVER (PARTITION BY potential IS NULL ORDER BY potential) END AS pp
      FROM vs) s
ORDER BY 1;
-- bad weights (22023) and NaN values
SELECT value_score(1, 2, 3, 4, '{1,2,3}') OVER () FROM vs;
SELECT value_score(1, 2, 3, 4, '{1,2,3,-1}') OVER () FROM vs;
SELECT value_score(1, 2, 3, 4, '{0,0,0,0}') OVER () FROM vs;
SELECT value_score(1, 2, 3, 4, '{1,NULL,1,1}') OVER () FROM vs;
SELECT value_score(1, 2, 3, 4, '{1,NaN,1,1}') OVER () FROM vs;
SELECT value_score(1, 2, 3, 4, NULL) OVER () FROM vs;
SELECT value_score(1, 2, 3, 4, '{{1,1},{1,1}}') OVER () FROM vs;
SELECT value_score('NaN', 2, 3, 4) OVER () FROM vs;
