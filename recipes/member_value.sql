-- Recipe: a `member_value` materialized view any BI tool can read, refreshed
-- nightly (README, "Scheduled refresh").  Needs a table
-- orders(order_id bigint, customer_id, order_ts timestamptz, amount numeric)
-- whose order_id grows with every insert (a bigserial or identity column).
--
--   psql -d yourdb -f recipes/member_value.sql
--
-- 1. member_value_models: the models, fitted first (member_value_refit).
-- 2. member_value: the view over the orders, for the latest models row;
--    REFRESH MATERIALIZED VIEW CONCURRENTLY uses its unique index, so
--    readers keep reading the old rows while it runs.
-- 3. The incremental variant: member_value_state keeps each customer's
--    rfm_state and btyd_state; member_value_nightly(as_of) merges them with
--    the states of the orders inserted since the last run (order_id above
--    the watermark, whatever their order_ts) and refits the models;
--    member_value_inc is the same view built from the states.
--
-- What a back-dated row costs (an order inserted today, dated days or
-- months ago): the same as any new order.  It is picked by its order_id,
-- not its date, and merging it is exact: rfm_state keeps min/max and sums,
-- btyd_state inserts its day into the customer's sorted days (a move of
-- that customer's later days, 4 bytes each; a new first day moves the old
-- first day's spend to the repeat spend).  No history is rescanned.  What
-- it does not do is restate the past: the view of an earlier night stays as
-- it was published (it did not know the row), and the next night's view and
-- models include it.  Caveat of an order_id watermark: an insert that is
-- still uncommitted while the nightly run reads max(order_id) and commits
-- later with a smaller order_id is never merged; schedule the run away from
-- long loading transactions, or rebuild from scratch (TRUNCATE
-- member_value_state, member_value_watermark) now and then.

CREATE TABLE member_value_models (
    fitted_at  timestamptz NOT NULL DEFAULT now(),
    as_of      timestamptz NOT NULL,
    bg         bgnbd NOT NULL,
    gg         gamma_gamma NOT NULL
);

-- Fit both models on the orders up to as_of and store them.
CREATE FUNCTION member_value_refit(as_of timestamptz) RETURNS void
LANGUAGE sql VOLATILE AS $$
    INSERT INTO member_value_models (as_of, bg, gg)
    SELECT $1, bgnbd_fit(x, t_x, t), gamma_gamma_fit(x, m)
    FROM (SELECT (btyd(order_ts, amount, $1)).* FROM orders GROUP BY customer_id) s;
$$;

-- The shared projection: RFM columns, score, segment, tier, AIPL stage,
-- predictions, built-in types only (rfm_score as text).  The AIPL stage
-- takes `cycle`, the population's median repurchase cycle (days between
-- purchase days, btyd's t_x / x); with orders alone there are no
-- interactions, so a member without a purchase is Awareness (join your
-- own event counts in place of the 0 to tell Interest apart).
CREATE FUNCTION member_value_rows(r rfm, b btyd, s rfm_score, cycle float8, bg bgnbd, gg gamma_gamma,
    OUT recency float8, OUT frequency bigint, OUT monetary numeric, OUT rfm_score text,
    OUT segment text, OUT tier text, OUT aipl_stage text, OUT p_alive float8,
    OUT expected_purchases_365 float8, OUT clv_12m float8)
LANGUAGE sql STABLE AS $$
    SELECT (r).recency, (r).frequency, (r).monetary, s::text, tier_of(s, 'rfm10'),
           tier_of((r).monetary, 'tier4'),
           aipl_stage(0, (r).frequency, (r).recency, cycle),
           p_alive(bg, (b).x, (b).t_x, (b).t),
           expected_purchases(bg, 365, (b).x, (b).t_x, (b).t),
           clv(bg, gg, (b).x, (b).t_x, (b).t, (b).m, 12)
$$;

CREATE MATERIALIZED VIEW member_value AS
WITH m AS (SELECT * FROM member_value_models ORDER BY fitted_at DESC LIMIT 1),
c AS (
    SELECT o.customer_id, rfm(o.order_ts, o.amount, m.as_of) AS r, btyd(o.order_ts, o.amount, m.as_of) AS b
    FROM orders o, m GROUP BY o.customer_id, m.as_of
),
cy AS (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (b).t_x / nullif((b).x, 0)) AS cycle FROM c)
SELECT c.customer_id, m.as_of, v.*
FROM (SELECT c.*, rfm_score(r) OVER () AS s FROM c) c, m, cy,
     LATERAL member_value_rows(c.r, c.b, c.s, cy.cycle, m.bg, m.gg) v
WITH NO DATA;
CREATE UNIQUE INDEX ON member_value (customer_id);

-- The incremental variant.
CREATE TABLE member_value_state (
    customer_id  bigint PRIMARY KEY,
    rfm          rfm_state NOT NULL,
    btyd         btyd_state NOT NULL
);
CREATE TABLE member_value_watermark (as_of timestamptz NOT NULL, last_order_id bigint NOT NULL);

-- Advance every stored state to as_of and merge in the orders inserted
-- since the last run; then refit the models on the merged BTYD summaries.
-- The first call (no watermark) reads all orders.  Orders inserted before
-- the last run but dated after its as_of (an order at 00:30 when the run at
-- 03:00 evaluates as of midnight) were ignored by that run's aggregates;
-- they are merged now (the second branch; an index on orders (order_ts)
-- keeps it cheap).  Invariant: the states hold exactly the orders with
-- order_id <= last_order_id and order_ts <= as_of of the watermark.
CREATE FUNCTION member_value_nightly(new_as_of timestamptz) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    wm member_value_watermark;
    hi bigint;
    n bigint;
BEGIN
    LOCK TABLE member_value_watermark IN EXCLUSIVE MODE;
    SELECT * INTO wm FROM member_value_watermark;
    IF wm.as_of > new_as_of THEN
        RAISE EXCEPTION 'member_value_nightly: % is before the last run (%)', new_as_of, wm.as_of
            USING ERRCODE = '22023';
    END IF;
    SELECT max(order_id) INTO hi FROM orders;
    CREATE TEMP TABLE mv_new ON COMMIT DROP AS
    SELECT customer_id, rfm_merge(rs) AS rfm, btyd_merge(bs) AS btyd
    FROM (SELECT customer_id, rfm_state_advance(rfm, new_as_of) AS rs,
                 btyd_state_advance(btyd, new_as_of) AS bs
          FROM member_value_state
          UNION ALL
          SELECT customer_id, rfm_partial(order_ts, amount, new_as_of),
                 btyd_partial(order_ts, amount, new_as_of)
          FROM orders
          WHERE order_id <= coalesce(hi, -1)
            AND (order_id > coalesce(wm.last_order_id, -1)                   -- inserted since
                 OR (order_ts > wm.as_of AND order_ts <= new_as_of))        -- deferred last time
          GROUP BY customer_id) s
    GROUP BY customer_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    TRUNCATE member_value_state;
    INSERT INTO member_value_state SELECT * FROM mv_new;
    DELETE FROM member_value_watermark;
    INSERT INTO member_value_watermark VALUES (new_as_of, coalesce(hi, coalesce(wm.last_order_id, -1)));
    INSERT INTO member_value_models (as_of, bg, gg)
    SELECT new_as_of, bgnbd_fit((b).x, (b).t_x, (b).t), gamma_gamma_fit((b).x, (b).m)
    FROM (SELECT btyd_final(btyd) AS b FROM member_value_state) s;
    RETURN n;
END
$$;

CREATE MATERIALIZED VIEW member_value_inc AS
WITH m AS (SELECT * FROM member_value_models ORDER BY fitted_at DESC LIMIT 1),
c AS (SELECT customer_id, rfm_numeric_final(rfm) AS r, btyd_final(btyd) AS b FROM member_value_state),
cy AS (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (b).t_x / nullif((b).x, 0)) AS cycle FROM c)
SELECT c.customer_id, m.as_of, v.*
FROM (SELECT c.*, rfm_score(r) OVER () AS s FROM c) c, m, cy,
     LATERAL member_value_rows(c.r, c.b, c.s, cy.cycle, m.bg, m.gg) v
WITH NO DATA;
CREATE UNIQUE INDEX ON member_value_inc (customer_id);
