-- pgTAP: Pareto/NBD numerics (src/pareto_nbd.c, src/special.c) through the
-- SQL API.  The reference values were computed independently of the C
-- code: the lifetimes / Fader & Hardie formulas evaluated literally in
-- 60-digit decimal arithmetic (Python's decimal module: the 2F1 series of
-- the likelihood, the 2F1 sums of note 009 eq. 22 for P(X(t) = n), exact
-- gamma ratios), covering alpha < beta, alpha > beta, alpha = beta,
-- alpha >> beta (2F1 argument within 3e-4 of 1), s = 1, x = 0 and x = 150.
-- Tolerance: 1e-9 relative.
BEGIN;
SELECT plan(125);

CREATE TEMP TABLE pnbd_ref (what text, m pareto_nbd, x float8, t_x float8, t float8,
                            ll float8, pa float8, e39 float8);
INSERT INTO pnbd_ref VALUES
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 0, 0, 38.86, -0.5210462940808903, 0.29528660461689415, 0.10708146821530884),
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 2, 30.43, 38.86, -9.554283245150407, 0.8691675591530111, 1.4551231932576025),
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 7, 29, 30, -20.25830183501491, 0.9839396096301021, 5.758244627805496),
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 150, 35, 39, 22.20132103076355, 0.0007671650841392417, 0.07555704438586264),
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 0, 0, 0.5, -0.025215754912892883, 0.974578940569013, 1.1434618587584806),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 0, 0, 38.86, -0.39851524908416824, 0.03900501867593947, 0.02559906156234473),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 2, 30.43, 38.86, -10.409668860879012, 0.7906431087767011, 1.3837345245970216),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 7, 29, 30, -20.83997252544243, 0.9733489074836461, 4.941843874781206),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 150, 35, 39, 10.85389405377337, 0.0011809196715032208, 0.09747271159070857),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 0, 0, 0.5, -0.036942974469782335, 0.8818570095767398, 0.7737918287502973),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 0, 0, 38.86, -0.4238095524184896, 0.01985458911904664, 0.008048884497882646),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 2, 30.43, 38.86, -11.367746864090782, 0.6952839359748014, 1.0871831453399985),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 7, 29, 30, -21.071427468530153, 0.9587210232082328, 4.95038199136876),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 150, 35, 39, 41.00309009009924, 5.9729155260960904e-05, 0.005201714807518633),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 0, 0, 0.5, -0.06266699529818888, 0.8798944126704795, 0.9565881930376317),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 0, 0, 38.86, -0.004310947696140159, 0.14037996736658795, 0.002265961954876164),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 2, 30.43, 38.86, -16.049187822228493, 0.9066795923344113, 0.07317644746729728),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 7, 29, 30, -43.44655374212102, 0.9866172160385339, 0.23319195972462825),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 150, 35, 39, -441.8715485660789, 0.9434909968735126, 4.585385782351948),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 0, 0, 0.5, -0.00020026978141203327, 0.6754464705278828, 0.0042419320591316504),
	('s=1, alpha<<beta', pareto_nbd(1.0, 0.02, 1.0, 50.0), 0, 0, 38.86, -5.837653869648072, 0.09927234884816784, 0.08255799893147471),
	('s=1, alpha<<beta', pareto_nbd(1.0, 0.02, 1.0, 50.0), 2, 30.43, 38.86, -14.631940164893164, 0.866394708446959, 2.1615630407898676),
	('s=1, alpha<<beta', pareto_nbd(1.0, 0.02, 1.0, 50.0), 7, 29, 30, -23.057343723878525, 0.9856714850363135, 8.344454100668697),
	('s=1, alpha<<beta', pareto_nbd(1.0, 0.02, 1.0, 50.0), 0, 0, 0.5, -3.2345716706350998, 0.9670788961930863, 53.74614815917329);

SELECT ok(abs(loglik(m, x, t_x, t) / ll - 1) < 1e-9,
          format('loglik %s (x=%s, t_x=%s, t=%s) = %s', what, x, t_x, t, ll))
FROM pnbd_ref ORDER BY what, x, t_x, t;
SELECT ok(abs(p_alive(m, x, t_x, t) / pa - 1) < 1e-9,
          format('p_alive %s (x=%s, t_x=%s, t=%s) = %s', what, x, t_x, t, pa))
FROM pnbd_ref ORDER BY what, x, t_x, t;
SELECT ok(abs(expected_purchases(m, 39, x, t_x, t) / e39 - 1) < 1e-9,
          format('expected_purchases %s (39; x=%s, t_x=%s, t=%s) = %s', what, x, t_x, t, e39))
FROM pnbd_ref ORDER BY what, x, t_x, t;

-- unconditional E[X(h)] = r beta / (alpha (s-1)) (1 - (beta/(beta+h))^(s-1)), log(1+h/beta) r beta/alpha at s = 1
SELECT ok(abs(expected_purchases(m, h) / e - 1) < 1e-9,
          format('expected_purchases %s (%s) = %s', what, h, e))
FROM (VALUES
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 1, 0.050979843245990995),
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 39, 1.2130028442810157),
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 365, 4.538302495447643),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 1, 0.07106860925857471),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 39, 0.8342618436869226),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 365, 1.9399776645496631),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 1, 0.12419754433549421),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 39, 1.1181774787514616),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 365, 1.691817662995378),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 1, 0.000352605744276989),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 39, 0.0044091080898960855),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 365, 0.01750239935572285),
	('s=1, alpha<<beta', pareto_nbd(1.0, 0.02, 1.0, 50.0), 1, 49.50656824044928),
	('s=1, alpha<<beta', pareto_nbd(1.0, 0.02, 1.0, 50.0), 39, 1441.5334107599845),
	('s=1, alpha<<beta', pareto_nbd(1.0, 0.02, 1.0, 50.0), 365, 5290.638787006381)
) v(what, m, h, e) ORDER BY what, h;

-- P(X(h) = n), Fader & Hardie note 009 eq. 22
SELECT ok(abs(probability_of_purchases(m, n, h) / p - 1) < 1e-9,
          format('probability_of_purchases %s (n=%s, h=%s) = %s', what, n, h, p))
FROM (VALUES
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 0, 39, 0.5936250316023839),
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 1, 0.5, 0.024028502352357584),
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 3, 39, 0.049039953642814264),
	('cdnow (alpha<beta)', pareto_nbd(0.553, 10.578, 0.606, 11.669), 20, 52, 0.0006104683355481742),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 0, 39, 0.6712347098303064),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 1, 0.5, 0.03500979739706558),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 3, 39, 0.03584247460056161),
	('alpha>beta', pareto_nbd(1.2, 15.0, 0.8, 3.0), 20, 52, 0.0002439448926662941),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 0, 39, 0.6545196280991735),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 1, 0.5, 0.056124467818682695),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 3, 39, 0.036065216721066815),
	('alpha=beta', pareto_nbd(0.7, 5.0, 1.3, 5.0), 20, 52, 0.0007456058352470695),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 0, 39, 0.995688920443963),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 1, 0.5, 0.0002001794730814589),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 3, 39, 2.669678636484623e-06),
	('alpha>>beta (z near 1)', pareto_nbd(0.5, 1000.0, 0.4, 0.3), 20, 52, 1.201032144397546e-28)
) v(what, m, n, h, p) ORDER BY what, n, h;

-- properties
CREATE TEMP TABLE pnbd_models (what text, m pareto_nbd);
INSERT INTO pnbd_models SELECT DISTINCT what, m FROM pnbd_ref;

SELECT ok(bool_and(pa > 0 AND pa <= 1), 'p_alive is in (0, 1] over a grid of histories')
FROM (SELECT p_alive(m, x, t * f, t) AS pa
      FROM pnbd_models, generate_series(0, 60, 5) x, (VALUES (0.5), (10), (39), (400)) tt(t),
           (VALUES (0.0), (0.3), (0.99), (1.0)) ff(f)
      WHERE x > 0 OR f = 0) s;
SELECT ok(bool_and(p_alive(m, x, t, t) = 1), 'p_alive is 1 when the last purchase is at t')
FROM pnbd_models, (VALUES (1, 5.0), (3, 39.0), (100, 80.0)) v(x, t);

SELECT ok(abs(sum(probability_of_purchases(m, n, 39)) - 1) < 1e-9,
          format('sum over n of P(X(39) = n) is 1 (%s)', what))
FROM pnbd_models, generate_series(0, 400) n
WHERE what NOT LIKE 's=1%' GROUP BY what ORDER BY what;
SELECT ok(abs(sum(n * probability_of_purchases(m, n, 39)) / expected_purchases(m, 39) - 1) < 1e-8,
          format('sum over n of n P(X(39) = n) is E[X(39)] (%s)', what))
FROM pnbd_models, generate_series(0, 400) n
WHERE what NOT LIKE 's=1%' GROUP BY what, m ORDER BY what;

SELECT ok(bool_and(e2 > e1), 'expected purchases increase with the horizon (conditional and new customers)')
FROM (SELECT lag(e) OVER w AS e1, e AS e2
      FROM (SELECT what, x, t, h, expected_purchases(m, h, x, t_x, t) AS e
            FROM pnbd_ref, unnest(ARRAY[0.1, 1, 5, 39, 100, 1000, 1e5]) h
            UNION ALL
            SELECT what, -1, -1, h, expected_purchases(m, h)
            FROM pnbd_models, unnest(ARRAY[0.1, 1, 5, 39, 100, 1000, 1e5]) h) s
      WINDOW w AS (PARTITION BY what, x, t ORDER BY h)) s
WHERE e1 IS NOT NULL;

SELECT ok(bool_and(abs(expected_purchases(m, 39, 0, 0, 0) / expected_purchases(m, 39) - 1) < 1e-12),
          'a customer with no history at t = 0 is a new customer')
FROM pnbd_models;
SELECT ok(bool_and(abs(expected_purchases(m, 39, 0, 0, 1e-9) / expected_purchases(m, 39) - 1) < 1e-6),
          'x = 0, t -> 0: the conditional expectation tends to the unconditional one')
FROM pnbd_models;

SELECT ok(abs(expected_purchases(pareto_nbd(0.9, 8, 1 + 1e-9, 9), 39)
              / expected_purchases(pareto_nbd(0.9, 8, 1, 9), 39) - 1) < 1e-8
          AND abs(expected_purchases(pareto_nbd(0.9, 8, 1 - 1e-9, 9), 39, 3, 20, 30)
                  / expected_purchases(pareto_nbd(0.9, 8, 1, 9), 39, 3, 20, 30) - 1) < 1e-8,
          'expected purchases are continuous at s = 1');
SELECT ok(abs(loglik(pareto_nbd(0.7, 5 * (1 + 1e-12), 1.3, 5), x, 20, 39)
              - loglik(pareto_nbd(0.7, 5, 1.3, 5 * (1 + 1e-12)), x, 20, 39)) < 1e-10,
          'loglik is continuous across alpha = beta (both 2F1 branches)')
FROM (VALUES (4)) v(x);
SELECT ok(loglik(pareto_nbd(0.553, 10.578, 0.606, 11.669), 5000, 9000, 10000) BETWEEN -1e6 AND 1e6
          AND p_alive(pareto_nbd(0.553, 10.578, 0.606, 11.669), 5000, 9000, 10000) BETWEEN 0 AND 1,
          'large x and t: finite, no overflow');

-- CDNOW-like fit on simulated customers recovers the parameters
CREATE TEMP TABLE pnbd_sim AS
    SELECT * FROM pareto_nbd_simulate(3000, 0.55, 10.5, 0.6, 11.7, 39, 7);
CREATE TEMP TABLE pnbd_fit AS SELECT (pareto_nbd_fit(x, t_x, t)).* FROM pnbd_sim;
SELECT ok(converged AND abs(r - 0.55) < 3 * se_r AND abs(alpha - 10.5) < 3 * se_alpha
          AND abs(s - 0.6) < 3 * se_s AND abs(beta - 11.7) < 3 * se_beta,
          'pareto_nbd_fit recovers (0.55, 10.5, 0.6, 11.7) within 3 standard errors')
FROM pnbd_fit;
SELECT ok(abs(sum(loglik(pareto_nbd(f.r, f.alpha, f.s, f.beta), x, t_x, t)) / f.loglik - 1) < 1e-10,
          'the fit''s loglik is the sum of the per-customer loglik')
FROM pnbd_sim, pnbd_fit f GROUP BY f.r, f.alpha, f.s, f.beta, f.loglik;

-- bad inputs
SELECT throws_ok($$SELECT loglik(pareto_nbd(0.55, 10.6, 0.61, 11.7), 1, 5, 4)$$, '22023', NULL, 'loglik: t_x > t');
SELECT throws_ok($$SELECT p_alive(pareto_nbd(0.55, 10.6, 0.61, 11.7), -1, 0, 4)$$, '22023', NULL, 'p_alive: negative x');
SELECT throws_ok($$SELECT probability_of_purchases(pareto_nbd(0.55, 10.6, 0.61, 11.7), -1, 39)$$, '22003', NULL, 'probability_of_purchases: negative n');
SELECT throws_ok($$SELECT pareto_nbd(0.55, -10.6, 0.61, 11.7)$$, '22023', NULL, 'pareto_nbd: negative alpha');

SELECT * FROM finish();
ROLLBACK;
