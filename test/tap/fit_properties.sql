-- pgTAP: properties of the model fits and predictions that must hold for
-- any parameters, checked on simulated customers.
BEGIN;
SELECT plan(26);

CREATE TEMP TABLE c AS
SELECT s.*, gamma_gamma_simulate(s.x, 6.25, 3.74, 15.44, 3, s.customer_id) AS m
FROM bgnbd_simulate(2000, 0.3, 5, 0.8, 2.5, 52, 17, 5) s;
CREATE TEMP TABLE mods AS
SELECT bgnbd(0.243, 4.414, 0.793, 2.426) AS bg, mbgnbd(0.525, 6.183, 0.891, 1.614) AS mbg,
       pareto_nbd(0.553, 10.578, 0.606, 11.669) AS pn, gamma_gamma(6.25, 3.74, 15.44) AS gg;

-- P(alive) is a probability; for BG/NBD it is 1 without a repeat purchase
SELECT is((SELECT count(*) FROM c, mods
           WHERE NOT (p_alive(bg, x, t_x, t) BETWEEN 0 AND 1 AND p_alive(mbg, x, t_x, t) BETWEEN 0 AND 1
                      AND p_alive(pn, x, t_x, t) BETWEEN 0 AND 1)), 0::bigint, 'p_alive in [0, 1]');
SELECT is((SELECT count(*) FROM c, mods WHERE x = 0 AND p_alive(bg, x, t_x, t) <> 1), 0::bigint,
          'BG/NBD p_alive = 1 for x = 0');
-- expected purchases grow with the horizon
SELECT is((SELECT count(*) FROM c, mods
           WHERE expected_purchases(bg, 10, x, t_x, t) >= expected_purchases(bg, 20, x, t_x, t)
              OR expected_purchases(mbg, 10, x, t_x, t) >= expected_purchases(mbg, 20, x, t_x, t)
              OR expected_purchases(pn, 10, x, t_x, t) >= expected_purchases(pn, 20, x, t_x, t)),
          0::bigint, 'expected purchases increase with the horizon');
-- a customer first seen now, with no history, is a new customer
SELECT ok((SELECT abs(expected_purchases(bg, 30, 0, 0, 0) / expected_purchases(bg, 30) - 1) < 1e-12
              AND abs(expected_purchases(mbg, 30, 0, 0, 0) / expected_purchases(mbg, 30) - 1) < 1e-12
           FROM mods), 'conditional = unconditional at t = 0 (BG/NBD, MBG/NBD)');
-- undiscounted CLV telescopes: spend * E[purchases within months * u]
SELECT is((SELECT count(*) FROM c, mods
           WHERE abs(clv(bg, gg, x, t_x, t, m, 12, 0, 30)
                     - expected_spend(gg, x, m) * expected_purchases(bg, 360, x, t_x, t))
                 > 1e-9 * clv(bg, gg, x, t_x, t, m, 12, 0, 30)), 0::bigint,
          'BG/NBD clv with discount 0 = spend * expected purchases');
SELECT is((SELECT count(*) FROM c, mods
           WHERE abs(clv(pn, gg, x, t_x, t, m, 6, 0, 4.345)
                     - expected_spend(gg, x, m) * expected_purchases(pn, 6 * 4.345, x, t_x, t))
                 > 1e-9 * clv(pn, gg, x, t_x, t, m, 6, 0, 4.345)), 0::bigint,
          'Pareto/NBD clv with discount 0 = spend * expected purchases');
SELECT is((SELECT count(*) FROM c, mods
           WHERE clv(mbg, gg, x, t_x, t, m, 12, 0.05) >= clv(mbg, gg, x, t_x, t, m, 12, 0.0)), 0::bigint,
          'discounting lowers CLV');
-- expected spend lies between the customer's mean and the population mean
SELECT is((SELECT count(*) FROM c, mods
           WHERE x > 0 AND expected_spend(gg, x, m) NOT BETWEEN least(m, 35.21897810218978) - 1e-9
                                                          AND greatest(m, 35.21897810218978) + 1e-9),
          0::bigint, 'expected spend between m and p*v/(q-1)');

-- fits: the model's loglik is the sum of loglik() at its parameters
SELECT ok((SELECT abs(sum(loglik(f, x, t_x, t)) / (f).loglik - 1) < 1e-12
           FROM c, (SELECT mbgnbd_fit(x, t_x, t) f FROM c) s GROUP BY f), 'MBG/NBD loglik = sum of loglik()');
SELECT ok((SELECT abs(sum(loglik(f, x, t_x, t)) / (f).loglik - 1) < 1e-12
           FROM c, (SELECT pareto_nbd_fit(x, t_x, t) f FROM c) s GROUP BY f), 'Pareto/NBD loglik = sum of loglik()');
-- the fit maximises the likelihood: no better point nearby
SELECT ok((SELECT bool_and(sum_ll <= (f).loglik)
           FROM (SELECT f, e, sum(loglik(bgnbd((f).r * e, (f).alpha, (f).a / e, (f).b), x, t_x, t)) sum_ll
                 FROM c, (SELECT bgnbd_fit(x, t_x, t) f FROM c) s, unnest(ARRAY[0.999, 1.001]) e
                 GROUP BY f, e) z), 'BG/NBD fit is a maximum');
-- a larger penalizer shrinks the parameters' squared norm
SELECT ok((SELECT (a).r ^ 2 + (a).a ^ 2 + (a).b ^ 2 > (b).r ^ 2 + (b).a ^ 2 + (b).b ^ 2
           FROM (SELECT bgnbd_fit(x, t_x, t, 0.001) a, bgnbd_fit(x, t_x, t, 0.1) b FROM c) s),
          'penalizer shrinks the parameters');
-- the fit reads the same rows the same way whatever their order
SELECT is((SELECT gamma_gamma_fit(x, m)::text FROM (SELECT * FROM c ORDER BY customer_id DESC) o),
          (SELECT gamma_gamma_fit(x, m)::text FROM c), 'fit independent of row order');
-- the state's text form round-trips to the same fit
CREATE AGGREGATE pg_temp.count_state(float8, float8, float8) (SFUNC = fit_count_trans, STYPE = fit_state);
SELECT is((SELECT pareto_nbd_fit_final(pg_temp.count_state(x, t_x, t)::text::fit_state)::text FROM c),
          (SELECT pareto_nbd_fit(x, t_x, t)::text FROM c), 'fit_state text round trip');

-- nobody drops out: the maximum is on the boundary (a -> 0), reported as not converged
SELECT is((SELECT (f).converged FROM (SELECT bgnbd_fit(x, t_x, t) f
                                      FROM bgnbd_simulate(2000, 0.5, 5, 0.01, 1000, 39, 3)) s),
          false, 'boundary optimum: converged = false');
SELECT ok((SELECT (f).se_a IS NULL AND (f).a < 1e-3 FROM (SELECT bgnbd_fit(x, t_x, t) f
                                      FROM bgnbd_simulate(2000, 0.5, 5, 0.01, 1000, 39, 3)) s),
          'boundary optimum: a -> 0, no standard error');

-- fit states per group under a hash aggregate that spills to disk (the
-- state is an expanded object in the hash table's memory) equal the
-- states of a sorted aggregate
SET LOCAL work_mem = '64kB';
SET LOCAL enable_sort = off;
CREATE TEMP TABLE st_hashed AS
SELECT customer_id % 700 AS k, pg_temp.count_state(x, t_x, t)::text AS st FROM c GROUP BY 1;
RESET enable_sort;
SET LOCAL enable_hashagg = off;
SELECT results_eq('SELECT k, st FROM st_hashed ORDER BY k',
                  'SELECT customer_id % 700, pg_temp.count_state(x, t_x, t)::text FROM c GROUP BY 1 ORDER BY 1',
                  'per-group fit states: spilling hash aggregate = sorted aggregate');
RESET enable_hashagg;
RESET work_mem;
-- a fit as a window aggregate over each partition
SELECT is((SELECT count(DISTINCT f::text) FROM (SELECT bgnbd_fit(x, t_x, t) OVER (PARTITION BY customer_id % 2) f FROM c) w),
          2::bigint, 'bgnbd_fit OVER (PARTITION BY ...): one fit per partition');

-- standard errors: the analytic Hessian at the optimum against the observed
-- information computed here independently, by central differences of the
-- total log-likelihood summed in SQL from loglik(), inverted by Gauss-Jordan
CREATE FUNCTION pg_temp.num_se(nll text, p float8[]) RETURNS float8[]
LANGUAGE plpgsql AS $$
DECLARE
  n int := array_length(p, 1);
  step float8[];
  aug float8[] := array_fill(0::float8, ARRAY[n, 2 * n]);
  f0 float8; fpp float8; fpm float8; fmp float8; fmm float8;
  q float8[]; piv float8; fac float8; se float8[] := '{}';
BEGIN
  SELECT array_agg(1e-3 * v ORDER BY i) INTO step FROM unnest(p) WITH ORDINALITY u(v, i);
  EXECUTE format('SELECT %s($1)', nll) INTO f0 USING p;
  FOR i IN 1..n LOOP
    FOR j IN i..n LOOP
      q := p; q[i] := q[i] + step[i]; q[j] := q[j] + step[j]; EXECUTE format('SELECT %s($1)', nll) INTO fpp USING q;
      q := p; q[i] := q[i] + step[i]; q[j] := q[j] - step[j]; EXECUTE format('SELECT %s($1)', nll) INTO fpm USING q;
      q := p; q[i] := q[i] - step[i]; q[j] := q[j] + step[j]; EXECUTE format('SELECT %s($1)', nll) INTO fmp USING q;
      q := p; q[i] := q[i] - step[i]; q[j] := q[j] - step[j]; EXECUTE format('SELECT %s($1)', nll) INTO fmm USING q;
      aug[i][j] := (fpp - fpm - fmp + fmm) / (4 * step[i] * step[j]);
      aug[j][i] := aug[i][j];
    END LOOP;
    aug[i][n + i] := 1;
  END LOOP;
  FOR c IN 1..n LOOP                     -- Gauss-Jordan on [aug | I]
    piv := aug[c][c];
    FOR k IN 1..2 * n LOOP aug[c][k] := aug[c][k] / piv; END LOOP;
    FOR r IN 1..n LOOP
      IF r <> c THEN
        fac := aug[r][c];
        FOR k IN 1..2 * n LOOP aug[r][k] := aug[r][k] - fac * aug[c][k]; END LOOP;
      END IF;
    END LOOP;
  END LOOP;
  FOR i IN 1..n LOOP se := se || sqrt(aug[i][n + i]); END LOOP;
  RETURN se;
END $$;
CREATE FUNCTION pg_temp.nll_bg(p float8[]) RETURNS float8 LANGUAGE sql AS
$$ SELECT -sum(loglik(bgnbd(p[1], p[2], p[3], p[4]), x, t_x, t)) FROM c $$;
CREATE FUNCTION pg_temp.nll_mbg(p float8[]) RETURNS float8 LANGUAGE sql AS
$$ SELECT -sum(loglik(mbgnbd(p[1], p[2], p[3], p[4]), x, t_x, t)) FROM c $$;
CREATE FUNCTION pg_temp.nll_gg(p float8[]) RETURNS float8 LANGUAGE sql AS
$$ SELECT -sum(loglik(gamma_gamma(p[1], p[2], p[3]), x, m)) FROM c WHERE x > 0 AND m > 0 $$;
CREATE FUNCTION pg_temp.rel_max(a float8[], b float8[]) RETURNS float8 LANGUAGE sql AS
$$ SELECT max(abs(u / v - 1)) FROM unnest(a, b) z(u, v) $$;
SELECT cmp_ok(pg_temp.rel_max(ARRAY[(f).se_r, (f).se_alpha, (f).se_a, (f).se_b],
                              pg_temp.num_se('pg_temp.nll_bg', ARRAY[(f).r, (f).alpha, (f).a, (f).b])),
              '<', 1e-3::float8, 'BG/NBD standard errors = numeric observed information')
FROM (SELECT bgnbd_fit(x, t_x, t) f FROM c) s;
SELECT cmp_ok(pg_temp.rel_max(ARRAY[(f).se_r, (f).se_alpha, (f).se_a, (f).se_b],
                              pg_temp.num_se('pg_temp.nll_mbg', ARRAY[(f).r, (f).alpha, (f).a, (f).b])),
              '<', 1e-3::float8, 'MBG/NBD standard errors = numeric observed information')
FROM (SELECT mbgnbd_fit(x, t_x, t) f FROM c) s;
SELECT cmp_ok(pg_temp.rel_max(ARRAY[(f).se_p, (f).se_q, (f).se_v],
                              pg_temp.num_se('pg_temp.nll_gg', ARRAY[(f).p, (f).q, (f).v])),
              '<', 1e-3::float8, 'Gamma-Gamma standard errors = numeric observed information')
FROM (SELECT gamma_gamma_fit(x, m) f FROM c) s;

-- the fit's rows are ordered by the bits of x, t_x, t (a radix sort) and
-- share per-value terms: on values spanning many binary orders of magnitude
-- (every byte of the doubles differs somewhere), the fitted loglik (penalised
-- fits: the parameters stay finite on such data) is still
-- the sum of the per-customer log-likelihoods at the fitted parameters
CREATE TEMP TABLE wide AS
SELECT x, CASE WHEN x = 0 THEN 0 ELSE t * u END AS t_x, t, m
FROM (SELECT (i % 7 + (i % 5) * (i % 3))::float8 AS x,
             (0.37 + (i % 11)) * 10 ^ (i % 4) AS t,
             ((i * 7919) % 1000 + 1) / 1001.0 AS u,
             (1 + (i * 104729) % 9973) * 10 ^ (i % 3 - 1) AS m
      FROM generate_series(1, 3000) i) g;
SELECT cmp_ok(abs(sum(loglik(f, x, t_x, t)) / (f).loglik - 1), '<', 1e-12::float8,
              'BG/NBD on wide-ranging values: loglik is the sum over customers')
FROM wide, (SELECT bgnbd_fit(x, t_x, t, 0.01) f FROM wide) s GROUP BY f;
SELECT cmp_ok(abs(sum(loglik(f, x, t_x, t)) / (f).loglik - 1), '<', 1e-12::float8,
              'MBG/NBD on wide-ranging values: loglik is the sum over customers')
FROM wide, (SELECT mbgnbd_fit(x, t_x, t, 0.01) f FROM wide) s GROUP BY f;
SELECT cmp_ok(abs(sum(loglik(f, x, m)) / (f).loglik - 1), '<', 1e-12::float8,
              'Gamma-Gamma on wide-ranging values: loglik is the sum over customers')
FROM wide, (SELECT gamma_gamma_fit(x, m, 0.01) f FROM wide) s WHERE x > 0 GROUP BY f;

-- ... and the state's text form lists them in that order, as SQL sorts them
SELECT is((SELECT pg_temp.count_state(x, t_x, t)::text FROM wide),
          (SELECT 'count pen=none skipped=0 ' || string_agg(format('%s:%s:%s*%s', x, t_x, t, n), ' ' ORDER BY x, t_x, t)
           FROM (SELECT x, t_x, t, count(*) n FROM wide GROUP BY 1, 2, 3) g),
          'count state: rows in (x, t_x, t) order');
CREATE AGGREGATE pg_temp.spend_state(float8, float8) (SFUNC = fit_spend_trans, STYPE = fit_state);
SELECT is((SELECT pg_temp.spend_state(x, m)::text FROM wide),
          (SELECT format('spend pen=none skipped=%s ', (SELECT count(*) FROM wide WHERE x = 0))
                  || string_agg(format('%s:%s:0*%s', x, m, n), ' ' ORDER BY x, m)
           FROM (SELECT x, m, count(*) n FROM wide WHERE x > 0 GROUP BY 1, 2) g),
          'spend state: rows in (x, m) order');

SELECT * FROM finish();
ROLLBACK;
