#!/usr/bin/env bash
# The demo's generator (demo/gen_demo_orders.sql) against the models it
# claims to follow: on 20,000 generated customers the BG/NBD and
# Gamma-Gamma fits of the orders' BTYD summary converge and recover each
# generating parameter within 4 standard errors, and the holdout validation
# query of demo/steps/50-validation.sql predicts each bucket's mean holdout
# purchases within 0.25 or 10%.  Argument: the PostgreSQL bin directory.
set -euo pipefail
bindir=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
q() { PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }
q -d postgres -c 'DROP DATABASE IF EXISTS memval_gen' -c 'CREATE DATABASE memval_gen'
q -d memval_gen -c 'CREATE EXTENSION memval'
q -d memval_gen -v customers=20000 -v seed=7 -f "$top/demo/gen_demo_orders.sql"
bad=$(q -d memval_gen <<'SQL'
CREATE TABLE s AS SELECT customer_id, (btyd(order_ts, amount, '2026-01-01')).* FROM orders GROUP BY 1;
CREATE TABLE f AS SELECT (SELECT bgnbd_fit(x, t_x, t) FROM s) AS bg, (SELECT gamma_gamma_fit(x, m) FROM s) AS gg;
SELECT string_agg(format('%s.%s: true %s, estimate %s, se %s, converged %s', model, param, t.value, est, se, ok), '; ')
FROM demo_truth t
JOIN (SELECT 'bgnbd' AS model, p.*, (bg).converged AS ok FROM f,
        LATERAL (VALUES ('r', (bg).r, (bg).se_r), ('alpha', (bg).alpha, (bg).se_alpha),
                        ('a', (bg).a, (bg).se_a), ('b', (bg).b, (bg).se_b)) AS p(param, est, se)
      UNION ALL
      SELECT 'gamma_gamma', p.*, (gg).converged FROM f,
        LATERAL (VALUES ('p', (gg).p, (gg).se_p), ('q', (gg).q, (gg).se_q),
                        ('v', (gg).v, (gg).se_v)) AS p(param, est, se)) e USING (model, param)
WHERE NOT ok OR se IS NULL OR abs(est - t.value) > 4 * se OR
      (SELECT count(*) FROM demo_truth) <> 7;
SQL
)
if [ -n "$bad" ]; then echo "not ok - generated orders: $bad"; exit 1; fi
gaps=$(q -d memval_gen -v as_of=2026-01-01 -v cal_end=2025-01-01 -f "$top/demo/steps/50-validation.sql" >/dev/null &&
	q -d memval_gen -c "SELECT string_agg(format('%s: predicted %s actual %s', repeat_purchases,
		round(predicted::numeric, 3), round(actual::numeric, 3)), '; ' ORDER BY bucket)
		FROM validation WHERE NOT converged OR abs(predicted - actual) > greatest(0.25, 0.1 * actual)
		OR (SELECT count(*) FROM validation) <> 8")
q -d postgres -c 'DROP DATABASE memval_gen'
if [ -n "$gaps" ]; then echo "not ok - holdout validation: $gaps"; exit 1; fi
echo "ok - generated orders: fits converge, parameters within 4 SE, holdout predictions agree"
