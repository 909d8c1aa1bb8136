-- Tier tracking with hysteresis (SPEC §6): thresholds 100, 500, 2000
-- give tiers 1 (basic) .. 4 (diamond); upgrades at once, grace
-- evaluations below kept, then drops of at most max_drop levels.
CREATE TABLE tt (customer_id int, period int, spend numeric);
INSERT INTO tt VALUES
  (1, 1, 50), (1, 2, 600), (1, 3, 2500), (1, 4, 300),
  (1, 5, 2100), (1, 6, 120), (1, 7, 90), (1, 8, 80),
  (2, 1, 700), (2, 2, 50), (2, 3, NULL), (2, 4, 50), (2, 5, 3000), (2, 6, 10), (2, 7, 10), (2, 8, 10);
-- customer 1, the README's example:
--   p1  50 -> 1; p2 600 -> 3 (up at once); p3 2500 -> 4; p4 300: raw 2,
--   first evaluation below, kept (grace 1); p5 2100: back to 4, count reset;
--   p6 120: raw 2, kept; p7 90: raw 1, grace expired: 3 (one level);
--   p8 80: 2.  With max_drop 2: p7 -> 2, p8 -> 1.  With grace 0: p4 -> 3,
--   p6 -> 3, p7 -> 2, p8 -> 1.  tier_of (no hysteresis) for comparison.
SELECT customer_id, period, spend,
       tier_of(spend, '{100,500,2000}'::numeric[], '{basic,silver,gold,diamond}'::text[]) AS raw,
       tier_track(spend, '{100,500,2000}') OVER w AS grace1,
       tier_track(spend, '{100,500,2000}', 1, 2) OVER w AS drop2,
       tier_track(spend, '{100,500,2000}', 0) OVER w AS grace0,
       tier_track(spend, '{100,500,2000}', 2, 3) OVER w AS grace2_drop3,
       tier_track_label(spend, '{100,500,2000}', '{basic,silver,gold,diamond}') OVER w AS label,
       tier_track_label(spend, '{100,500,2000}', '{基础会员,银卡会员,金卡会员,钻石会员}', 1, 2) OVER w AS zh
FROM tt
WINDOW w AS (PARTITION BY customer_id ORDER BY period)
ORDER BY customer_id, period;
-- customer 2: a NULL value is no evaluation (keeps the tier, counts nothing)
-- no thresholds: everyone is tier 1
SELECT period, tier_track(spend, '{}') OVER (ORDER BY period) FROM tt WHERE customer_id = 2 ORDER BY 1;
-- bad arguments
SELECT tier_track(spend, '{500,100}') OVER (ORDER BY period) FROM tt;
SELECT tier_track(spend, '{100,NULL}') OVER (ORDER BY period) FROM tt;
SELECT tier_track(spend, '{100,Infinity}') OVER (ORDER BY period) FROM tt;
SELECT tier_track(spend, '{100}', -1) OVER (ORDER BY period) FROM tt;
SELECT tier_track(spend, '{100}', 1, 0) OVER (ORDER BY period) FROM tt;
SELECT tier_track(spend, NULL) OVER (ORDER BY period) FROM tt;
SELECT tier_track('NaN', '{100}') OVER () FROM tt;
SELECT tier_track_label(spend, '{100}', '{a,b,c}') OVER (ORDER BY period) FROM tt;
SELECT tier_track_label(spend, '{100}', '{a,NULL}') OVER (ORDER BY period) FROM tt;

-- Thresholds and labels from a value scheme: by name (a user scheme of
-- tier_scheme, else the built-in tier4) or as a tier_rules value.  The
-- user scheme 'club' has the thresholds above, so it must give the labels
-- of tier_track_label for every row and every grace/max_drop.
BEGIN;
INSERT INTO tier_scheme (scheme, position, kind, label_en, label_zh, value_min) VALUES
    ('club', 0, 'value', 'basic', '基础会员', NULL),
    ('club', 1, 'value', 'silver', '银卡会员', 100),
    ('club', 2, 'value', 'gold', '金卡会员', 500),
    ('club', 3, 'value', 'diamond', '钻石会员', 2000);
COMMIT;
SELECT customer_id, period, spend,
       tier_track_scheme(spend, 'club') OVER w AS club,
       tier_track_scheme(spend, 'club', 1, 2, 'zh') OVER w AS club_zh_drop2,
       tier_track_scheme(spend, (SELECT tier_scheme_value('club'))) OVER w AS club_rules,
       tier_track_scheme(spend * 10, 'tier4', 0) OVER w AS tier4_x10_grace0
FROM tt
WINDOW w AS (PARTITION BY customer_id ORDER BY period)
ORDER BY customer_id, period;
SELECT g, d, count(*) AS rows,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM b) AS same_as_arrays,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM c) AS same_as_rules
FROM generate_series(0, 3) g, generate_series(1, 3) d,
     LATERAL (SELECT tier_track_label(spend, '{100,500,2000}', '{basic,silver,gold,diamond}', g, d) OVER w AS a,
                     tier_track_scheme(spend, 'club', g, d) OVER w AS b,
                     tier_track_scheme(spend, (SELECT tier_scheme_value('club')), g, d) OVER w AS c
              FROM tt WINDOW w AS (PARTITION BY customer_id ORDER BY period)) s
GROUP BY g, d ORDER BY g, d;
-- a scheme without a fallback (a tier_rules value): tier 1 has no label
SELECT period, spend, tier_track_scheme(spend, 'value; "silver" >= 100; "gold" >= 500'::tier_rules) OVER (ORDER BY period)
FROM tt WHERE customer_id = 1 ORDER BY 1;
-- bad schemes
SELECT tier_track_scheme(spend, 'no_such_scheme') OVER (ORDER BY period) FROM tt;
SELECT tier_track_scheme(spend, 'rfm10') OVER (ORDER BY period) FROM tt;
SELECT tier_track_scheme(spend, (SELECT tier_scheme_value('rfm8'))) OVER (ORDER BY period) FROM tt;
SELECT tier_track_scheme(spend, 'club', 1, 1, 'fr') OVER (ORDER BY period) FROM tt;
SELECT tier_track_scheme(spend, NULL::text) OVER (ORDER BY period) FROM tt;
DELETE FROM tier_scheme WHERE scheme = 'club';
