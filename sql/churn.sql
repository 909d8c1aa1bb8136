-- Churn risk, churn stages and the next purchase (SPEC §6).

-- without a model: risk = 1 - exp(-recency / cycle)
SELECT recency, cycle, round(churn_risk(recency, cycle)::numeric, 6) AS risk,
       round((1 - exp(-recency / cycle))::numeric, 6) AS by_hand
FROM (VALUES (0.0, 10.0), (10.0, 10.0), (20.0, 10.0), (5.0, 20.0), (100.0, 10.0)) v(recency, cycle)
ORDER BY 1, 2;
SELECT churn_risk(5, NULL) AS no_cycle;
SELECT churn_risk(-1, 10);
SELECT churn_risk(1, 0);
SELECT churn_risk('Infinity', 10);
-- expected next purchase: last purchase + cycle days
SELECT expected_next_purchase('2025-01-31 10:00+00', 15) AS next,
       expected_next_purchase('2025-01-31 10:00+00', 0.5) AS half_day;
SELECT expected_next_purchase('2025-01-31', -1);
SELECT expected_next_purchase('infinity', 1);

-- churn stages: active < 0.5 <= at risk < 0.8 <= lapsed, overridable
SELECT risk, churn_stage(risk) AS en, churn_stage(risk, 'zh') AS zh,
       churn_stage(risk, 'en', 0.3, 0.6) AS custom
FROM (VALUES (0.0), (0.29), (0.3), (0.49), (0.5), (0.59), (0.6), (0.79), (0.8), (1.0)) v(risk)
ORDER BY 1;
SELECT churn_stage(1.5);
SELECT churn_stage(0.5, 'en', 0.9, 0.8);
SELECT churn_stage(0.5, 'de');

-- with a model (the CDNOW BG/NBD estimates of Fader, Hardie & Lee 2005)
CREATE TABLE churn_models AS
SELECT bgnbd(0.243, 4.414, 0.793, 2.426) AS bg, mbgnbd(0.243, 4.414, 0.793, 2.426) AS mbg,
       pareto_nbd(0.553, 10.578, 0.606, 11.669) AS pn;
-- churn_risk = 1 - p_alive; BG/NBD: a customer without repeat purchase is alive
SELECT x, t_x, t,
       round(churn_risk(bg, x, t_x, t)::numeric, 6) AS bg, round((1 - p_alive(bg, x, t_x, t))::numeric, 6) AS bg_1_palive,
       round(churn_risk(mbg, x, t_x, t)::numeric, 6) AS mbg, round((1 - p_alive(mbg, x, t_x, t))::numeric, 6) AS mbg_1_palive,
       round(churn_risk(pn, x, t_x, t)::numeric, 6) AS pn, round((1 - p_alive(pn, x, t_x, t))::numeric, 6) AS pn_1_palive
FROM churn_models, (VALUES (0, 0, 38.86), (2, 30.43, 38.86), (2, 5, 38.86), (10, 38, 38.86)) v(x, t_x, t)
ORDER BY 1, 2;
-- BG/NBD by hand (x = 2, t_x = 30.43, t = 38.86, h = 10):
-- P(alive) = 1 / (1 + a/(b+x-1) ((alpha+t)/(alpha+t_x))^(r+x)),
-- P0 = 1 - P(alive) + P(alive) ((alpha+t)/(alpha+t+h))^(r+x)
SELECT round(p_no_purchase(bg, 10, 2, 30.43, 38.86)::numeric, 10) AS p0,
       round((1 - pa + pa * ((4.414 + 38.86) / (4.414 + 48.86)) ^ 2.243)::numeric, 10) AS by_hand
FROM churn_models,
     LATERAL (SELECT 1 / (1 + 0.793 / (2.426 + 1) * ((4.414 + 38.86) / (4.414 + 30.43)) ^ 2.243) AS pa) p;
-- p_no_purchase falls from 1 (h = 0) towards P(never again) = 1 - P(alive)
SELECT h, round(p_no_purchase(bg, h, 2, 30.43, 38.86)::numeric, 6) AS bg,
       round(p_no_purchase(mbg, h, 2, 30.43, 38.86)::numeric, 6) AS mbg,
       round(p_no_purchase(pn, h, 2, 30.43, 38.86)::numeric, 6) AS pn
FROM churn_models, unnest('{0, 1, 10, 52, 1000, Infinity}'::float8[]) h
ORDER BY h;
-- next_purchase_within inverts it: P0(h(p)) = 1 - p; NULL beyond P(buy again)
SELECT p, round(h_bg::numeric, 4) AS bg, round(p_no_purchase(bg, h_bg, 2, 30.43, 38.86)::numeric, 8) AS p0_bg,
       round(h_pn::numeric, 4) AS pn, round(p_no_purchase(pn, h_pn, 2, 30.43, 38.86)::numeric, 8) AS p0_pn
FROM churn_models, unnest('{0, 0.1, 0.5, 0.7, 0.72, 0.9, 1}'::float8[]) p,
     LATERAL (SELECT next_purchase_within(bg, p, 2, 30.43, 38.86) AS h_bg,
                     next_purchase_within(pn, p, 2, 30.43, 38.86) AS h_pn) n
ORDER BY p;
-- a BG/NBD customer without repeat purchase is alive and buys again for sure
SELECT round(next_purchase_within(bg, 0.5, 0, 0, 38.86)::numeric, 4) AS h50,
       round((4.414 + 38.86) * (0.5 ^ (-1 / 0.243) - 1), 4) AS by_hand FROM churn_models;
-- churn stages per customer from a model
SELECT x, t_x, churn_stage(churn_risk(bg, x, t_x, 38.86)) AS stage,
       churn_stage(churn_risk(bg, x, t_x, 38.86), 'zh') AS zh
FROM churn_models, (VALUES (2, 38.0), (2, 10.0), (6, 5.0)) v(x, t_x) ORDER BY 1, 2;
-- bad arguments
SELECT p_no_purchase(bg, -1, 2, 30, 38) FROM churn_models;
SELECT p_no_purchase(bg, 'NaN', 2, 30, 38) FROM churn_models;
SELECT next_purchase_within(pn, 1.5, 2, 30, 38) FROM churn_models;
SELECT churn_risk(bg, 2, 40, 38) FROM churn_models;
SELECT churn_risk(bgnbd(0.243, 4.414, 0.793, 2.426), -1, 0, 38);
SELECT p_no_purchase(pareto_nbd(0.553, 10.578, 0.606, 11.669), 1, 0, 5, 38);
