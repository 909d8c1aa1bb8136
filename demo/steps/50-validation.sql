-- Demo, step 5: model validation on a calibration / holdout split.  The
-- BG/NBD model is fitted on the orders up to :cal_end (btyd() ignores rows
-- after its as_of: that is the split), each customer's purchases in the
-- holdout (:cal_end .. :as_of) are predicted and compared with the actual
-- ones (repeat purchase days up to :as_of minus those up to :cal_end),
-- grouped by the customers' calibration repeat purchases 0 .. 6, 7+.
\echo
\echo '== Model validation: BG/NBD fitted up to' :cal_end ', predicted vs actual purchases up to' :as_of '=='
CREATE TABLE validation AS
WITH s AS (
    SELECT customer_id,
           btyd(order_ts, amount, :'cal_end') AS cal,
           btyd(order_ts, amount, :'as_of') AS upto
    FROM orders GROUP BY customer_id
), c AS (
    SELECT (cal).x, (cal).t_x, (cal).t, (upto).x - (cal).x AS actual
    FROM s WHERE (cal).x IS NOT NULL          -- customers who bought before the split
), m AS (
    SELECT bgnbd_fit(x, t_x, t) AS bg FROM c
)
SELECT least(x, 7)::int AS bucket,
       CASE WHEN x >= 7 THEN '7+' ELSE x::int::text END AS repeat_purchases,
       count(*) AS customers,
       -- no prediction from a fit that did not converge
       CASE WHEN bool_and((m.bg).converged)
            THEN avg(expected_purchases(m.bg, (:'as_of'::date - :'cal_end'::date), x, t_x, t)) END AS predicted,
       avg(actual) AS actual,
       bool_and((m.bg).converged) AS converged
FROM c, m
GROUP BY 1, 2;
SELECT repeat_purchases, customers, round(predicted::numeric, 3) AS predicted,
       round(actual::numeric, 3) AS actual, round((predicted - actual)::numeric, 3) AS gap,
       converged
FROM validation ORDER BY bucket;
SELECT coalesce(bool_and(converged), false) AS validation_ok FROM validation \gset
\if :validation_ok
\else
\echo
\echo 'THE CALIBRATION BG/NBD FIT DID NOT CONVERGE: no holdout predictions are printed or drawn.'
\endif
