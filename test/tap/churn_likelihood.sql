-- p_no_purchase, next_purchase_within and churn_risk of BG/NBD, MBG/NBD
-- and Pareto/NBD against a computation from the likelihood written here in
-- SQL: P(no purchase in (T, T+h] | x, t_x, T) = L(x, t_x, T+h) / L(x, t_x, T),
-- since "no purchase until T+h" extends the history.  Only the factors of L
-- that depend on T are written (the others cancel in the ratio):
--   BG/NBD (s = 0), MBG/NBD (s = 1): (alpha+T)^-(r+x) + [x > 0 or s = 1] a/(b+x-1+s) (alpha+t_x)^-(r+x)
--   Pareto/NBD: (alpha+T)^-(r+x) (beta/(beta+T))^s
--               + integral over [t_x, T] of s beta^s (alpha+y)^-(r+x) (beta+y)^-(s+1) dy
-- (death at y after the last purchase), the integral by Simpson's rule;
-- T = infinity with y = t_x + u/(1-u).
SET client_min_messages = warning;
BEGIN;
SELECT plan(14);

CREATE FUNCTION pg_temp.bg_lik(r float8, alpha float8, a float8, b float8, s int,
                               x float8, tx float8, t float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN t = 'Infinity' THEN 0 ELSE (alpha + t) ^ (-(r + x)) END
       + CASE WHEN x > 0 OR s = 1 THEN a / (b + x - 1 + s) * (alpha + tx) ^ (-(r + x)) ELSE 0 END $$;

CREATE FUNCTION pg_temp.pnbd_lik(r float8, alpha float8, s float8, beta float8,
                                 x float8, tx float8, t float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
  -- y = t_x + e^w - 1 makes the integrand smooth (it falls like y^-(r+x+s+1)),
  -- w from 0 to ln(T - t_x + 1), or to 60 for T = infinity
  WITH n AS (SELECT 4000 AS n,
                    CASE WHEN t = 'Infinity' THEN 60 ELSE ln(t - tx + 1) END AS wmax),
  f AS (
    SELECT CASE WHEN i = 0 OR i = n THEN 1 WHEN i % 2 = 1 THEN 4 ELSE 2 END AS w,
           s * beta ^ s * exp(greatest(-700, -(r + x) * ln(alpha + tx + exp(wmax * i / n) - 1)
                                             - (s + 1) * ln(beta + tx + exp(wmax * i / n) - 1)
                                             + wmax * i / n)) AS v
    FROM n, generate_series(0, (SELECT n FROM n)) i
  )
  SELECT CASE WHEN t = 'Infinity' THEN 0 ELSE (alpha + t) ^ (-(r + x)) * (beta / (beta + t)) ^ s END
       + (SELECT sum(w * v) FROM f) * (SELECT wmax / n / 3 FROM n) $$;

-- CDNOW estimates (weeks)
CREATE TEMP TABLE m AS
SELECT bgnbd(0.243, 4.414, 0.793, 2.426) AS bg, mbgnbd(0.243, 4.414, 0.793, 2.426) AS mbg,
       pareto_nbd(0.553, 10.578, 0.606, 11.669) AS pn;
-- histories: x repeat purchases, the last at t_x, observed until t
CREATE TEMP TABLE hist AS
SELECT x::float8, CASE WHEN x = 0 THEN 0 ELSE t * f END AS t_x, t::float8
FROM unnest('{0, 1, 2, 5, 14}'::int[]) x, unnest('{5, 38.86, 78}'::float8[]) t,
     unnest('{0.1, 0.6, 1}'::float8[]) f
WHERE x > 0 OR f = 1;
CREATE TEMP TABLE horizons AS SELECT unnest('{0.5, 4, 26, 200}'::float8[]) AS h;

-- BG/NBD and MBG/NBD, finite horizons
SELECT is((SELECT count(*) FROM hist, horizons, m
           WHERE abs(p_no_purchase(bg, h, x, t_x, t)
                     - pg_temp.bg_lik(0.243, 4.414, 0.793, 2.426, 0, x, t_x, t + h)
                       / pg_temp.bg_lik(0.243, 4.414, 0.793, 2.426, 0, x, t_x, t)) > 1e-12),
          0::bigint, 'BG/NBD p_no_purchase = L(T+h) / L(T) on 132 histories and horizons');
SELECT is((SELECT count(*) FROM hist, horizons, m
           WHERE abs(p_no_purchase(mbg, h, x, t_x, t)
                     - pg_temp.bg_lik(0.243, 4.414, 0.793, 2.426, 1, x, t_x, t + h)
                       / pg_temp.bg_lik(0.243, 4.414, 0.793, 2.426, 1, x, t_x, t)) > 1e-12),
          0::bigint, 'MBG/NBD p_no_purchase = L(T+h) / L(T)');
-- never again: L(infinity) / L(T), and that is churn_risk for BG/NBD-type models
SELECT is((SELECT count(*) FROM hist, m
           WHERE abs(p_no_purchase(bg, 'Infinity', x, t_x, t)
                     - pg_temp.bg_lik(0.243, 4.414, 0.793, 2.426, 0, x, t_x, 'Infinity')
                       / pg_temp.bg_lik(0.243, 4.414, 0.793, 2.426, 0, x, t_x, t)) > 1e-12
              OR abs(p_no_purchase(mbg, 'Infinity', x, t_x, t)
                     - pg_temp.bg_lik(0.243, 4.414, 0.793, 2.426, 1, x, t_x, 'Infinity')
                       / pg_temp.bg_lik(0.243, 4.414, 0.793, 2.426, 1, x, t_x, t)) > 1e-12
              OR abs(churn_risk(bg, x, t_x, t) - p_no_purchase(bg, 'Infinity', x, t_x, t)) > 1e-12
              OR abs(churn_risk(mbg, x, t_x, t) - p_no_purchase(mbg, 'Infinity', x, t_x, t)) > 1e-12),
          0::bigint, 'BG/NBD, MBG/NBD: P(never again) = L(inf) / L(T) = churn_risk');
SELECT is((SELECT count(*) FROM hist, m
           WHERE abs(churn_risk(pn, x, t_x, t) - (1 - p_alive(pn, x, t_x, t))) > 1e-12
              OR abs(churn_risk(bg, x, t_x, t) - (1 - p_alive(bg, x, t_x, t))) > 1e-12),
          0::bigint, 'churn_risk = 1 - p_alive');

-- Pareto/NBD against the numeric integral
SELECT is((SELECT count(*) FROM hist, horizons, m
           WHERE abs(p_no_purchase(pn, h, x, t_x, t)
                     - pg_temp.pnbd_lik(0.553, 10.578, 0.606, 11.669, x, t_x, t + h)
                       / pg_temp.pnbd_lik(0.553, 10.578, 0.606, 11.669, x, t_x, t)) > 1e-7),
          0::bigint, 'Pareto/NBD p_no_purchase = L(T+h) / L(T) (Simpson, 1e-7)');
SELECT is((SELECT count(*) FROM hist, m
           WHERE abs(p_no_purchase(pn, 'Infinity', x, t_x, t)
                     - pg_temp.pnbd_lik(0.553, 10.578, 0.606, 11.669, x, t_x, 'Infinity')
                       / pg_temp.pnbd_lik(0.553, 10.578, 0.606, 11.669, x, t_x, t)) > 1e-7),
          0::bigint, 'Pareto/NBD P(never again) (the 2F1 closed form) = L(inf) / L(T)');
-- P(alive) from the same likelihood: the share of the first term
SELECT is((SELECT count(*) FROM hist, m
           WHERE abs(p_alive(pn, x, t_x, t)
                     - (0.553 + 10.578 + t) ^ 0 * (10.578 + t) ^ (-(0.553 + x)) * (11.669 / (11.669 + t)) ^ 0.606
                       / pg_temp.pnbd_lik(0.553, 10.578, 0.606, 11.669, x, t_x, t)) > 1e-7),
          0::bigint, 'Pareto/NBD p_alive = first term / L(T)');

-- next_purchase_within: P0(h(p)) = 1 - p by the SQL likelihood
CREATE TEMP TABLE ps AS SELECT unnest('{0.01, 0.1, 0.25, 0.5}'::float8[]) AS p;
SELECT is((SELECT count(*) FROM hist, ps, m, (VALUES (0), (1)) v(s),
                LATERAL (SELECT CASE WHEN s = 0 THEN next_purchase_within(bg, p, x, t_x, t)
                                     ELSE next_purchase_within(mbg, p, x, t_x, t) END AS h,
                                1 - CASE WHEN s = 0 THEN p_no_purchase(bg, 'Infinity', x, t_x, t)
                                         ELSE p_no_purchase(mbg, 'Infinity', x, t_x, t) END AS ever) n
           WHERE p < ever
             AND (h IS NULL OR abs(pg_temp.bg_lik(0.243, 4.414, 0.793, 2.426, s, x, t_x, t + h)
                                   / pg_temp.bg_lik(0.243, 4.414, 0.793, 2.426, s, x, t_x, t) - (1 - p)) > 1e-9)),
          0::bigint, 'BG/NBD, MBG/NBD next_purchase_within: L(T+h)/L(T) = 1 - p');
SELECT is((SELECT count(*) FROM hist, ps, m,
                LATERAL (SELECT next_purchase_within(pn, p, x, t_x, t) AS h) n
           WHERE p < 1 - p_no_purchase(pn, 'Infinity', x, t_x, t)
             AND (h IS NULL OR abs(pg_temp.pnbd_lik(0.553, 10.578, 0.606, 11.669, x, t_x, t + h)
                                   / pg_temp.pnbd_lik(0.553, 10.578, 0.606, 11.669, x, t_x, t) - (1 - p)) > 1e-7)),
          0::bigint, 'Pareto/NBD next_purchase_within: L(T+h)/L(T) = 1 - p');
-- out of reach: NULL exactly when p >= P(buy again) (checked away from the edge)
SELECT is((SELECT count(*) FROM hist, m, unnest('{0.999, 0.9999}'::float8[]) f,
                LATERAL (SELECT 1 - p_no_purchase(bg, 'Infinity', x, t_x, t) AS ever_b,
                                1 - p_no_purchase(pn, 'Infinity', x, t_x, t) AS ever_p) e
           WHERE next_purchase_within(bg, ever_b * f, x, t_x, t) IS NULL
              OR next_purchase_within(pn, ever_p * f, x, t_x, t) IS NULL
              OR (ever_b < 1 AND next_purchase_within(bg, least(1, ever_b * 1.001), x, t_x, t) IS NOT NULL)
              OR next_purchase_within(pn, least(1, ever_p * 1.001), x, t_x, t) IS NOT NULL),
          0::bigint, 'next_purchase_within is NULL beyond P(buy again) and finite below it');
-- monotone in the horizon and in p
SELECT is((SELECT count(*) FROM hist, m, horizons
           WHERE p_no_purchase(pn, h * 2, x, t_x, t) > p_no_purchase(pn, h, x, t_x, t)
              OR p_no_purchase(bg, h * 2, x, t_x, t) > p_no_purchase(bg, h, x, t_x, t)),
          0::bigint, 'p_no_purchase decreases with the horizon');

-- bad inputs
SELECT throws_ok($$SELECT p_no_purchase(bg, -1, 1, 1, 2) FROM m$$, '22023', NULL, 'negative horizon');
SELECT throws_ok($$SELECT next_purchase_within(pn, -0.1, 1, 1, 2) FROM m$$, '22023', NULL, 'negative p');
SELECT throws_ok($$SELECT churn_risk(mbg, 1.5, 1, 2) FROM m$$, '22023', NULL, 'fractional x');

SELECT * FROM finish();
ROLLBACK;
