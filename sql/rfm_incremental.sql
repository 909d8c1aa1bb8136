-- Incremental refresh of RFM summaries (README "Incremental refresh"): store the state, advance
CREATE SCHEMA rfm_incremental;
SET search_path = rfm_incremental, public;
-- it to the new as_of, merge the state of the new orders only.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

CREATE TABLE orders (customer_id int, order_ts timestamptz, amount numeric);
INSERT INTO orders
SELECT i % 7, timestamptz '2025-01-01' + i * interval '17 hours', (i % 23) - 2.25
FROM generate_series(1, 1000) i;

-- yesterday's refresh: the state of every customer as of 2025-02-01
CREATE TABLE rfm_store AS
SELECT customer_id, rfm_partial(order_ts, amount, '2025-02-01') AS state
FROM orders WHERE order_ts <= '2025-02-01' GROUP BY customer_id;

-- today's refresh: advance the stored states, merge the new orders' states
CREATE TABLE rfm_today AS
SELECT customer_id, rfm_numeric_final(rfm_merge(state)) AS r
FROM (SELECT customer_id, rfm_state_advance(state, '2025-03-01') AS state FROM rfm_store
      UNION ALL
      SELECT customer_id, rfm_partial(order_ts, amount, '2025-03-01')
      FROM orders WHERE order_ts > '2025-02-01' GROUP BY customer_id) s
GROUP BY customer_id;

-- equals a full recomputation
SELECT count(*) AS customers,
       count(*) FILTER (WHERE t.r IS NOT DISTINCT FROM f.r) AS equal
FROM rfm_today t
JOIN (SELECT customer_id, rfm(order_ts, amount, '2025-03-01') AS r
      FROM orders GROUP BY customer_id) f USING (customer_id);
SELECT customer_id, (r).* FROM rfm_today ORDER BY customer_id LIMIT 3;

-- the state stays exact across text storage
SELECT count(*) AS round_trips FROM rfm_store WHERE state::text::rfm_state::text = state::text;

-- a state cannot go back in time; merged states must agree on as_of
SELECT rfm_state_advance(state, '2025-01-15') FROM rfm_store LIMIT 1;
SELECT rfm_merge(state) FROM ((SELECT state FROM rfm_store LIMIT 1)
                              UNION ALL
                              (SELECT rfm_state_advance(state, '2025-02-02') FROM rfm_store LIMIT 1)) s;
-- an empty state advances to anything
SELECT rfm_state_advance('(numeric,,,,0,0,0)', '2020-01-01');
