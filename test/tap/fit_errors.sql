-- pgTAP: every bad input of the model fits and predictions gets its SQLSTATE;
-- the fit state's text form round-trips and compresses identical rows.
BEGIN;
SELECT plan(43);

-- fits: bad rows
SELECT throws_ok($$SELECT bgnbd_fit(-1, 0, 10)$$, '22023', NULL, 'negative x');
SELECT throws_ok($$SELECT bgnbd_fit(1.5, 1, 10)$$, '22023', NULL, 'fractional x');
SELECT throws_ok($$SELECT bgnbd_fit(1, 11, 10)$$, '22023', NULL, 't_x > t');
SELECT throws_ok($$SELECT bgnbd_fit(1, -1, 10)$$, '22023', NULL, 'negative t_x');
SELECT throws_ok($$SELECT bgnbd_fit(0, 1, 10)$$, '22023', NULL, 't_x > 0 with x = 0');
SELECT throws_ok($$SELECT bgnbd_fit(1, 1, 'NaN')$$, '22023', NULL, 'NaN t');
SELECT throws_ok($$SELECT bgnbd_fit(1, 1, 'Infinity')$$, '22023', NULL, 'infinite t');
SELECT throws_ok($$SELECT mbgnbd_fit(1, 1, 10, -0.1)$$, '22023', NULL, 'negative penalizer');
SELECT throws_ok($$SELECT mbgnbd_fit(1, 1, 10, 'NaN')$$, '22023', NULL, 'NaN penalizer');
SELECT throws_ok($$SELECT pareto_nbd_fit(1, 1, 10, NULL)$$, '22004', NULL, 'NULL penalizer');
SELECT throws_ok($$SELECT bgnbd_fit(x, 1, 10, p) FROM (VALUES (1, 0.1), (2, 0.2)) v(x, p)$$,
                 '22023', NULL, 'penalizer differs within a fit');
SELECT throws_ok($$SELECT bgnbd_fit(0, 0, t) FROM generate_series(1, 5) t$$,
                 '22000', NULL, 'BG/NBD: no repeat buyer');
SELECT throws_ok($$SELECT mbgnbd_fit(0, 0, t) FROM generate_series(1, 5) t$$,
                 '22000', NULL, 'MBG/NBD: no repeat buyer');
SELECT throws_ok($$SELECT pareto_nbd_fit(0, 0, t) FROM generate_series(1, 5) t$$,
                 '22000', NULL, 'Pareto/NBD: no repeat buyer');
SELECT throws_ok($$SELECT gamma_gamma_fit(x, 5) FROM generate_series(1, 5) x$$,
                 '22000', NULL, 'Gamma-Gamma: every m equal');
SELECT throws_ok($$SELECT gamma_gamma_fit(0, m) FROM generate_series(1, 5) m$$,
                 '22000', NULL, 'Gamma-Gamma: every row skipped');
SELECT throws_ok($$SELECT bgnbd_fit(x, t_x, t, 0.01) FROM bgnbd_simulate(2000, 0.5, 5, 0.01, 1000, 39, 3)$$,
                 '22003', NULL, 'penalised optimum on the boundary: diverges');
SELECT throws_ok($$SELECT gamma_gamma_fit(1, 'NaN')$$, '22023', NULL, 'Gamma-Gamma: NaN m');
SELECT throws_ok($$SELECT gamma_gamma_fit(-2, 5)$$, '22023', NULL, 'Gamma-Gamma: negative x');

-- predictions
SELECT throws_ok($$SELECT p_alive(bgnbd(0.24, 4.4, 0.79, 2.4), 1, 5, 'NaN')$$, '22023', NULL, 'NaN t');
SELECT throws_ok($$SELECT p_alive(mbgnbd(0.24, 4.4, 0.79, 2.4), 1, 6, 5)$$, '22023', NULL, 't_x > t');
SELECT throws_ok($$SELECT expected_purchases(pareto_nbd(0.55, 10.6, 0.61, 11.7), -1, 1, 1, 2)$$,
                 '22023', NULL, 'negative horizon');
SELECT throws_ok($$SELECT expected_purchases(bgnbd(0.24, 4.4, 0.79, 2.4), 'Infinity')$$,
                 '22023', NULL, 'infinite horizon');
SELECT throws_ok($$SELECT probability_of_purchases(bgnbd(0.24, 4.4, 0.79, 2.4), -1, 39)$$,
                 '22003', NULL, 'n < 0');
SELECT throws_ok($$SELECT probability_of_purchases(pareto_nbd(0.55, 10.6, 0.61, 11.7), 1000001, 39)$$,
                 '22003', NULL, 'n too large');
SELECT throws_ok($$SELECT loglik(ROW(NULL, 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd, 1, 1, 2)$$,
                 '22004', NULL, 'model with a NULL parameter');
SELECT throws_ok($$SELECT loglik(ROW(-1, 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::mbgnbd, 1, 1, 2)$$,
                 '22023', NULL, 'model with a negative parameter');
SELECT throws_ok($$SELECT bgnbd(1, 1, 'NaN', 1)$$, '22023', NULL, 'constructor: NaN');
SELECT throws_ok($$SELECT gamma_gamma(1, 0, 1)$$, '22023', NULL, 'constructor: zero');
SELECT throws_ok($$SELECT expected_spend(gamma_gamma(1, 1, 1), 1, 10)$$, '22003', NULL, 'q <= 1');
SELECT throws_ok($$SELECT expected_spend(gamma_gamma(6, 4, 15), 1, -0.5)$$, '22023', NULL, 'm < 0');
SELECT throws_ok($$SELECT loglik(gamma_gamma(6, 4, 15), 0, 10)$$, '22023', NULL, 'Gamma-Gamma loglik with x = 0');
SELECT throws_ok($$SELECT clv(bgnbd(0.24, 4.4, 0.79, 2.4), gamma_gamma(6, 4, 15), 1, 1, 2, 10, -1)$$,
                 '22003', NULL, 'clv: negative months');
SELECT throws_ok($$SELECT clv(bgnbd(0.24, 4.4, 0.79, 2.4), gamma_gamma(6, 4, 15), 1, 1, 2, 10, 12, -1)$$,
                 '22023', NULL, 'clv: discount_rate <= -1');
SELECT throws_ok($$SELECT clv(pareto_nbd(0.55, 10.6, 0.61, 11.7), gamma_gamma(6, 4, 15), 1, 1, 2, 10, 12, 0.01, 0)$$,
                 '22023', NULL, 'clv: units_per_month <= 0');

-- simulators
SELECT throws_ok($$SELECT * FROM bgnbd_simulate(-1, 1, 1, 1, 1, 10, 1)$$, '22023', NULL, 'negative n_customers');
SELECT throws_ok($$SELECT * FROM pareto_nbd_simulate(10, 1, 0, 1, 1, 10, 1)$$, '22023', NULL, 'zero alpha');
SELECT throws_ok($$SELECT * FROM mbgnbd_simulate(10, 1, 1, 1, 1, 10, 1, 20)$$, '22023', NULL, 't_min > t');

-- the state type
SELECT throws_ok($$SELECT 'count pen=none skipped=0 1:20:10*1'::fit_state$$, '22P02', NULL, 't_x > t in text');
SELECT throws_ok($$SELECT 'counts pen=none skipped=0'::fit_state$$, '22P02', NULL, 'unknown kind');
SELECT throws_ok($$SELECT bgnbd_fit_final('spend pen=none skipped=0 1:5:0*1')$$, '22023', NULL, 'spend state to a count fit');
SELECT is(('count pen=0.25 skipped=0 2:30.43:38.86*2 0:0:38.86*3'::fit_state)::text,
          'count pen=0.25 skipped=0 0:0:38.86*3 2:30.43:38.86*2', 'text form is sorted and exact');
-- a compressed state fits exactly as the rows it stands for
SELECT is((SELECT bgnbd_fit(x, t_x, t)::text
           FROM (VALUES (0, 0, 38.86), (0, 0, 38.86), (0, 0, 38.86), (2, 30.43, 38.86), (2, 30.43, 38.86),
                        (1, 10, 20), (1, 10, 20), (1, 10, 20), (1, 10, 20), (3, 5, 6)) v(x, t_x, t)),
          bgnbd_fit_final('count pen=none skipped=0 0:0:38.86*3 2:30.43:38.86*2 1:10:20*4 3:5:6*1')::text,
          'weights = repeated rows');

SELECT * FROM finish();
ROLLBACK;
