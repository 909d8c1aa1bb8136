-- AIPL stages, the repurchase cycle and the funnel (SPEC §6).

-- every branch, en and zh: Awareness (nothing), Interest (interacted),
-- Purchase (>= 1 purchase), Loyalty (>= 2 purchases and recency <= cycle)
SELECT i, p, recency, cycle, aipl_stage(i, p, recency, cycle) AS en,
       aipl_stage(i, p, recency, cycle, 'zh') AS zh
FROM (VALUES (0, 0, NULL, NULL),            -- known, nothing else: Awareness
             (3, 0, NULL, NULL),            -- interacted: Interest
             (0, 1, 5.0, 30.0),             -- one purchase: Purchase (even recent)
             (2, 2, 30.0, 30.0),            -- recency = cycle: Loyalty
             (2, 2, 30.5, 30.0),            -- just beyond the cycle: Purchase
             (2, 5, 1.0, NULL),             -- no cycle known: Purchase
             (2, 5, NULL, 10.0)) v(i, p, recency, cycle)   -- no recency: Purchase
ORDER BY 1, 2, 3;
-- NULL counts are 0 (a LEFT JOIN without rows); a NULL lang gives NULL
SELECT aipl_stage(NULL, NULL, NULL, NULL) AS nothing,
       aipl_stage(NULL, 2, 1, 7) AS loyal,
       aipl_stage(1, 2, 1, 7, NULL) AS no_lang;
-- bad arguments
SELECT aipl_stage(-1, 0, NULL, NULL);
SELECT aipl_stage(0, -2, NULL, NULL);
SELECT aipl_stage(0, 2, -1, 10);
SELECT aipl_stage(0, 2, 1, 'NaN');
SELECT aipl_stage(0, 2, 1, 10, 'fr');

-- the repurchase cycle: mean gap in days between distinct purchase days
CREATE TABLE aipl_orders (customer_id int, order_ts timestamptz, amount numeric);
INSERT INTO aipl_orders VALUES
  (1, '2025-01-01 09:00', 10), (1, '2025-01-01 18:00', 5),   -- one day, twice
  (1, '2025-01-11 10:00', 20), (1, '2025-01-31 10:00', 8),  -- gaps 10 and 20: cycle 15
  (2, '2025-02-01', 12), (2, '2025-02-08', -12),             -- a refund is no purchase
  (3, '2025-03-01', 30), (3, '2025-03-05', 30),              -- cycle 4
  (3, '2025-06-01', 30),                                     -- after as_of: ignored
  (4, NULL, 5);
CREATE TABLE aipl_events (customer_id int, kind text);
INSERT INTO aipl_events VALUES (1, 'view'), (2, 'view'), (5, 'view'), (5, 'cart'), (6, 'signup');
SELECT customer_id, repurchase_cycle(order_ts, amount, '2025-04-01') AS cycle,
       repurchase_cycle(order_ts, amount::float8, '2025-04-01') AS cycle_f8,
       (btyd(order_ts, amount, '2025-04-01')).t_x / nullif((btyd(order_ts, amount, '2025-04-01')).x, 0) AS btyd_ratio
FROM aipl_orders GROUP BY 1 ORDER BY 1;

-- the funnel as of 2025-03-10: counts per stage, cycle = the population
-- median (9.5 days): customer 3 (cycle 4, last bought 5 days ago) is loyal,
-- customer 1 (38 days ago) and 2 (one purchase) purchasers, 5 and 6
-- interested, 4 (no valid order) only known
WITH people AS (
  SELECT customer_id FROM aipl_orders UNION SELECT customer_id FROM aipl_events
), r AS (
  SELECT customer_id, (rfm(order_ts, amount, '2025-03-10')).*,
         repurchase_cycle(order_ts, amount, '2025-03-10') AS cycle
  FROM aipl_orders GROUP BY 1
), e AS (
  SELECT customer_id, count(*) AS interactions FROM aipl_events GROUP BY 1
), med AS (
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle) AS cycle FROM r
)
SELECT aipl_stage(e.interactions, r.frequency, r.recency, med.cycle) AS stage, count(*) AS customers
FROM people p LEFT JOIN r USING (customer_id) LEFT JOIN e USING (customer_id), med
GROUP BY 1 ORDER BY 1;
