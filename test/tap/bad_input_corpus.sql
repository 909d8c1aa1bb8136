-- The bad-input corpus (issue 14): every public function, aggregate and
-- window function of memval, and every type's text and binary input, against
-- classes of bad arguments.  The cases are generated from two tables:
--
--   corpus_fn     one row per function: valid arguments, and the argument
--                 class of each position (a new function = one new row);
--   corpus_class  the bad values of each argument class with the outcome
--                 they have by default;
--
-- plus corpus_override (the functions where a class value means something
-- else) and corpus_extra (hand-written cases: populations, arrays, ...).
-- For every case the expected outcome is a SQLSTATE, NULL, EMPTY (no rows),
-- OK (a non-null value) or =text (exactly that value).  A NULL argument in
-- a STRICT function is NULL by definition; in a non-strict one the class's
-- "NULL" row gives its outcome.  A case without an expected outcome fails,
-- and so does a function of the extension missing from corpus_fn.
BEGIN;
SET LOCAL client_min_messages = warning;
SET LOCAL statement_timeout = '15min';  -- a guard against a hang (valgrind runs it 30x slower)

CREATE TEMP TABLE corpus_fn (
	fn       regprocedure PRIMARY KEY,
	args     text[] NOT NULL,          -- a valid expression per position
	classes  text[] NOT NULL,          -- argument class per position
	valid    text NOT NULL DEFAULT 'OK', -- outcome of the valid arguments
	empty    text,                     -- aggregates: outcome over no rows
	tmpl     text                      -- query, %s = the argument list
);
CREATE TEMP TABLE corpus_class (
	class  text NOT NULL,
	label  text NOT NULL,
	val    text NOT NULL,              -- SQL expression, cast to the argument type
	expect text NOT NULL,
	PRIMARY KEY (class, label)
);
CREATE TEMP TABLE corpus_override (
	fn     regprocedure NOT NULL,
	pos    int NOT NULL,
	label  text NOT NULL,
	expect text NOT NULL,
	PRIMARY KEY (fn, pos, label)
);
CREATE TEMP TABLE corpus_extra (label text PRIMARY KEY, q text NOT NULL, expect text NOT NULL);

-- Valid values used below
CREATE TEMP TABLE v (k text PRIMARY KEY, e text NOT NULL);
INSERT INTO v VALUES
	('ts',  $$'2025-01-01'$$), ('asof', $$'2026-01-01'$$), ('amt', '10'), ('unit', $$'1 day'$$),
	('life', $$'1 year'$$),
	('bg', 'bgnbd(0.5, 5, 0.5, 5)'), ('mb', 'mbgnbd(0.5, 5, 0.5, 5)'),
	('pn', 'pareto_nbd(0.5, 5, 0.5, 5)'), ('gg', 'gamma_gamma(6, 4, 15)'),
	('rfm', $$(SELECT rfm('2025-01-01'::timestamptz, 10::numeric, '2026-01-01'))$$),
	('rfmf', $$(SELECT rfm('2025-01-01'::timestamptz, 10::float8, '2026-01-01'))$$),
	('brk', $$rfm_breaks('{7,30}', '{1,2}', '{10.50,100}')$$),
	('rst', $$(SELECT rfm_partial('2025-01-01'::timestamptz, 10::numeric, '2026-01-01'))$$),
	('bst', $$(SELECT btyd_partial('2025-01-01'::timestamptz, 10::numeric, '2026-01-01'))$$),
	('cst', $$clv_numeric_trans(NULL, '2025-01-01', 10::numeric, '2026-01-01', '1 year')$$),
	('fst', 'fit_count_trans(NULL, 1, 2, 3)'), ('gst', 'fit_spend_trans(NULL, 2, 3)'),
	('brst', $$rfm_breaks_trans(NULL, rfm('2025-01-01'::timestamptz, 10::numeric, '2026-01-01'))$$),
	('sst', $$rfm_score_numeric_trans(NULL, '2025-01-01', 10::numeric, '2026-01-01', rfm_breaks('{7,30}', '{1,2}', '{10.50,100}'))$$),
	('sc', $$'544'$$),
	('cact', $$(SELECT cohort_activity('2025-01-01'::timestamptz, 10::numeric, '1 month'))$$),
	('ctab', $$(SELECT cohort_table(a) FROM (SELECT cohort_activity('2025-01-01'::timestamptz, 10::numeric, '1 month') a) s)$$),
	('rules', $$tier_scheme_value('tier4')$$),
	('utc', $$'UTC'$$);

-- Functions: fn, valid arguments (names of v or SQL), classes.  Abbreviated
-- with the helper f() so that one function is one line.
CREATE FUNCTION pg_temp.f(fn text, args text, classes text, valid text DEFAULT 'OK',
                          empty text DEFAULT NULL, tmpl text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE
	a text[];
	i int;
	e text;
BEGIN
	a := string_to_array(args, '|');
	FOR i IN 1 .. coalesce(array_length(a, 1), 0) LOOP
		SELECT v.e INTO e FROM v WHERE k = btrim(a[i]);
		a[i] := coalesce(e, btrim(a[i]));
	END LOOP;
	INSERT INTO corpus_fn VALUES (fn::regprocedure, coalesce(a, '{}'),
		coalesce(string_to_array(classes, '|'), '{}'), valid, empty, tmpl);
END
$f$;

-- rfm summary
SELECT pg_temp.f('rfm(timestamptz,numeric,timestamptz)', 'ts|amt|asof', 'ts|amt_n|asof', empty => 'NULL');
SELECT pg_temp.f('rfm(timestamptz,float8,timestamptz)', 'ts|amt|asof', 'ts|amt_f|asof', empty => 'NULL');
SELECT pg_temp.f('rfm_partial(timestamptz,numeric,timestamptz)', 'ts|amt|asof', 'ts|amt_n|asof', empty => 'OK');
SELECT pg_temp.f('rfm_partial(timestamptz,float8,timestamptz)', 'ts|amt|asof', 'ts|amt_f|asof', empty => 'OK');
SELECT pg_temp.f('rfm_merge(rfm_state)', 'rst', 'state', empty => 'NULL');
SELECT pg_temp.f('rfm_state_advance(rfm_state,timestamptz)', 'rst|asof', 'state|asof_adv');
SELECT pg_temp.f('rfm_numeric_trans(rfm_state,timestamptz,numeric,timestamptz)', 'rst|ts|amt|asof', 'state_n|ts|amt_n|asof');
SELECT pg_temp.f('rfm_float8_trans(rfm_state,timestamptz,float8,timestamptz)', 'NULL|ts|amt|asof', 'state_n|ts|amt_f|asof');
SELECT pg_temp.f('rfm_combine(rfm_state,rfm_state)', 'rst|rst', 'state|state');
SELECT pg_temp.f('rfm_numeric_final(rfm_state)', 'rst', 'state');
SELECT pg_temp.f('rfm_float8_final(rfm_state)', $$rfm_partial('2025-01-01'::timestamptz, 10::float8, '2026-01-01')$$, 'state');
-- scores
SELECT pg_temp.f('rfm_score(int,int,int,int)', '5|4|4|5', 'score_int|score_int|score_int|n_sc');
SELECT pg_temp.f('r(rfm_score)', 'sc', 'score', '=5');
SELECT pg_temp.f('f(rfm_score)', 'sc', 'score', '=4');
SELECT pg_temp.f('m(rfm_score)', 'sc', 'score', '=4');
SELECT pg_temp.f('n(rfm_score)', 'sc', 'score', '=5');
SELECT pg_temp.f('rfm_score_parts(rfm_score)', 'sc', 'score', '=(5,4,4,5)');
SELECT pg_temp.f('rfm_score_eq(rfm_score,rfm_score)', 'sc|sc', 'score|score', '=true');
SELECT pg_temp.f('rfm_score_ne(rfm_score,rfm_score)', 'sc|sc', 'score|score', '=false');
SELECT pg_temp.f('rfm_score_lt(rfm_score,rfm_score)', 'sc|sc', 'score|score', '=false');
SELECT pg_temp.f('rfm_score_le(rfm_score,rfm_score)', 'sc|sc', 'score|score', '=true');
SELECT pg_temp.f('rfm_score_gt(rfm_score,rfm_score)', 'sc|sc', 'score|score', '=false');
SELECT pg_temp.f('rfm_score_ge(rfm_score,rfm_score)', 'sc|sc', 'score|score', '=true');
SELECT pg_temp.f('rfm_score_cmp(rfm_score,rfm_score)', 'sc|sc', 'score|score', '=0');
SELECT pg_temp.f('rfm_score_hash(rfm_score)', 'sc', 'score');
SELECT pg_temp.f('rfm_score_hash_extended(rfm_score,bigint)', 'sc|0', 'score|seed');
SELECT pg_temp.f('rfm_breaks(float8[],float8[],numeric[])', $$'{7,30}'|'{1,2}'|'{10.50,100}'$$, 'farr|farr|narr');
SELECT pg_temp.f('n(rfm_breaks)', 'brk', 'breaks', '=3');
SELECT pg_temp.f('recency_breaks(rfm_breaks)', 'brk', 'breaks', '={7,30}');
SELECT pg_temp.f('frequency_breaks(rfm_breaks)', 'brk', 'breaks', '={1,2}');
SELECT pg_temp.f('monetary_breaks(rfm_breaks)', 'brk', 'breaks', '={10.50,100}');
SELECT pg_temp.f('rfm_breaks(rfm)', 'rfm', 'rfm', empty => 'NULL');
SELECT pg_temp.f('rfm_breaks(rfm,int)', 'rfm|5', 'rfm|n_sc', empty => 'NULL');
SELECT pg_temp.f('rfm_breaks(rfm_float8)', 'rfmf', 'rfmf', empty => 'NULL');
SELECT pg_temp.f('rfm_breaks(rfm_float8,int)', 'rfmf|5', 'rfmf|n_sc', empty => 'NULL');
SELECT pg_temp.f('rfm_breaks_trans(rfm_breaks_state,rfm,int)', 'NULL|rfm|5', 'state_n|rfm|n_sc');
SELECT pg_temp.f('rfm_breaks_trans(rfm_breaks_state,rfm_float8,int)', 'NULL|rfmf|5', 'state_n|rfmf|n_sc');
SELECT pg_temp.f('rfm_breaks_trans(rfm_breaks_state,rfm)', 'brst|rfm', 'state_n|rfm');
SELECT pg_temp.f('rfm_breaks_trans(rfm_breaks_state,rfm_float8)', 'NULL|rfmf', 'state_n|rfmf');
SELECT pg_temp.f('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 'brst|rfm|5', 'state_n|rfm|n_sc', '0A000');
SELECT pg_temp.f('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 'NULL|rfmf|5', 'state_n|rfmf|n_sc', '0A000');
SELECT pg_temp.f('rfm_breaks_inv(rfm_breaks_state,rfm)', 'brst|rfm', 'state_n|rfm', '0A000');
SELECT pg_temp.f('rfm_breaks_inv(rfm_breaks_state,rfm_float8)', 'NULL|rfmf', 'state_n|rfmf', '0A000');
SELECT pg_temp.f('rfm_breaks_combine(rfm_breaks_state,rfm_breaks_state)', 'brst|brst', 'state|state');
SELECT pg_temp.f('rfm_breaks_final(rfm_breaks_state)', 'brst', 'state');
SELECT pg_temp.f('rfm_score(rfm,int)', 'rfm|5', 'rfm|n_sc', '=511', tmpl => 'SELECT rfm_score(%s) OVER ()');
SELECT pg_temp.f('rfm_score(rfm_float8,int)', 'rfmf|5', 'rfmf|n_sc', '=511', tmpl => 'SELECT rfm_score(%s) OVER ()');
SELECT pg_temp.f('rfm_score(rfm,rfm_breaks)', 'rfm|brk', 'rfm|breaks');
SELECT pg_temp.f('rfm_score(rfm_float8,rfm_breaks)', 'rfmf|brk', 'rfmf|breaks');
SELECT pg_temp.f('rfm_score(timestamptz,numeric,timestamptz,rfm_breaks)', 'ts|amt|asof|brk', 'ts|amt_n|asof|breaks_agg', empty => 'NULL');
SELECT pg_temp.f('rfm_score(timestamptz,float8,timestamptz,rfm_breaks)', 'ts|amt|asof|brk', 'ts|amt_f|asof|breaks_agg', empty => 'NULL');
SELECT pg_temp.f('rfm_score_numeric_trans(rfm_score_state,timestamptz,numeric,timestamptz,rfm_breaks)', 'sst|ts|amt|asof|brk', 'state_n|ts|amt_n|asof|breaks_agg');
SELECT pg_temp.f('rfm_score_float8_trans(rfm_score_state,timestamptz,float8,timestamptz,rfm_breaks)', 'NULL|ts|amt|asof|brk', 'state_n|ts|amt_f|asof|breaks_agg');
SELECT pg_temp.f('rfm_score_combine(rfm_score_state,rfm_score_state)', 'sst|sst', 'state|state');
SELECT pg_temp.f('rfm_score_final(rfm_score_state)', 'sst', 'state');
-- segments and tiers
SELECT pg_temp.f('tier_of(rfm_score,text,text)', $$sc|'rfm10'|'en'$$, 'score|scheme|lang');
SELECT pg_temp.f('tier_of(numeric,text,text)', $$500|'tier4'|'en'$$, 'value_n|scheme|lang');
SELECT pg_temp.f('tier_of(float8,text,text)', $$500|'tier4'|'en'$$, 'value_f|scheme|lang');
SELECT pg_temp.f('tier_of(numeric,numeric[],text[])', $$5|'{1,10}'|'{low,mid,high}'$$, 'value_n|narr|tarr', '=mid');
-- btyd summary
SELECT pg_temp.f('btyd(timestamptz,numeric,timestamptz)', 'ts|amt|asof', 'ts|amt_n|asof', empty => 'NULL');
SELECT pg_temp.f('btyd(timestamptz,numeric,timestamptz,interval)', 'ts|amt|asof|unit', 'ts|amt_n|asof|unit', empty => 'NULL');
SELECT pg_temp.f('btyd(timestamptz,float8,timestamptz)', 'ts|amt|asof', 'ts|amt_f|asof', empty => 'NULL');
SELECT pg_temp.f('btyd(timestamptz,float8,timestamptz,interval)', 'ts|amt|asof|unit', 'ts|amt_f|asof|unit', empty => 'NULL');
SELECT pg_temp.f('btyd_partial(timestamptz,numeric,timestamptz)', 'ts|amt|asof', 'ts|amt_n|asof', empty => 'OK');
SELECT pg_temp.f('btyd_partial(timestamptz,numeric,timestamptz,interval)', 'ts|amt|asof|unit', 'ts|amt_n|asof|unit', empty => 'OK');
SELECT pg_temp.f('btyd_partial(timestamptz,float8,timestamptz)', 'ts|amt|asof', 'ts|amt_f|asof', empty => 'OK');
SELECT pg_temp.f('btyd_partial(timestamptz,float8,timestamptz,interval)', 'ts|amt|asof|unit', 'ts|amt_f|asof|unit', empty => 'OK');
SELECT pg_temp.f('btyd_merge(btyd_state)', 'bst', 'state', empty => 'NULL');
SELECT pg_temp.f('btyd_state_advance(btyd_state,timestamptz)', 'bst|asof', 'state|asof_adv');
SELECT pg_temp.f('btyd_numeric_trans(btyd_state,timestamptz,numeric,timestamptz)', 'bst|ts|amt|asof', 'state_n|ts|amt_n|asof');
SELECT pg_temp.f('btyd_numeric_trans(btyd_state,timestamptz,numeric,timestamptz,interval)', 'NULL|ts|amt|asof|unit', 'state_n|ts|amt_n|asof|unit');
SELECT pg_temp.f('btyd_float8_trans(btyd_state,timestamptz,float8,timestamptz)', 'NULL|ts|amt|asof', 'state_n|ts|amt_f|asof');
SELECT pg_temp.f('btyd_float8_trans(btyd_state,timestamptz,float8,timestamptz,interval)', 'NULL|ts|amt|asof|unit', 'state_n|ts|amt_f|asof|unit');
SELECT pg_temp.f('btyd_combine(btyd_state,btyd_state)', 'bst|bst', 'state|state');
SELECT pg_temp.f('btyd_final(btyd_state)', 'bst', 'state');
-- historical CLV
SELECT pg_temp.f('clv(timestamptz,numeric,timestamptz,interval)', 'ts|amt|asof|life', 'ts|amt_n|asof|life', empty => 'NULL');
SELECT pg_temp.f('clv(timestamptz,numeric,timestamptz,interval,float8)', 'ts|amt|asof|life|0.3', 'ts|amt_n|asof|life|frac', empty => 'NULL');
SELECT pg_temp.f('clv(timestamptz,numeric,timestamptz,interval,float8,float8)', 'ts|amt|asof|life|0.3|0.1', 'ts|amt_n|asof|life|frac|rate', empty => 'NULL');
SELECT pg_temp.f('clv(timestamptz,float8,timestamptz,interval)', 'ts|amt|asof|life', 'ts|amt_f|asof|life', empty => 'NULL');
SELECT pg_temp.f('clv(timestamptz,float8,timestamptz,interval,float8)', 'ts|amt|asof|life|0.3', 'ts|amt_f|asof|life|frac', empty => 'NULL');
SELECT pg_temp.f('clv(timestamptz,float8,timestamptz,interval,float8,float8)', 'ts|amt|asof|life|0.3|0.1', 'ts|amt_f|asof|life|frac|rate', empty => 'NULL');
SELECT pg_temp.f('clv_numeric_trans(clv_state,timestamptz,numeric,timestamptz,interval)', 'cst|ts|amt|asof|life', 'state_n|ts|amt_n|asof|life');
SELECT pg_temp.f('clv_numeric_trans(clv_state,timestamptz,numeric,timestamptz,interval,float8)', 'NULL|ts|amt|asof|life|0.3', 'state_n|ts|amt_n|asof|life|frac');
SELECT pg_temp.f('clv_numeric_trans(clv_state,timestamptz,numeric,timestamptz,interval,float8,float8)', 'NULL|ts|amt|asof|life|0.3|0.1', 'state_n|ts|amt_n|asof|life|frac|rate');
SELECT pg_temp.f('clv_float8_trans(clv_state,timestamptz,float8,timestamptz,interval)', 'NULL|ts|amt|asof|life', 'state_n|ts|amt_f|asof|life');
SELECT pg_temp.f('clv_float8_trans(clv_state,timestamptz,float8,timestamptz,interval,float8)', 'NULL|ts|amt|asof|life|0.3', 'state_n|ts|amt_f|asof|life|frac');
SELECT pg_temp.f('clv_float8_trans(clv_state,timestamptz,float8,timestamptz,interval,float8,float8)', 'NULL|ts|amt|asof|life|0.3|0.1', 'state_n|ts|amt_f|asof|life|frac|rate');
SELECT pg_temp.f('clv_combine(clv_state,clv_state)', 'cst|cst', 'state|state');
SELECT pg_temp.f('clv_numeric_final(clv_state)', 'cst', 'state');
SELECT pg_temp.f('clv_float8_final(clv_state)', $$clv_float8_trans(NULL, '2025-01-01', 10::float8, '2026-01-01', '1 year')$$, 'state');
SELECT pg_temp.f('clv(float8,float8,float8,float8,float8)', '50|4|3|0.3|0.1', 'amount|rate|years|frac|rate');
SELECT pg_temp.f('clv_retention(float8,float8,float8)', '50|0.8|0.1', 'amount|frac|rate');
-- fits
SELECT pg_temp.f('fit_count_trans(fit_state,float8,float8,float8)', 'fst|1|2|3', 'state_n|x|t_x|t');
SELECT pg_temp.f('fit_count_trans(fit_state,float8,float8,float8,float8)', 'NULL|1|2|3|0.1', 'state_n|x|t_x|t|pen');
SELECT pg_temp.f('fit_spend_trans(fit_state,float8,float8)', 'gst|2|3', 'state_n|x|m');
SELECT pg_temp.f('fit_spend_trans(fit_state,float8,float8,float8)', 'NULL|2|3|0.1', 'state_n|x|m|pen');
SELECT pg_temp.f('fit_combine(fit_state,fit_state)', 'fst|fst', 'state_n|state_n');
SELECT pg_temp.f('bgnbd_fit_final(fit_state)', 'fst', 'state_n', 'OK');
SELECT pg_temp.f('mbgnbd_fit_final(fit_state)', 'fst', 'state_n', 'OK');
SELECT pg_temp.f('pareto_nbd_fit_final(fit_state)', 'fst', 'state_n', 'OK');
SELECT pg_temp.f('gamma_gamma_fit_final(fit_state)', 'gst', 'state_n', '22000');
SELECT pg_temp.f('bgnbd_fit(float8,float8,float8)', '1|2|3', 'x|t_x|t', 'OK', 'NULL');
SELECT pg_temp.f('bgnbd_fit(float8,float8,float8,float8)', '1|2|3|0.1', 'x|t_x|t|pen', '22003', 'NULL');
SELECT pg_temp.f('mbgnbd_fit(float8,float8,float8)', '1|2|3', 'x|t_x|t', 'OK', 'NULL');
SELECT pg_temp.f('mbgnbd_fit(float8,float8,float8,float8)', '1|2|3|0.1', 'x|t_x|t|pen', '22003', 'NULL');
SELECT pg_temp.f('pareto_nbd_fit(float8,float8,float8)', '1|2|3', 'x|t_x|t', 'OK', 'NULL');
SELECT pg_temp.f('pareto_nbd_fit(float8,float8,float8,float8)', '1|2|3|0.1', 'x|t_x|t|pen', '22003', 'NULL');
SELECT pg_temp.f('gamma_gamma_fit(float8,float8)', '2|3', 'x|m', '22000', 'NULL');
SELECT pg_temp.f('gamma_gamma_fit(float8,float8,float8)', '2|3|0.1', 'x|m|pen', '22000', 'NULL');
-- models and predictions
SELECT pg_temp.f('bgnbd(float8,float8,float8,float8)', '0.5|5|0.5|5', 'par|par|par|par');
SELECT pg_temp.f('mbgnbd(float8,float8,float8,float8)', '0.5|5|0.5|5', 'par|par|par|par');
SELECT pg_temp.f('pareto_nbd(float8,float8,float8,float8)', '0.5|5|0.5|5', 'par|par|par|par');
SELECT pg_temp.f('gamma_gamma(float8,float8,float8)', '6|4|15', 'par|par|par');
SELECT pg_temp.f('loglik(bgnbd,float8,float8,float8)', 'bg|2|5|10', 'model4|x|t_x|t');
SELECT pg_temp.f('loglik(mbgnbd,float8,float8,float8)', 'mb|2|5|10', 'model4|x|t_x|t');
SELECT pg_temp.f('loglik(pareto_nbd,float8,float8,float8)', 'pn|2|5|10', 'model4|x|t_x|t');
SELECT pg_temp.f('loglik(gamma_gamma,float8,float8)', 'gg|2|30', 'model3|x|m');
SELECT pg_temp.f('expected_purchases(bgnbd,float8,float8,float8,float8)', 'bg|10|2|5|10', 'model4|hor|x|t_x|t');
SELECT pg_temp.f('expected_purchases(mbgnbd,float8,float8,float8,float8)', 'mb|10|2|5|10', 'model4|hor|x|t_x|t');
SELECT pg_temp.f('expected_purchases(pareto_nbd,float8,float8,float8,float8)', 'pn|10|2|5|10', 'model4|hor|x|t_x|t');
SELECT pg_temp.f('expected_purchases(bgnbd,float8)', 'bg|10', 'model4|hor');
SELECT pg_temp.f('expected_purchases(mbgnbd,float8)', 'mb|10', 'model4|hor');
SELECT pg_temp.f('expected_purchases(pareto_nbd,float8)', 'pn|10', 'model4|hor');
SELECT pg_temp.f('p_alive(bgnbd,float8,float8,float8)', 'bg|2|5|10', 'model4|x|t_x|t');
SELECT pg_temp.f('p_alive(mbgnbd,float8,float8,float8)', 'mb|2|5|10', 'model4|x|t_x|t');
SELECT pg_temp.f('p_alive(pareto_nbd,float8,float8,float8)', 'pn|2|5|10', 'model4|x|t_x|t');
SELECT pg_temp.f('probability_of_purchases(bgnbd,int,float8)', 'bg|2|10', 'model4|n_pp|hor');
SELECT pg_temp.f('probability_of_purchases(mbgnbd,int,float8)', 'mb|2|10', 'model4|n_pp|hor');
SELECT pg_temp.f('probability_of_purchases(pareto_nbd,int,float8)', 'pn|2|10', 'model4|n_pp|hor');
SELECT pg_temp.f('expected_spend(gamma_gamma,float8,float8)', 'gg|2|30', 'model3|x_spend|m_spend');
SELECT pg_temp.f('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 'bg|gg|2|5|10|30|12|0.01|30', 'model4|model3|x|t_x|t|m_spend|months|rate|upm');
SELECT pg_temp.f('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 'mb|gg|2|5|10|30|12|0.01|30', 'model4|model3|x|t_x|t|m_spend|months|rate|upm');
SELECT pg_temp.f('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 'pn|gg|2|5|10|30|12|0.01|30', 'model4|model3|x|t_x|t|m_spend|months|rate|upm');
-- simulation
SELECT pg_temp.f('bgnbd_simulate(int,float8,float8,float8,float8,float8,bigint)', '3|0.5|5|0.5|5|30|1', 'sim_n|par|par|par|par|t|seed', '=3');
SELECT pg_temp.f('bgnbd_simulate(int,float8,float8,float8,float8,float8,bigint,float8)', '3|0.5|5|0.5|5|30|1|10', 'sim_n|par|par|par|par|t|seed|hor', '=3');
SELECT pg_temp.f('mbgnbd_simulate(int,float8,float8,float8,float8,float8,bigint)', '3|0.5|5|0.5|5|30|1', 'sim_n|par|par|par|par|t|seed', '=3');
SELECT pg_temp.f('mbgnbd_simulate(int,float8,float8,float8,float8,float8,bigint,float8)', '3|0.5|5|0.5|5|30|1|10', 'sim_n|par|par|par|par|t|seed|hor', '=3');
SELECT pg_temp.f('pareto_nbd_simulate(int,float8,float8,float8,float8,float8,bigint)', '3|0.5|5|0.5|5|30|1', 'sim_n|par|par|par|par|t|seed', '=3');
SELECT pg_temp.f('pareto_nbd_simulate(int,float8,float8,float8,float8,float8,bigint,float8)', '3|0.5|5|0.5|5|30|1|10', 'sim_n|par|par|par|par|t|seed|hor', '=3');
SELECT pg_temp.f('gamma_gamma_simulate(float8,float8,float8,float8,bigint,bigint)', '2|6|4|15|1|1', 'x|par|par|par|seed|seed');

-- lifecycle
SELECT pg_temp.f('aipl_stage(bigint,bigint,float8,float8,text)', $$3|2|10|30|'en'$$, 'cnt|cnt|days|days|lang', '=Loyalty');
SELECT pg_temp.f('repurchase_cycle(timestamptz,numeric,timestamptz)', 'ts|amt|asof', 'ts|amt_n|asof', 'OK', 'EMPTY',
                  $$SELECT (SELECT repurchase_cycle(o, a, s) FROM (SELECT %s UNION ALL SELECT '2025-06-01'::timestamptz, 10, '2026-01-01'::timestamptz) v(o, a, s))$$);
SELECT pg_temp.f('repurchase_cycle(timestamptz,float8,timestamptz)', 'ts|amt|asof', 'ts|amt_f|asof', 'OK', 'EMPTY',
                  $$SELECT (SELECT repurchase_cycle(o, a, s) FROM (SELECT %s UNION ALL SELECT '2025-06-01'::timestamptz, 10::float8, '2026-01-01'::timestamptz) v(o, a, s))$$);
SELECT pg_temp.f('repurchase_cycle_final(btyd_state)', 'bst', 'state', 'NULL');
SELECT pg_temp.f('churn_risk(bgnbd,float8,float8,float8)', 'bg|2|5|10', 'model4|x|t_x|t');
SELECT pg_temp.f('churn_risk(mbgnbd,float8,float8,float8)', 'mb|2|5|10', 'model4|x|t_x|t');
SELECT pg_temp.f('churn_risk(pareto_nbd,float8,float8,float8)', 'pn|2|5|10', 'model4|x|t_x|t');
SELECT pg_temp.f('churn_risk(float8,float8)', '10|30', 'days|days');
SELECT pg_temp.f('p_no_purchase(bgnbd,float8,float8,float8,float8)', 'bg|10|2|5|10', 'model4|hor|x|t_x|t');
SELECT pg_temp.f('p_no_purchase(mbgnbd,float8,float8,float8,float8)', 'mb|10|2|5|10', 'model4|hor|x|t_x|t');
SELECT pg_temp.f('p_no_purchase(pareto_nbd,float8,float8,float8,float8)', 'pn|10|2|5|10', 'model4|hor|x|t_x|t');
SELECT pg_temp.f('next_purchase_within(bgnbd,float8,float8,float8,float8)', 'bg|0.1|2|5|10', 'model4|prob|x|t_x|t');
SELECT pg_temp.f('next_purchase_within(mbgnbd,float8,float8,float8,float8)', 'mb|0.1|2|5|10', 'model4|prob|x|t_x|t');
SELECT pg_temp.f('next_purchase_within(pareto_nbd,float8,float8,float8,float8)', 'pn|0.1|2|5|10', 'model4|prob|x|t_x|t');
SELECT pg_temp.f('churn_stage(float8,text,float8,float8)', $$0.6|'en'|0.5|0.8$$, 'prob|lang|prob|prob', '=at risk');
SELECT pg_temp.f('expected_next_purchase(timestamptz,float8)', 'ts|30', 'ts|days');
SELECT pg_temp.f('cohort_activity(timestamptz,numeric,interval)', $$ts|amt|'1 month'$$, 'ts|amt_n|period', empty => 'NULL');
SELECT pg_temp.f('cohort_activity(timestamptz,numeric,interval,text)', $$ts|amt|'1 month'|utc$$, 'ts|amt_n|period|tz', empty => 'NULL');
SELECT pg_temp.f('cohort_activity_trans(cohort_activity,timestamptz,numeric,interval)', $$NULL|ts|amt|'1 month'$$, 'state_n|ts|amt_n|period', '0A000');
SELECT pg_temp.f('cohort_activity_trans(cohort_activity,timestamptz,numeric,interval,text)', $$NULL|ts|amt|'1 month'|utc$$, 'state_n|ts|amt_n|period|tz', '0A000');
SELECT pg_temp.f('cohort_activity_combine(cohort_activity,cohort_activity)', 'cact|cact', 'state|state', '0A000');
SELECT pg_temp.f('cohort_table(cohort_activity)', 'cact', 'state', empty => 'NULL');
SELECT pg_temp.f('cohort_table(cohort_table)', 'ctab', 'state', empty => 'NULL');
SELECT pg_temp.f('cohort_table_trans(cohort_table,cohort_activity)', 'NULL|cact', 'state_n|state', '0A000');
SELECT pg_temp.f('cohort_table_combine(cohort_table,cohort_table)', 'ctab|ctab', 'state|state', '0A000');
SELECT pg_temp.f('cohort_retention(cohort_table)', 'ctab', 'state', '=1');
SELECT pg_temp.f('cohort_summary(cohort_table)', 'ctab', 'state', '=1');
SELECT pg_temp.f('value_score(float8,float8,float8,float8,float8[])', $$1|2|3|4|'{0.4,0.3,0.1,0.2}'$$, 'value_f|value_f|value_f|value_f|weights');
SELECT pg_temp.f('tier_track(numeric,numeric[],int,int)', $$500|'{100,1000}'|1|1$$, 'value_n|narr|grace|grace', '=2');
SELECT pg_temp.f('tier_track_label(numeric,numeric[],text[],int,int)', $$500|'{100,1000}'|'{low,mid,high}'|1|1$$, 'value_n|narr|tarr|grace|grace', '=mid');
SELECT pg_temp.f('tier_track_scheme(numeric,text,int,int,text)', $$5000|'tier4'|1|1|'en'$$, 'value_n|scheme|grace|grace|lang');
SELECT pg_temp.f('tier_track_scheme(numeric,tier_rules,int,int)', '5000|rules|1|1', 'value_n|rules|grace|grace');
-- tier scheme values
SELECT pg_temp.f('tier_scheme_value(text,text)', $$'tier4'|'en'$$, 'scheme|lang');
SELECT pg_temp.f('tier_of(numeric,tier_rules)', '500|rules', 'value_n|rules', '=basic');
SELECT pg_temp.f('tier_of(float8,tier_rules)', '500|rules', 'value_f|rules', '=basic');
SELECT pg_temp.f('tier_of(rfm_score,tier_rules)', $$sc|tier_scheme_value('rfm10')$$, 'score|rules');
-- btyd with an explicit time zone
SELECT pg_temp.f('btyd(timestamptz,numeric,timestamptz,interval,text)', 'ts|amt|asof|unit|utc', 'ts|amt_n|asof|unit|tz', empty => 'NULL');
SELECT pg_temp.f('btyd(timestamptz,float8,timestamptz,interval,text)', 'ts|amt|asof|unit|utc', 'ts|amt_f|asof|unit|tz', empty => 'NULL');
SELECT pg_temp.f('btyd_partial(timestamptz,numeric,timestamptz,interval,text)', 'ts|amt|asof|unit|utc', 'ts|amt_n|asof|unit|tz', empty => 'OK');
SELECT pg_temp.f('btyd_partial(timestamptz,float8,timestamptz,interval,text)', 'ts|amt|asof|unit|utc', 'ts|amt_f|asof|unit|tz', empty => 'OK');
SELECT pg_temp.f('btyd_numeric_trans(btyd_state,timestamptz,numeric,timestamptz,interval,text)', 'NULL|ts|amt|asof|unit|utc', 'state_n|ts|amt_n|asof|unit|tz');
SELECT pg_temp.f('btyd_float8_trans(btyd_state,timestamptz,float8,timestamptz,interval,text)', 'NULL|ts|amt|asof|unit|utc', 'state_n|ts|amt_f|asof|unit|tz');
SELECT pg_temp.f('btyd_state_advance(btyd_state,timestamptz,text)', 'bst|asof|utc', 'state|asof_adv|tz');

-- Argument classes: value, default outcome.  "NULL" is the outcome of a
-- NULL argument in a non-strict function (aggregates, transitions).
INSERT INTO corpus_class VALUES
	('cnt', 'NULL', 'NULL', 'OK'),   -- aipl_stage: a NULL count is 0
	('days', 'NULL', 'NULL', 'OK'),
	('tz', 'NULL', 'NULL', 'OK'),    -- NULL zone: the session's
	('cnt', 'negative', '-1', '22023'),
	('cnt', 'bigint max', '9223372036854775807', 'OK'),
	('days', 'negative', '-1', '22023'),
	('days', 'NaN', $$'NaN'$$, '22023'),
	('days', 'Infinity', $$'Infinity'$$, 'OK'),
	('prob', 'negative', '-0.1', '22023'),
	('prob', 'above one', '1.5', '22023'),
	('prob', 'NaN', $$'NaN'$$, '22023'),
	('period', 'zero', $$'0'$$, '22023'),
	('period', 'negative', $$'-1 month'$$, '22023'),
	('period', 'mixed', $$'1 month 1 day'$$, '22023'),
	('tz', 'empty', $$''$$, '22023'),
	('tz', 'unknown', $$'Nowhere/Nothing'$$, '22023'),
	('tz', 'offset', $$'+05:30'$$, 'OK'),
	('weights', 'NULL', 'NULL', '22023'),
	('period', 'NULL', 'NULL', '22004'),
	('weights', 'three', $$'{1,1,1}'$$, '22023'),
	('weights', 'negative', $$'{-1,1,1,1}'$$, '22023'),
	('weights', 'all zero', $$'{0,0,0,0}'$$, '22023'),
	('weights', 'NaN', $$'{NaN,1,1,1}'$$, '22023'),
	('weights', 'NULL element', $$'{NULL,1,1,1}'$$, '22023'),
	('grace', 'negative', '-1', '22023'),
	('grace', 'int max', '2147483647', 'OK'),
	('rules', 'corrupt', $$'value fallback'$$, '22P02'),
	('ts', 'NULL', 'NULL', 'OK'),
	('ts', '+infinity', $$'infinity'$$, '22008'),
	('ts', '-infinity', $$'-infinity'$$, '22008'),
	('ts', 'lowest', $$'4714-11-24 00:00:00+00 BC'$$, 'OK'),
	('ts', 'highest', $$'294276-12-31 23:59:59+00'$$, 'OK'),
	('asof', 'NULL', 'NULL', '22004'),
	('asof', '+infinity', $$'infinity'$$, '22008'),
	('asof', '-infinity', $$'-infinity'$$, '22008'),
	('asof', 'lowest', $$'4714-11-24 00:00:00+00 BC'$$, 'OK'),
	('asof', 'highest', $$'294276-12-31 23:59:59+00'$$, 'OK'),
	('asof_adv', '+infinity', $$'infinity'$$, '22008'),
	('asof_adv', '-infinity', $$'-infinity'$$, '22008'),
	('asof_adv', 'earlier', $$'2025-06-01'$$, '22023'),
	('asof_adv', 'highest', $$'294276-12-31 23:59:59+00'$$, 'OK'),
	('amt_n', 'NULL', 'NULL', 'OK'),
	('amt_n', 'NaN', $$'NaN'$$, '22023'),
	('amt_n', '+Infinity', $$'Infinity'$$, '22023'),
	('amt_n', '-Infinity', $$'-Infinity'$$, '22023'),
	('amt_n', '1000 digits', $$repeat('9', 1000)$$, 'OK'),
	('amt_n', '-1000 digits', $$'-' || repeat('9', 1000)$$, 'OK'),
	('amt_n', '1000 decimals', $$'0.' || repeat('0', 998) || '1'$$, 'OK'),
	('amt_n', 'zero', '0', 'OK'),
	('amt_f', 'NULL', 'NULL', 'OK'),
	('amt_f', 'NaN', $$'NaN'$$, '22023'),
	('amt_f', '+Infinity', $$'Infinity'$$, '22023'),
	('amt_f', '-Infinity', $$'-Infinity'$$, '22023'),
	('amt_f', '1e308', '1e308', 'OK'),
	('amt_f', '-1e308', '-1e308', 'OK'),
	('amt_f', 'denormal', '4.9e-324', 'OK'),
	('unit', 'NULL', 'NULL', '22004'),
	('unit', 'zero', $$'0'$$, '22023'),
	('unit', 'negative', $$'-1 day'$$, '22023'),
	('unit', 'microsecond', $$'1 microsecond'$$, 'OK'),
	('unit', 'huge', $$'178000000 years'$$, 'OK'),
	('life', 'NULL', 'NULL', '22004'),
	('life', 'zero', $$'0'$$, '22023'),
	('life', 'negative', $$'-1 year'$$, '22023'),
	('life', 'huge', $$'178000000 years'$$, 'OK'),
	('frac', 'NULL', 'NULL', '22004'),
	('frac', 'negative', '-0.1', '22023'),
	('frac', 'above one', '1.5', '22023'),
	('frac', 'NaN', $$'NaN'$$, '22023'),
	('frac', 'Infinity', $$'Infinity'$$, '22023'),
	('rate', 'NULL', 'NULL', '22004'),
	('rate', 'negative', '-0.5', '22023'),
	('rate', 'NaN', $$'NaN'$$, '22023'),
	('rate', 'Infinity', $$'Infinity'$$, '22023'),
	('rate', '1e308', '1e308', 'OK'),
	('amount', 'NaN', $$'NaN'$$, '22023'),
	('amount', 'Infinity', $$'Infinity'$$, '22023'),
	('amount', 'negative', '-50', 'OK'),
	('amount', '1e308', '1e308', 'OK'),
	('years', 'negative', '-1', '22023'),
	('years', 'NaN', $$'NaN'$$, '22023'),
	('years', 'Infinity', $$'Infinity'$$, '22023'),
	('years', '1e308', '1e308', 'OK'),
	('par', 'zero', '0', '22023'),
	('par', 'negative', '-1', '22023'),
	('par', 'NaN', $$'NaN'$$, '22023'),
	('par', '+Infinity', $$'Infinity'$$, '22023'),
	('par', '-Infinity', $$'-Infinity'$$, '22023'),
	('par', '1e308', '1e308', 'OK'),
	('par', 'tiny', '1e-308', 'OK'),
	('x', 'NULL', 'NULL', 'OK'),
	('x', 'negative', '-1', '22023'),
	('x', 'fractional', '1.5', '22023'),
	('x', 'NaN', $$'NaN'$$, '22023'),
	('x', 'Infinity', $$'Infinity'$$, '22023'),
	('x', '1e308', '1e308', '22023'),
	('t_x', 'NULL', 'NULL', 'OK'),
	('t_x', 'negative', '-1', '22023'),
	('t_x', 'NaN', $$'NaN'$$, '22023'),
	('t_x', 'Infinity', $$'Infinity'$$, '22023'),
	('t_x', 'beyond t', '1e308', '22023'),
	('t', 'NULL', 'NULL', 'OK'),
	('t', 'negative', '-1', '22023'),
	('t', 'zero', '0', '22023'),
	('t', 'NaN', $$'NaN'$$, '22023'),
	('t', 'Infinity', $$'Infinity'$$, '22023'),
	('t', '1e308', '1e308', 'OK'),
	('m', 'NULL', 'NULL', 'OK'),
	('m', 'negative', '-1', 'OK'),
	('m', 'zero', '0', 'OK'),
	('m', 'NaN', $$'NaN'$$, '22023'),
	('m', 'Infinity', $$'Infinity'$$, '22023'),
	('m', '1e308', '1e308', 'OK'),
	('x_spend', 'NULL', 'NULL', 'NULL'),
	('x_spend', 'negative', '-1', '22023'),
	('x_spend', 'NaN', $$'NaN'$$, '22023'),
	('x_spend', 'Infinity', $$'Infinity'$$, '22023'),
	('x_spend', 'zero', '0', 'OK'),
	('m_spend', 'NULL', 'NULL', 'NULL'),
	('m_spend', 'negative', '-1', '22023'),
	('m_spend', 'zero', '0', '22023'),
	('m_spend', 'NaN', $$'NaN'$$, '22023'),
	('m_spend', 'Infinity', $$'Infinity'$$, '22023'),
	('m_spend', '1e308', '1e308', 'OK'),
	('hor', 'NULL', 'NULL', '22004'),
	('hor', 'negative', '-1', '22023'),
	('hor', 'zero', '0', 'OK'),
	('hor', 'NaN', $$'NaN'$$, '22023'),
	('hor', 'Infinity', $$'Infinity'$$, '22023'),
	('hor', '1e308', '1e308', 'OK'),
	('pen', 'NULL', 'NULL', '22004'),
	('pen', 'negative', '-0.1', '22023'),
	('pen', 'NaN', $$'NaN'$$, '22023'),
	('pen', 'Infinity', $$'Infinity'$$, '22023'),
	('pen', '1e308', '1e308', '22000'),
	('n_pp', 'negative', '-1', '22023'),
	('n_pp', 'zero', '0', 'OK'),
	('n_pp', 'large', '1000000', 'OK'),
	('n_pp', 'int max', '2147483647', 'OK'),
	('n_sc', 'NULL', 'NULL', '22004'),
	('n_sc', 'negative', '-1', '22023'),
	('n_sc', 'zero', '0', '22023'),
	('n_sc', 'one', '1', '22023'),
	('n_sc', '101', '101', '22023'),
	('n_sc', 'int max', '2147483647', '22023'),
	('score_int', 'zero', '0', '22023'),
	('score_int', 'negative', '-1', '22023'),
	('score_int', 'above n', '6', '22023'),
	('score_int', 'int max', '2147483647', '22023'),
	('months', 'NULL', 'NULL', 'NULL'),
	('months', 'negative', '-1', '22023'),
	('months', 'zero', '0', 'OK'),
	('months', 'int max', '2147483647', '22023'),
	('upm', 'NULL', 'NULL', 'NULL'),
	('upm', 'zero', '0', '22023'),
	('upm', 'negative', '-1', '22023'),
	('upm', 'NaN', $$'NaN'$$, '22023'),
	('upm', 'Infinity', $$'Infinity'$$, '22023'),
	('sim_n', 'negative', '-1', '22023'),
	('sim_n', 'zero', '0', '=0'),
	('seed', 'negative', '-1', 'OK'),
	('seed', 'bigint max', '9223372036854775807', 'OK'),
	('seed', 'bigint min', '-9223372036854775808', 'OK'),
	('scheme', 'empty', $$''$$, '22023'),
	('scheme', 'unknown', $$'no such scheme'$$, '22023'),
	('scheme', '100k chars', $$repeat('x', 100000)$$, '22023'),
	('scheme', 'quote and backslash', $$E'rfm10''; DROP TABLE tier_scheme; --\\'$$, '22023'),
	('lang', 'empty', $$''$$, '22023'),
	('lang', 'unknown', $$'fr'$$, '22023'),
	('lang', 'upper case', $$'EN'$$, '22023'),
	('value_n', 'NaN', $$'NaN'$$, '22023'),
	('value_n', '+Infinity', $$'Infinity'$$, '22023'),
	('value_n', '-Infinity', $$'-Infinity'$$, '22023'),
	('value_n', '1000 digits', $$repeat('9', 1000)$$, 'OK'),
	('value_n', '-1000 digits', $$'-' || repeat('9', 1000)$$, 'OK'),
	('value_f', 'NaN', $$'NaN'$$, '22023'),
	('value_f', '+Infinity', $$'Infinity'$$, '22023'),
	('value_f', '-Infinity', $$'-Infinity'$$, '22023'),
	('value_f', '1e308', '1e308', 'OK'),
	('farr', 'empty', $$'{}'$$, 'OK'),
	('farr', 'NULL element', $$'{1,NULL}'$$, '22004'),
	('farr', 'two-dimensional', $$'{{1,2},{3,4}}'$$, '2202E'),
	('farr', 'lower bound 0', $$'[0:1]={1,2}'$$, 'OK'),
	('farr', 'unsorted', $$'{2,1}'$$, '22023'),
	('farr', 'duplicate', $$'{1,1}'$$, '22023'),
	('farr', 'NaN', $$'{NaN}'$$, '22023'),
	('farr', 'Infinity', $$'{Infinity}'$$, '22023'),
	('farr', 'too many', $$array(SELECT g::float8 FROM generate_series(1, 100) g)$$, '22023'),
	('narr', 'empty', $$'{}'$$, 'OK'),
	('narr', 'NULL element', $$'{1,NULL}'$$, '22004'),
	('narr', 'two-dimensional', $$'{{1,2},{3,4}}'$$, '2202E'),
	('narr', 'lower bound 0', $$'[0:1]={1,2}'$$, 'OK'),
	('narr', 'unsorted', $$'{2,1}'$$, '22023'),
	('narr', 'duplicate', $$'{1,1}'$$, '22023'),
	('narr', 'NaN', $$'{NaN}'$$, '22023'),
	('narr', 'Infinity', $$'{Infinity}'$$, '22023'),
	('narr', '1000 digits', $$ARRAY[repeat('9', 1000)::numeric]$$, 'OK'),
	('tarr', 'empty', $$'{}'$$, '22023'),
	('tarr', 'NULL element', $$'{low,NULL,high}'$$, '22004'),
	('tarr', 'one short', $$'{low,mid}'$$, '22023'),
	('tarr', 'two-dimensional', $$'{{a,b},{c,d}}'$$, '2202E'),
	('tarr', 'lower bound 0', $$'[0:2]={low,mid,high}'$$, 'OK'),
	('model4', 'all NULL', $$'(,,,,,,,,,,,)'$$, '22004'),
	('model4', 'negative', $$'(-1,5,0.5,5,,,,,,,,)'$$, '22023'),
	('model4', 'zero', $$'(0,0,0,0,,,,,,,,)'$$, '22023'),
	('model4', 'NaN', $$'(NaN,5,0.5,5,,,,,,,,)'$$, '22023'),
	('model4', 'Infinity', $$'(0.5,Infinity,0.5,5,,,,,,,,)'$$, '22023'),
	('model4', '1e308', $$'(1e308,1e308,1e308,1e308,,,,,,,,)'$$, 'OK'),
	('model3', 'all NULL', $$'(,,,,,,,,,,)'$$, '22004'),
	('model3', 'negative', $$'(-1,4,15,,,,,,,,)'$$, '22023'),
	('model3', 'zero', $$'(0,0,0,,,,,,,,)'$$, '22023'),
	('model3', 'NaN', $$'(6,NaN,15,,,,,,,,)'$$, '22023'),
	('model3', 'q <= 1', $$'(6,1,15,,,,,,,,)'$$, 'OK'),
	('model3', '1e308', $$'(1e308,1e308,1e308,,,,,,,,)'$$, 'OK'),
	('rfm', 'all NULL', $$'(,,,,,,,)'$$, 'OK'),
	('rfm', 'NaN recency', $$'(NaN,1,10,10,,,0,0)'$$, '22023'),
	('rfm', 'negative frequency', $$'(1,-1,10,10,,,0,0)'$$, '22023'),
	('rfm', 'Infinity monetary', $$'(1,1,Infinity,10,,,0,0)'$$, '22023'),
	('rfm', '1000-digit monetary', $$format('(1,1,%s,1,,,0,0)', repeat('9', 1000))$$, 'OK'),
	('rfmf', 'all NULL', $$'(,,,,,,,)'$$, 'OK'),
	('rfmf', 'NaN recency', $$'(NaN,1,10,10,,,0,0)'$$, '22023'),
	('rfmf', 'negative frequency', $$'(1,-1,10,10,,,0,0)'$$, '22023'),
	('rfmf', 'NaN monetary', $$'(1,1,NaN,10,,,0,0)'$$, '22023'),
	('rfmf', '1e308 monetary', $$'(1,1,1e308,10,,,0,0)'$$, 'OK'),
	('breaks_agg', 'NULL', 'NULL', '22004'),
	('state_n', 'NULL', 'NULL', 'OK');

-- Functions where a class value has another outcome than the class's default.
CREATE FUNCTION pg_temp.o(fn text, pos int, label text, expect text) RETURNS void
	LANGUAGE sql AS $$INSERT INTO corpus_override VALUES (fn::regprocedure, pos, label, expect)$$;


-- Types: the text and binary input of every base type of the extension,
-- from a valid value to corrupt ones (truncated, trailing garbage, wrong
-- version or kind byte, oversized lengths and counts).  Binary input is
-- read by COPY ... (FORMAT binary) from a file written with lo_export.
CREATE TEMP TABLE corpus_type (typ regtype PRIMARY KEY, valid text NOT NULL);
INSERT INTO corpus_type SELECT t, e FROM (VALUES
	('rfm_state'::regtype, (SELECT e FROM v WHERE k = 'rst')), ('btyd_state', (SELECT e FROM v WHERE k = 'bst')),
	('clv_state', (SELECT e FROM v WHERE k = 'cst')), ('fit_state', 'fit_combine(fit_count_trans(NULL, 1, 2, 3), fit_count_trans(NULL, 0, 0, 9))'),
	('rfm_score', $$'10-3-7/12'$$), ('rfm_breaks', (SELECT e FROM v WHERE k = 'brk')),
	('rfm_breaks_state', (SELECT e FROM v WHERE k = 'brst')), ('rfm_score_state', (SELECT e FROM v WHERE k = 'sst'))) x(t, e);

CREATE FUNCTION pg_temp.recv(typ regtype, b bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	f text := format('/tmp/memval_corpus_%s.bin', pg_backend_pid());
	lo oid;
	r text;
BEGIN
	lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea || '\x0001'::bytea
	                       || int4send(length(b)) || b || '\xffff'::bytea);
	PERFORM lo_export(lo, f);
	PERFORM lo_unlink(lo);
	EXECUTE format('CREATE TEMP TABLE IF NOT EXISTS corpus_recv_%s (v %s)', replace(typ::text, ' ', '_'), typ);
	EXECUTE format('TRUNCATE corpus_recv_%s', replace(typ::text, ' ', '_'));
	EXECUTE format('COPY corpus_recv_%s FROM %L (FORMAT binary)', replace(typ::text, ' ', '_'), f);
	EXECUTE format('SELECT v::text FROM corpus_recv_%s', replace(typ::text, ' ', '_')) INTO r;
	RETURN r;
END
$$;

CREATE FUNCTION pg_temp.type_cases() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t record;
	txt text;
	bin bytea;
	n int;
BEGIN
	FOR t IN SELECT * FROM corpus_type LOOP
		EXECUTE format('SELECT (%s)::%s::text', t.valid, t.typ) INTO txt;
		EXECUTE format('SELECT %I((%s)::%s)', (SELECT typsend FROM pg_type WHERE oid = t.typ)::text, t.valid, t.typ) INTO bin;
		n := length(bin);
		INSERT INTO corpus_extra (label, q, expect) SELECT format('%s text: %s', t.typ, l), format('SELECT %L::%s', m, t.typ), e
		FROM (VALUES ('valid', txt, '=' || txt), ('empty', '', '22P02'), ('half', left(txt, length(txt) / 2), '22P02'),
		             ('last character cut', left(txt, -1), '22P02'), ('trailing garbage', txt || 'x', '22P02'),
		             ('trailing comma', txt || ',', '22P02'), ('doubled', txt || txt, '22P02'),
		             ('digits oversized', regexp_replace(txt, '[0-9]+', '99999999999999999999999999'), '22P02'),
		             ('first number negative', regexp_replace(txt, '([0-9]+)', '-\1'), '22P02'),
		             ('wrong kind', replace(replace(txt, 'numeric', 'decimal'), 'count', 'cnt'), '22P02'),
		             ('NUL-free binary junk', E'\x01\x02\x7f', '22P02')) x(l, m, e);
		INSERT INTO corpus_extra (label, q, expect) SELECT format('%s binary: %s', t.typ, l), format('SELECT pg_temp.recv(%L, %L::bytea)', t.typ, m), e
		FROM (VALUES ('valid', bin, '=' || txt), ('empty', ''::bytea, '22P03'), ('half', substr(bin, 1, n / 2), '22P03'),
		             ('last byte cut', substr(bin, 1, n - 1), '22P03'), ('trailing byte', bin || '\x00'::bytea, '22P03'),
		             ('version 255', set_byte(bin, 0, 255), '22P03'),
		             ('second byte 255', set_byte(bin, 1, 255), '22P03'),
		             ('oversized length', overlay(bin placing '\x7fffffff'::bytea from 2 for 4), '22P03'),
		             ('all bytes 255', decode(repeat('ff', n), 'hex'), '22P03'),
		             ('all bytes 0', decode(repeat('00', n), 'hex'), '22P03')) x(l, m, e);
	END LOOP;
END
$$;
SELECT pg_temp.type_cases();
-- Corrupt forms whose outcome is not the default: 08P01 is the protocol's
-- "insufficient data left in message" / "incorrect binary data format";
-- some mutations leave a valid value (no kind word to change, a byte the
-- format does not read as a version) or hit a range check first.
UPDATE corpus_extra c SET expect = x.e FROM (VALUES
	('btyd_state binary: empty', '08P01'),
	('btyd_state binary: half', '08P01'),
	('btyd_state binary: trailing byte', '08P01'),
	('clv_state binary: empty', '08P01'),
	('clv_state binary: oversized length', '22023'),
	('clv_state binary: second byte 255', 'OK'),
	('clv_state binary: trailing byte', '08P01'),
	('clv_state text: digits oversized', 'OK'),
	('clv_state text: first number negative', '22023'),
	('fit_state binary: empty', '08P01'),
	('fit_state binary: trailing byte', '08P01'),
	('fit_state text: first number negative', 'OK'),
	('rfm_breaks binary: empty', '08P01'),
	('rfm_breaks binary: half', '08P01'),
	('rfm_breaks binary: trailing byte', '08P01'),
	('rfm_breaks text: first number negative', '22003'),
	('rfm_breaks text: wrong kind', 'OK'),
	('rfm_breaks_state binary: empty', '08P01'),
	('rfm_breaks_state binary: half', '08P01'),
	('rfm_breaks_state binary: trailing byte', '08P01'),
	('rfm_breaks_state text: digits oversized', '22003'),
	('rfm_score binary: empty', '08P01'),
	('rfm_score binary: half', '08P01'),
	('rfm_score binary: last byte cut', '08P01'),
	('rfm_score binary: oversized length', '08P01'),
	('rfm_score binary: trailing byte', '08P01'),
	('rfm_score text: last character cut', '22003'),
	('rfm_score text: wrong kind', 'OK'),
	('rfm_score_state binary: empty', '08P01'),
	('rfm_score_state binary: trailing byte', '08P01'),
	('rfm_state binary: empty', '08P01'),
	('rfm_state binary: half', '08P01'),
	('rfm_state binary: trailing byte', '08P01')
) x(l, e) WHERE c.label = x.l;


-- Populations: as_of, unit, lifespan or penalizer differing between the rows
-- of one group; one customer; many customers with one row each.
CREATE TEMP TABLE mixed (ts timestamptz, a numeric, as_of timestamptz, unit interval, pen float8);
INSERT INTO mixed VALUES ('2025-01-01', 10, '2026-01-01', '1 day', 0.1), ('2025-02-01', 20, '2026-01-02', '7 days', 0.2);
INSERT INTO corpus_extra VALUES
	('rfm: mixed as_of', $$SELECT rfm(ts, a, as_of) FROM mixed$$, '22023'),
	('rfm float8: mixed as_of', $$SELECT rfm(ts, a::float8, as_of) FROM mixed$$, '22023'),
	('rfm_partial: mixed as_of', $$SELECT rfm_partial(ts, a, as_of) FROM mixed$$, '22023'),
	('btyd: mixed as_of', $$SELECT btyd(ts, a, as_of) FROM mixed$$, '22023'),
	('btyd: mixed unit', $$SELECT btyd(ts, a, '2026-01-01', unit) FROM mixed$$, '22023'),
	('clv: mixed as_of', $$SELECT clv(ts, a, as_of, '1 year') FROM mixed$$, '22023'),
	('clv: mixed lifespan', $$SELECT clv(ts, a, '2026-01-01', unit) FROM mixed$$, '22023'),
	('rfm_score agg: mixed as_of', $$SELECT rfm_score(ts, a, as_of, rfm_breaks('{7,30}', '{1,2}', '{10,100}')) FROM mixed$$, '22023'),
	('bgnbd_fit: mixed penalizer', $$SELECT bgnbd_fit(x, 1, 10, pen) FROM (VALUES (1, 0.1), (2, 0.2)) v(x, pen)$$, '22023'),
	('gamma_gamma_fit: mixed penalizer', $$SELECT gamma_gamma_fit(x, 10 * x, pen) FROM (VALUES (1, 0.1), (2, 0.2)) v(x, pen)$$, '22023'),
	('rfm_breaks: one customer', $$SELECT n(rfm_breaks(r)) FROM (SELECT rfm('2025-01-01'::timestamptz, 1::numeric, '2026-01-01') r) s$$, '=5'),
	('rfm_score window: one customer', $$SELECT rfm_score(r) OVER () FROM (SELECT rfm('2025-01-01'::timestamptz, 1::numeric, '2026-01-01') r) s$$, '=511'),
	('rfm_score window: no rows', $$SELECT rfm_score(r) OVER () FROM (SELECT rfm('2025-01-01'::timestamptz, 1::numeric, '2026-01-01') r) s WHERE false$$, 'EMPTY'),
	('rfm_score window: NULL summaries only', $$SELECT rfm_score(NULL::rfm) OVER () FROM generate_series(1, 3)$$, 'NULL'),
	('pareto_nbd_fit: 1000 identical customers', $$SELECT pareto_nbd_fit(2, 5, 10) FROM generate_series(1, 1000)$$, 'OK'),
	('gamma_gamma_fit: one customer', $$SELECT gamma_gamma_fit(2, 30)$$, '22000');

-- A clv margin is a fraction in [0, 1] (the 'frac' class: negative and
-- above one are 22023): its edges, a percentage passed by mistake, and the
-- same rule on clv_state's text input.  clv_retention's margin is an amount
-- per period (the 'amount' class), not a fraction.
INSERT INTO corpus_extra VALUES
	('clv scalar: margin 0', $$SELECT clv(50, 4, 3, 0)$$, '=0'),
	('clv scalar: margin 1', $$SELECT clv(50, 4, 3, 1)$$, '=600'),
	('clv scalar: margin 30 (a percentage)', $$SELECT clv(50, 4, 3, 30)$$, '22023'),
	('clv agg: margin 1', $$SELECT clv('2025-01-01'::timestamptz, 10::numeric, '2026-01-01', '1 year', 1)$$, '=10.00'),
	('clv agg: margin 0', $$SELECT clv('2025-01-01'::timestamptz, 10::numeric, '2026-01-01', '1 year', 0)$$, '=0.00'),
	('clv agg: margin 1.0000001', $$SELECT clv('2025-01-01'::timestamptz, 10::float8, '2026-01-01', '1 year', 1.0000001)$$, '22023'),
	('clv_state text: margin above one', $$SELECT '(1,1.5,0,(numeric,820540800000000,789004800000000,789004800000000,1,0,10))'::clv_state$$, '22023'),
	('clv_state text: margin negative', $$SELECT '(1,-0.5,0,(numeric,820540800000000,789004800000000,789004800000000,1,0,10))'::clv_state$$, '22023'),
	('clv_retention: margin 150 (an amount)', $$SELECT clv_retention(150, 0.5, 0)$$, '=150');

-- Same customer, same model: P(alive), churn_risk = 1 - P(alive) and P0(h)
-- (p_no_purchase, finite and infinite h) are all defined or all errors,
-- over models with ordinary and extreme parameters and histories from none
-- to x = 2^53 (the largest x accepted) and t = 1e308.  pg_temp.outcome is
-- defined below, before the cases run.
CREATE TEMP TABLE churn_grid AS
SELECT k, par, hist FROM (VALUES ('bgnbd'), ('mbgnbd'), ('pareto_nbd')) m(k),
	(VALUES ('0.5, 5, 0.5, 5'), ('100, 0.01, 100, 0.01'), ('1e308, 1e308, 1e308, 1e308'),
	        ('1e-300, 1e300, 1e-300, 1e300'), ('1e-300, 1e-300, 1e-300, 1e-300')) p(par),
	(VALUES ('0, 0, 10'), ('2, 5, 10'), ('1e15, 5, 10'), ('9007199254740992, 5, 10'), ('2, 5, 1e308'),
	        ('9007199254740992, 1e308, 1e308'), ('0, 0, 1e-300'), ('1000, 9.99, 10')) h(hist);
INSERT INTO corpus_extra VALUES
	('churn family: p_alive and churn_risk agree (defined or error, churn_risk = 1 - p_alive) on 120 models x histories',
	 $$SELECT count(*) FROM churn_grid,
	   LATERAL (SELECT pg_temp.outcome(format('SELECT p_alive(%s(%s), %s)', k, par, hist)) pa,
	                   pg_temp.outcome(format('SELECT churn_risk(%s(%s), %s)', k, par, hist)) cr) o
	   WHERE (pa LIKE '=%') <> (cr LIKE '=%') OR (pa NOT LIKE '=%' AND pa <> cr)
	      OR (pa LIKE '=%' AND abs(substr(cr, 2)::float8 - (1 - substr(pa, 2)::float8)) > 1e-12)$$, '=0'),
	('churn family: p_no_purchase(h), p_no_purchase(Infinity) defined where p_alive is (ordinary parameters)',
	 $$SELECT count(*) FROM churn_grid,
	   LATERAL (SELECT pg_temp.outcome(format('SELECT p_alive(%s(%s), %s)', k, par, hist)) pa,
	                   pg_temp.outcome(format('SELECT p_no_purchase(%s(%s), 10, %s)', k, par, hist)) p0,
	                   pg_temp.outcome(format($f$SELECT p_no_purchase(%s(%s), 'Infinity', %s)$f$, k, par, hist)) p0inf) o
	   WHERE par IN ('0.5, 5, 0.5, 5', '100, 0.01, 100, 0.01')
	     AND ((pa LIKE '=%') <> (p0 LIKE '=%') OR (pa LIKE '=%') <> (p0inf LIKE '=%'))$$, '=0'),
	('x above 2^53: p_alive', $$SELECT p_alive(bgnbd(0.5, 5, 0.5, 5), 9007199254740994, 5, 10)$$, '22023'),
	('x above 2^53: churn_risk', $$SELECT churn_risk(bgnbd(0.5, 5, 0.5, 5), 9007199254740994, 5, 10)$$, '22023'),
	('x above 2^53: expected_purchases', $$SELECT expected_purchases(bgnbd(0.5, 5, 0.5, 5), 10, 9007199254740994, 5, 10)$$, '22023'),
	('x at 2^53: churn_risk', $$SELECT churn_risk(bgnbd(0.5, 5, 0.5, 5), 9007199254740992, 5, 10)$$, '=1');

-- Observed outcomes that differ from the class default (a NULL row skipped by
-- an aggregate, a value beyond the exact range, a defined result), one line each.
SELECT pg_temp.o('bgnbd_fit(float8,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('bgnbd_fit(float8,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('bgnbd_fit(float8,float8,float8)', 3, '1e308', '22003');
SELECT pg_temp.o('bgnbd_fit(float8,float8,float8)', 3, 'NULL', 'NULL');
SELECT pg_temp.o('bgnbd_fit(float8,float8,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('bgnbd_fit(float8,float8,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('bgnbd_fit(float8,float8,float8,float8)', 3, '1e308', '22003');
SELECT pg_temp.o('bgnbd_fit(float8,float8,float8,float8)', 3, 'NULL', 'NULL');
SELECT pg_temp.o('bgnbd_fit(float8,float8,float8,float8)', 4, '1e308', '22003');
SELECT pg_temp.o('bgnbd_fit_final(fit_state)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('bgnbd_simulate(int,float8,float8,float8,float8,float8,bigint,float8)', 8, '1e308', '22023');
SELECT pg_temp.o('btyd(timestamptz,float8,timestamptz)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamptz,float8,timestamptz)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamptz,float8,timestamptz,interval)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamptz,float8,timestamptz,interval)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamptz,float8,timestamptz,interval)', 4, 'huge', '22023');
SELECT pg_temp.o('btyd(timestamptz,numeric,timestamptz)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamptz,numeric,timestamptz)', 2, '1000 decimals', '22003');
SELECT pg_temp.o('btyd(timestamptz,numeric,timestamptz)', 2, '1000 digits', '22003');
SELECT pg_temp.o('btyd(timestamptz,numeric,timestamptz)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamptz,numeric,timestamptz,interval)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamptz,numeric,timestamptz,interval)', 2, '1000 decimals', '22003');
SELECT pg_temp.o('btyd(timestamptz,numeric,timestamptz,interval)', 2, '1000 digits', '22003');
SELECT pg_temp.o('btyd(timestamptz,numeric,timestamptz,interval)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamptz,numeric,timestamptz,interval)', 4, 'huge', '22023');
SELECT pg_temp.o('btyd_float8_trans(btyd_state,timestamptz,float8,timestamptz,interval)', 5, 'huge', '22023');
SELECT pg_temp.o('btyd_merge(btyd_state)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('btyd_numeric_trans(btyd_state,timestamptz,numeric,timestamptz)', 3, '1000 decimals', '22003');
SELECT pg_temp.o('btyd_numeric_trans(btyd_state,timestamptz,numeric,timestamptz)', 3, '1000 digits', '22003');
SELECT pg_temp.o('btyd_numeric_trans(btyd_state,timestamptz,numeric,timestamptz)', 4, 'highest', '22023');
SELECT pg_temp.o('btyd_numeric_trans(btyd_state,timestamptz,numeric,timestamptz)', 4, 'lowest', '22023');
SELECT pg_temp.o('btyd_numeric_trans(btyd_state,timestamptz,numeric,timestamptz,interval)', 3, '1000 decimals', '22003');
SELECT pg_temp.o('btyd_numeric_trans(btyd_state,timestamptz,numeric,timestamptz,interval)', 3, '1000 digits', '22003');
SELECT pg_temp.o('btyd_numeric_trans(btyd_state,timestamptz,numeric,timestamptz,interval)', 5, 'huge', '22023');
SELECT pg_temp.o('btyd_partial(timestamptz,float8,timestamptz,interval)', 4, 'huge', '22023');
SELECT pg_temp.o('btyd_partial(timestamptz,numeric,timestamptz)', 2, '1000 decimals', '22003');
SELECT pg_temp.o('btyd_partial(timestamptz,numeric,timestamptz)', 2, '1000 digits', '22003');
SELECT pg_temp.o('btyd_partial(timestamptz,numeric,timestamptz,interval)', 2, '1000 decimals', '22003');
SELECT pg_temp.o('btyd_partial(timestamptz,numeric,timestamptz,interval)', 2, '1000 digits', '22003');
SELECT pg_temp.o('btyd_partial(timestamptz,numeric,timestamptz,interval)', 4, 'huge', '22023');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 2, '1e308', '22003');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 2, 'q <= 1', '22003');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 3, 'NULL', 'NULL');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 4, 'NULL', 'NULL');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 5, 'NULL', 'NULL');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 6, '1e308', '22003');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 6, 'zero', 'OK');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 7, 'int max', '22003');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 7, 'negative', '22003');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 8, 'NULL', 'NULL');
SELECT pg_temp.o('clv(bgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 8, 'negative', 'OK');
SELECT pg_temp.o('clv(float8,float8,float8,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('clv(float8,float8,float8,float8,float8)', 2, '1e308', '22003');
SELECT pg_temp.o('clv(float8,float8,float8,float8,float8)', 5, 'negative', 'OK');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 2, '1e308', '22003');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 2, 'q <= 1', '22003');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 3, 'NULL', 'NULL');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 4, 'NULL', 'NULL');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 5, 'NULL', 'NULL');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 6, '1e308', '22003');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 6, 'zero', 'OK');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 7, 'int max', '22003');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 7, 'negative', '22003');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 8, 'NULL', 'NULL');
SELECT pg_temp.o('clv(mbgnbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 8, 'negative', 'OK');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 2, '1e308', '22003');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 2, 'q <= 1', '22003');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 3, 'NULL', 'NULL');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 4, 'NULL', 'NULL');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 5, 'NULL', 'NULL');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 6, '1e308', '22003');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 6, 'zero', 'OK');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 7, 'int max', '22003');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 7, 'negative', '22003');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 8, 'NULL', 'NULL');
SELECT pg_temp.o('clv(pareto_nbd,gamma_gamma,float8,float8,float8,float8,int,float8,float8)', 8, 'negative', 'OK');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval)', 1, 'highest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval)', 2, '-1e308', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval)', 3, 'lowest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval)', 4, 'zero', 'OK');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8)', 1, 'highest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8)', 2, '-1e308', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8)', 3, 'lowest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8)', 4, 'zero', 'OK');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8,float8)', 1, 'highest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8,float8)', 2, '-1e308', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8,float8)', 3, 'lowest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8,float8)', 4, 'zero', 'OK');
SELECT pg_temp.o('clv(timestamptz,float8,timestamptz,interval,float8,float8)', 6, 'negative', 'OK');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval)', 1, 'highest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval)', 2, '-1000 digits', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval)', 3, 'lowest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval)', 4, 'zero', 'OK');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8)', 1, 'highest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8)', 2, '-1000 digits', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8)', 3, 'lowest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8)', 4, 'zero', 'OK');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8,float8)', 1, 'highest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8,float8)', 2, '-1000 digits', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8,float8)', 3, 'lowest', 'NULL');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8,float8)', 4, 'zero', 'OK');
SELECT pg_temp.o('clv(timestamptz,numeric,timestamptz,interval,float8,float8)', 6, 'negative', 'OK');
SELECT pg_temp.o('clv_float8_trans(clv_state,timestamptz,float8,timestamptz,interval)', 5, 'zero', 'OK');
SELECT pg_temp.o('clv_float8_trans(clv_state,timestamptz,float8,timestamptz,interval,float8)', 5, 'zero', 'OK');
SELECT pg_temp.o('clv_float8_trans(clv_state,timestamptz,float8,timestamptz,interval,float8,float8)', 5, 'zero', 'OK');
SELECT pg_temp.o('clv_float8_trans(clv_state,timestamptz,float8,timestamptz,interval,float8,float8)', 7, 'negative', 'OK');
SELECT pg_temp.o('clv_numeric_trans(clv_state,timestamptz,numeric,timestamptz,interval)', 4, 'highest', '22023');
SELECT pg_temp.o('clv_numeric_trans(clv_state,timestamptz,numeric,timestamptz,interval)', 4, 'lowest', '22023');
SELECT pg_temp.o('clv_numeric_trans(clv_state,timestamptz,numeric,timestamptz,interval)', 5, 'huge', '22023');
SELECT pg_temp.o('clv_numeric_trans(clv_state,timestamptz,numeric,timestamptz,interval,float8)', 5, 'zero', 'OK');
SELECT pg_temp.o('clv_numeric_trans(clv_state,timestamptz,numeric,timestamptz,interval,float8,float8)', 5, 'zero', 'OK');
SELECT pg_temp.o('clv_numeric_trans(clv_state,timestamptz,numeric,timestamptz,interval,float8,float8)', 7, 'negative', 'OK');
SELECT pg_temp.o('expected_purchases(bgnbd,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('expected_purchases(bgnbd,float8)', 2, '1e308', '22003');
SELECT pg_temp.o('expected_purchases(bgnbd,float8,float8,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('expected_purchases(bgnbd,float8,float8,float8,float8)', 2, '1e308', '22003');
SELECT pg_temp.o('expected_purchases(mbgnbd,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('expected_purchases(mbgnbd,float8)', 2, '1e308', '22003');
SELECT pg_temp.o('expected_purchases(mbgnbd,float8,float8,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('expected_purchases(mbgnbd,float8,float8,float8,float8)', 2, '1e308', '22003');
SELECT pg_temp.o('expected_purchases(pareto_nbd,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('expected_purchases(pareto_nbd,float8,float8,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('expected_spend(gamma_gamma,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('expected_spend(gamma_gamma,float8,float8)', 1, 'q <= 1', '22003');
SELECT pg_temp.o('expected_spend(gamma_gamma,float8,float8)', 3, 'zero', 'OK');
SELECT pg_temp.o('fit_count_trans(fit_state,float8,float8,float8,float8)', 5, '1e308', 'OK');
SELECT pg_temp.o('fit_spend_trans(fit_state,float8,float8,float8)', 4, '1e308', 'OK');
SELECT pg_temp.o('gamma_gamma_fit(float8,float8)', 1, 'NULL', '22000');
SELECT pg_temp.o('gamma_gamma_fit(float8,float8)', 2, '1e308', '22000');
SELECT pg_temp.o('gamma_gamma_fit(float8,float8)', 2, 'NULL', '22000');
SELECT pg_temp.o('gamma_gamma_fit(float8,float8)', 2, 'negative', '22000');
SELECT pg_temp.o('gamma_gamma_fit(float8,float8)', 2, 'zero', '22000');
SELECT pg_temp.o('gamma_gamma_fit(float8,float8,float8)', 1, 'NULL', '22000');
SELECT pg_temp.o('gamma_gamma_fit(float8,float8,float8)', 2, '1e308', '22000');
SELECT pg_temp.o('gamma_gamma_fit(float8,float8,float8)', 2, 'NULL', '22000');
SELECT pg_temp.o('gamma_gamma_fit(float8,float8,float8)', 2, 'negative', '22000');
SELECT pg_temp.o('gamma_gamma_fit(float8,float8,float8)', 2, 'zero', '22000');
SELECT pg_temp.o('gamma_gamma_fit_final(fit_state)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('gamma_gamma_simulate(float8,float8,float8,float8,bigint,bigint)', 1, '1e308', '22003');
SELECT pg_temp.o('gamma_gamma_simulate(float8,float8,float8,float8,bigint,bigint)', 2, '1e308', '22003');
SELECT pg_temp.o('loglik(bgnbd,float8,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('loglik(gamma_gamma,float8,float8)', 3, 'negative', '22023');
SELECT pg_temp.o('loglik(gamma_gamma,float8,float8)', 3, 'zero', '22023');
SELECT pg_temp.o('loglik(mbgnbd,float8,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('loglik(pareto_nbd,float8,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('mbgnbd_fit(float8,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('mbgnbd_fit(float8,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('mbgnbd_fit(float8,float8,float8)', 3, '1e308', '22003');
SELECT pg_temp.o('mbgnbd_fit(float8,float8,float8)', 3, 'NULL', 'NULL');
SELECT pg_temp.o('mbgnbd_fit(float8,float8,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('mbgnbd_fit(float8,float8,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('mbgnbd_fit(float8,float8,float8,float8)', 3, '1e308', '22003');
SELECT pg_temp.o('mbgnbd_fit(float8,float8,float8,float8)', 3, 'NULL', 'NULL');
SELECT pg_temp.o('mbgnbd_fit(float8,float8,float8,float8)', 4, '1e308', '22003');
SELECT pg_temp.o('mbgnbd_fit_final(fit_state)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('mbgnbd_simulate(int,float8,float8,float8,float8,float8,bigint,float8)', 8, '1e308', '22023');
SELECT pg_temp.o('p_alive(pareto_nbd,float8,float8,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('pareto_nbd_fit(float8,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('pareto_nbd_fit(float8,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('pareto_nbd_fit(float8,float8,float8)', 3, '1e308', '22003');
SELECT pg_temp.o('pareto_nbd_fit(float8,float8,float8)', 3, 'NULL', 'NULL');
SELECT pg_temp.o('pareto_nbd_fit(float8,float8,float8,float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('pareto_nbd_fit(float8,float8,float8,float8)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('pareto_nbd_fit(float8,float8,float8,float8)', 3, '1e308', '22003');
SELECT pg_temp.o('pareto_nbd_fit(float8,float8,float8,float8)', 3, 'NULL', 'NULL');
SELECT pg_temp.o('pareto_nbd_fit(float8,float8,float8,float8)', 4, '1e308', '22003');
SELECT pg_temp.o('pareto_nbd_fit_final(fit_state)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('pareto_nbd_simulate(int,float8,float8,float8,float8,float8,bigint)', 2, '1e308', '22003');
SELECT pg_temp.o('pareto_nbd_simulate(int,float8,float8,float8,float8,float8,bigint)', 3, 'tiny', '22003');
SELECT pg_temp.o('pareto_nbd_simulate(int,float8,float8,float8,float8,float8,bigint,float8)', 2, '1e308', '22003');
SELECT pg_temp.o('pareto_nbd_simulate(int,float8,float8,float8,float8,float8,bigint,float8)', 3, 'tiny', '22003');
SELECT pg_temp.o('pareto_nbd_simulate(int,float8,float8,float8,float8,float8,bigint,float8)', 8, '1e308', '22023');
SELECT pg_temp.o('probability_of_purchases(bgnbd,int,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('probability_of_purchases(bgnbd,int,float8)', 2, 'int max', '22003');
SELECT pg_temp.o('probability_of_purchases(bgnbd,int,float8)', 2, 'negative', '22003');
SELECT pg_temp.o('probability_of_purchases(mbgnbd,int,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('probability_of_purchases(mbgnbd,int,float8)', 2, 'int max', '22003');
SELECT pg_temp.o('probability_of_purchases(mbgnbd,int,float8)', 2, 'negative', '22003');
SELECT pg_temp.o('probability_of_purchases(pareto_nbd,int,float8)', 1, '1e308', '22003');
SELECT pg_temp.o('probability_of_purchases(pareto_nbd,int,float8)', 2, 'int max', '22003');
SELECT pg_temp.o('probability_of_purchases(pareto_nbd,int,float8)', 2, 'large', '22003');
SELECT pg_temp.o('probability_of_purchases(pareto_nbd,int,float8)', 2, 'negative', '22003');
SELECT pg_temp.o('rfm(timestamptz,float8,timestamptz)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm(timestamptz,float8,timestamptz)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('rfm(timestamptz,numeric,timestamptz)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm(timestamptz,numeric,timestamptz)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 1, 'NULL element', '22023');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 1, 'duplicate', 'OK');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 1, 'empty', '22023');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 1, 'two-dimensional', '22023');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 2, 'NULL element', '22023');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 2, 'duplicate', 'OK');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 2, 'empty', '22023');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 2, 'two-dimensional', '22023');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 3, '1000 digits', '22023');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 3, 'NULL element', '22023');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 3, 'duplicate', 'OK');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 3, 'empty', '22023');
SELECT pg_temp.o('rfm_breaks(float8[],float8[],numeric[])', 3, 'two-dimensional', '22023');
SELECT pg_temp.o('rfm_breaks(rfm)', 1, '1000-digit monetary', '22003');
SELECT pg_temp.o('rfm_breaks(rfm)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm)', 1, 'all NULL', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm)', 1, 'negative frequency', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm,int)', 1, '1000-digit monetary', '22003');
SELECT pg_temp.o('rfm_breaks(rfm,int)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm,int)', 1, 'all NULL', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm,int)', 1, 'negative frequency', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm_float8)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm_float8)', 1, 'all NULL', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm_float8)', 1, 'negative frequency', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm_float8,int)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm_float8,int)', 1, 'all NULL', 'NULL');
SELECT pg_temp.o('rfm_breaks(rfm_float8,int)', 1, 'negative frequency', 'NULL');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm)', 1, 'NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm)', 2, '1000-digit monetary', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm)', 2, 'Infinity monetary', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm)', 2, 'NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm)', 2, 'NaN recency', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm)', 2, 'all NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm)', 2, 'negative frequency', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 1, 'NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 2, '1000-digit monetary', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 2, 'Infinity monetary', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 2, 'NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 2, 'NaN recency', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 2, 'all NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 2, 'negative frequency', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 3, '101', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 3, 'NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 3, 'int max', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 3, 'negative', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 3, 'one', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm,int)', 3, 'zero', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8)', 1, 'NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8)', 2, '1e308 monetary', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8)', 2, 'NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8)', 2, 'NaN monetary', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8)', 2, 'NaN recency', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8)', 2, 'all NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8)', 2, 'negative frequency', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 1, 'NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 2, '1e308 monetary', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 2, 'NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 2, 'NaN monetary', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 2, 'NaN recency', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 2, 'all NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 2, 'negative frequency', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 3, '101', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 3, 'NULL', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 3, 'int max', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 3, 'negative', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 3, 'one', '0A000');
SELECT pg_temp.o('rfm_breaks_inv(rfm_breaks_state,rfm_float8,int)', 3, 'zero', '0A000');
SELECT pg_temp.o('rfm_breaks_trans(rfm_breaks_state,rfm)', 2, '1000-digit monetary', '22003');
SELECT pg_temp.o('rfm_breaks_trans(rfm_breaks_state,rfm)', 2, 'NULL', 'OK');
SELECT pg_temp.o('rfm_breaks_trans(rfm_breaks_state,rfm)', 2, 'negative frequency', 'OK');
SELECT pg_temp.o('rfm_breaks_trans(rfm_breaks_state,rfm,int)', 2, '1000-digit monetary', '22003');
SELECT pg_temp.o('rfm_breaks_trans(rfm_breaks_state,rfm,int)', 2, 'NULL', 'OK');
SELECT pg_temp.o('rfm_breaks_trans(rfm_breaks_state,rfm,int)', 2, 'negative frequency', 'OK');
SELECT pg_temp.o('rfm_breaks_trans(rfm_breaks_state,rfm_float8)', 2, 'NULL', 'OK');
SELECT pg_temp.o('rfm_breaks_trans(rfm_breaks_state,rfm_float8)', 2, 'negative frequency', 'OK');
SELECT pg_temp.o('rfm_breaks_trans(rfm_breaks_state,rfm_float8,int)', 2, 'NULL', 'OK');
SELECT pg_temp.o('rfm_breaks_trans(rfm_breaks_state,rfm_float8,int)', 2, 'negative frequency', 'OK');
SELECT pg_temp.o('rfm_merge(rfm_state)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_numeric_trans(rfm_state,timestamptz,numeric,timestamptz)', 4, 'highest', '22023');
SELECT pg_temp.o('rfm_numeric_trans(rfm_state,timestamptz,numeric,timestamptz)', 4, 'lowest', '22023');
SELECT pg_temp.o('rfm_score(rfm,int)', 1, '1000-digit monetary', '22003');
SELECT pg_temp.o('rfm_score(rfm,int)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_score(rfm,int)', 1, 'all NULL', 'NULL');
SELECT pg_temp.o('rfm_score(rfm,int)', 1, 'negative frequency', 'NULL');
SELECT pg_temp.o('rfm_score(rfm,rfm_breaks)', 1, 'all NULL', 'NULL');
SELECT pg_temp.o('rfm_score(rfm,rfm_breaks)', 1, 'negative frequency', 'NULL');
SELECT pg_temp.o('rfm_score(rfm_float8,int)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_score(rfm_float8,int)', 1, 'all NULL', 'NULL');
SELECT pg_temp.o('rfm_score(rfm_float8,int)', 1, 'negative frequency', 'NULL');
SELECT pg_temp.o('rfm_score(rfm_float8,rfm_breaks)', 1, 'all NULL', 'NULL');
SELECT pg_temp.o('rfm_score(rfm_float8,rfm_breaks)', 1, 'negative frequency', 'NULL');
SELECT pg_temp.o('rfm_score(timestamptz,float8,timestamptz,rfm_breaks)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_score(timestamptz,float8,timestamptz,rfm_breaks)', 1, 'highest', 'NULL');
SELECT pg_temp.o('rfm_score(timestamptz,float8,timestamptz,rfm_breaks)', 2, '-1e308', 'NULL');
SELECT pg_temp.o('rfm_score(timestamptz,float8,timestamptz,rfm_breaks)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_score(timestamptz,float8,timestamptz,rfm_breaks)', 3, 'lowest', 'NULL');
SELECT pg_temp.o('rfm_score(timestamptz,numeric,timestamptz,rfm_breaks)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_score(timestamptz,numeric,timestamptz,rfm_breaks)', 1, 'highest', 'NULL');
SELECT pg_temp.o('rfm_score(timestamptz,numeric,timestamptz,rfm_breaks)', 2, '-1000 digits', 'NULL');
SELECT pg_temp.o('rfm_score(timestamptz,numeric,timestamptz,rfm_breaks)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('rfm_score(timestamptz,numeric,timestamptz,rfm_breaks)', 3, 'lowest', 'NULL');
SELECT pg_temp.o('rfm_score_numeric_trans(rfm_score_state,timestamptz,numeric,timestamptz,rfm_breaks)', 4, 'highest', '22023');
SELECT pg_temp.o('rfm_score_numeric_trans(rfm_score_state,timestamptz,numeric,timestamptz,rfm_breaks)', 4, 'lowest', '22023');
SELECT pg_temp.o('tier_of(float8,text,text)', 1, '+Infinity', 'OK');
SELECT pg_temp.o('tier_of(float8,text,text)', 1, '-Infinity', 'OK');
SELECT pg_temp.o('tier_of(float8,text,text)', 2, '100k chars', '42704');
SELECT pg_temp.o('tier_of(float8,text,text)', 2, 'empty', '42704');
SELECT pg_temp.o('tier_of(float8,text,text)', 2, 'quote and backslash', '42704');
SELECT pg_temp.o('tier_of(float8,text,text)', 2, 'unknown', '42704');
SELECT pg_temp.o('tier_of(numeric,numeric[],text[])', 1, '+Infinity', 'OK');
SELECT pg_temp.o('tier_of(numeric,numeric[],text[])', 1, '-Infinity', 'OK');
SELECT pg_temp.o('tier_of(numeric,numeric[],text[])', 2, '1000 digits', '22023');
SELECT pg_temp.o('tier_of(numeric,numeric[],text[])', 2, 'NULL element', '22023');
SELECT pg_temp.o('tier_of(numeric,numeric[],text[])', 2, 'empty', '22023');
SELECT pg_temp.o('tier_of(numeric,numeric[],text[])', 2, 'two-dimensional', '22023');
SELECT pg_temp.o('tier_of(numeric,numeric[],text[])', 3, 'NULL element', '22023');
SELECT pg_temp.o('tier_of(numeric,numeric[],text[])', 3, 'two-dimensional', '22023');
SELECT pg_temp.o('tier_of(numeric,text,text)', 1, '+Infinity', 'OK');
SELECT pg_temp.o('tier_of(numeric,text,text)', 1, '-Infinity', 'OK');
SELECT pg_temp.o('tier_of(numeric,text,text)', 2, '100k chars', '42704');
SELECT pg_temp.o('tier_of(numeric,text,text)', 2, 'empty', '42704');
SELECT pg_temp.o('tier_of(numeric,text,text)', 2, 'quote and backslash', '42704');
SELECT pg_temp.o('tier_of(numeric,text,text)', 2, 'unknown', '42704');
SELECT pg_temp.o('tier_of(rfm_score,text,text)', 2, '100k chars', '42704');
SELECT pg_temp.o('tier_of(rfm_score,text,text)', 2, 'empty', '42704');
SELECT pg_temp.o('tier_of(rfm_score,text,text)', 2, 'quote and backslash', '42704');
SELECT pg_temp.o('tier_of(rfm_score,text,text)', 2, 'unknown', '42704');

-- lifecycle, tier scheme values and btyd's tz forms: observed outcomes that
-- differ from the class default, each checked to be the defined one.
INSERT INTO corpus_override VALUES ('cohort_activity_trans(cohort_activity,timestamptz,numeric,interval)'::regprocedure, 0, '*', '0A000');  -- a transition outside an aggregate
INSERT INTO corpus_override VALUES ('cohort_activity_trans(cohort_activity,timestamptz,numeric,interval,text)'::regprocedure, 0, '*', '0A000');  -- a transition outside an aggregate
INSERT INTO corpus_override VALUES ('cohort_activity_combine(cohort_activity,cohort_activity)'::regprocedure, 0, '*', '0A000');  -- a transition outside an aggregate
INSERT INTO corpus_override VALUES ('cohort_table_trans(cohort_table,cohort_activity)'::regprocedure, 0, '*', '0A000');  -- a transition outside an aggregate
INSERT INTO corpus_override VALUES ('cohort_table_combine(cohort_table,cohort_table)'::regprocedure, 0, '*', '0A000');  -- a transition outside an aggregate
SELECT pg_temp.o('tier_scheme_value(text,text)', 1, 'quote and backslash', '42704');
SELECT pg_temp.o('tier_scheme_value(text,text)', 1, '100k chars', '42704');
SELECT pg_temp.o('tier_scheme_value(text,text)', 1, 'unknown', '42704');
SELECT pg_temp.o('tier_scheme_value(text,text)', 1, 'empty', '42704');
SELECT pg_temp.o('tier_track_scheme(numeric,text,integer,integer,text)', 2, '100k chars', '42704');
SELECT pg_temp.o('tier_track_scheme(numeric,text,integer,integer,text)', 2, 'empty', '42704');
SELECT pg_temp.o('tier_track_scheme(numeric,text,integer,integer,text)', 2, 'quote and backslash', '42704');
SELECT pg_temp.o('tier_track_scheme(numeric,text,integer,integer,text)', 2, 'unknown', '42704');
SELECT pg_temp.o('tier_of(numeric,tier_rules)', 1, '-Infinity', 'OK');
SELECT pg_temp.o('tier_of(numeric,tier_rules)', 1, '+Infinity', 'OK');
SELECT pg_temp.o('tier_of(double precision,tier_rules)', 1, '-Infinity', 'OK');
SELECT pg_temp.o('tier_of(double precision,tier_rules)', 1, '+Infinity', 'OK');
SELECT pg_temp.o('btyd_numeric_trans(btyd_state,timestamp with time zone,numeric,timestamp with time zone,interval,text)', 3, '1000 decimals', '22003');
SELECT pg_temp.o('btyd_numeric_trans(btyd_state,timestamp with time zone,numeric,timestamp with time zone,interval,text)', 3, '1000 digits', '22003');
SELECT pg_temp.o('btyd_numeric_trans(btyd_state,timestamp with time zone,numeric,timestamp with time zone,interval,text)', 5, 'huge', '22023');
SELECT pg_temp.o('btyd_float8_trans(btyd_state,timestamp with time zone,double precision,timestamp with time zone,interval,text)', 5, 'huge', '22023');
SELECT pg_temp.o('btyd(timestamp with time zone,numeric,timestamp with time zone,interval,text)', 2, '1000 decimals', '22003');
SELECT pg_temp.o('btyd(timestamp with time zone,numeric,timestamp with time zone,interval,text)', 2, '1000 digits', '22003');
SELECT pg_temp.o('btyd(timestamp with time zone,numeric,timestamp with time zone,interval,text)', 4, 'huge', '22023');
SELECT pg_temp.o('btyd(timestamp with time zone,double precision,timestamp with time zone,interval,text)', 4, 'huge', '22023');
SELECT pg_temp.o('btyd_partial(timestamp with time zone,numeric,timestamp with time zone,interval,text)', 2, '1000 decimals', '22003');
SELECT pg_temp.o('btyd_partial(timestamp with time zone,numeric,timestamp with time zone,interval,text)', 2, '1000 digits', '22003');
SELECT pg_temp.o('btyd_partial(timestamp with time zone,numeric,timestamp with time zone,interval,text)', 4, 'huge', '22023');
SELECT pg_temp.o('btyd_partial(timestamp with time zone,double precision,timestamp with time zone,interval,text)', 4, 'huge', '22023');
SELECT pg_temp.o('aipl_stage(bigint,bigint,double precision,double precision,text)', 3, 'Infinity', '22023');
SELECT pg_temp.o('aipl_stage(bigint,bigint,double precision,double precision,text)', 4, 'Infinity', '22023');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,numeric,timestamp with time zone)', 1, 'highest', 'NULL');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,numeric,timestamp with time zone)', 2, '1000 decimals', '22003');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,numeric,timestamp with time zone)', 2, '-1000 digits', 'NULL');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,numeric,timestamp with time zone)', 2, '1000 digits', '22003');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,numeric,timestamp with time zone)', 3, 'highest', '22023');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,numeric,timestamp with time zone)', 3, 'lowest', '22023');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,double precision,timestamp with time zone)', 1, 'highest', 'NULL');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,double precision,timestamp with time zone)', 2, '-1e308', 'NULL');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,double precision,timestamp with time zone)', 3, 'highest', '22023');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,double precision,timestamp with time zone)', 3, 'lowest', '22023');
SELECT pg_temp.o('churn_risk(double precision,double precision)', 1, 'Infinity', '22023');
SELECT pg_temp.o('churn_risk(double precision,double precision)', 2, 'Infinity', '22023');
SELECT pg_temp.o('expected_next_purchase(timestamp with time zone,double precision)', 1, 'highest', '22008');
SELECT pg_temp.o('expected_next_purchase(timestamp with time zone,double precision)', 1, 'lowest', '22008');
SELECT pg_temp.o('expected_next_purchase(timestamp with time zone,double precision)', 2, 'Infinity', '22023');
SELECT pg_temp.o('churn_risk(pareto_nbd,double precision,double precision,double precision)', 1, '1e308', '22003');
SELECT pg_temp.o('p_no_purchase(bgnbd,double precision,double precision,double precision,double precision)', 2, 'Infinity', 'OK');
SELECT pg_temp.o('p_no_purchase(mbgnbd,double precision,double precision,double precision,double precision)', 2, 'Infinity', 'OK');
SELECT pg_temp.o('p_no_purchase(pareto_nbd,double precision,double precision,double precision,double precision)', 2, 'Infinity', 'OK');
-- Pareto/NBD: where P(alive) cannot be computed (22003), neither can P0(h)
-- (the likelihood ratio was NaN and read as 1 before).
SELECT pg_temp.o('p_no_purchase(pareto_nbd,double precision,double precision,double precision,double precision)', 1, '1e308', '22003');
SELECT pg_temp.o('next_purchase_within(bgnbd,double precision,double precision,double precision,double precision)', 5, '1e308', 'NULL');
SELECT pg_temp.o('next_purchase_within(mbgnbd,double precision,double precision,double precision,double precision)', 5, '1e308', 'NULL');
SELECT pg_temp.o('next_purchase_within(pareto_nbd,double precision,double precision,double precision,double precision)', 1, '1e308', '22003');
SELECT pg_temp.o('next_purchase_within(pareto_nbd,double precision,double precision,double precision,double precision)', 5, '1e308', 'NULL');
SELECT pg_temp.o('cohort_activity(timestamp with time zone,numeric,interval)', 2, '1000 decimals', '22003');
SELECT pg_temp.o('cohort_activity(timestamp with time zone,numeric,interval)', 2, '-1000 digits', '22003');
SELECT pg_temp.o('cohort_activity(timestamp with time zone,numeric,interval)', 2, '1000 digits', '22003');
SELECT pg_temp.o('cohort_activity(timestamp with time zone,numeric,interval,text)', 2, '1000 decimals', '22003');
SELECT pg_temp.o('cohort_activity(timestamp with time zone,numeric,interval,text)', 2, '-1000 digits', '22003');
SELECT pg_temp.o('cohort_activity(timestamp with time zone,numeric,interval,text)', 2, '1000 digits', '22003');
SELECT pg_temp.o('value_score(double precision,double precision,double precision,double precision,double precision[])', 1, '-Infinity', 'OK');
SELECT pg_temp.o('value_score(double precision,double precision,double precision,double precision,double precision[])', 1, '+Infinity', 'OK');
SELECT pg_temp.o('value_score(double precision,double precision,double precision,double precision,double precision[])', 2, '-Infinity', 'OK');
SELECT pg_temp.o('value_score(double precision,double precision,double precision,double precision,double precision[])', 2, '+Infinity', 'OK');
SELECT pg_temp.o('value_score(double precision,double precision,double precision,double precision,double precision[])', 3, '-Infinity', 'OK');
SELECT pg_temp.o('value_score(double precision,double precision,double precision,double precision,double precision[])', 3, '+Infinity', 'OK');
SELECT pg_temp.o('value_score(double precision,double precision,double precision,double precision,double precision[])', 4, '-Infinity', 'OK');
SELECT pg_temp.o('value_score(double precision,double precision,double precision,double precision,double precision[])', 4, '+Infinity', 'OK');
SELECT pg_temp.o('tier_track(numeric,numeric[],integer,integer)', 2, 'two-dimensional', '22023');
SELECT pg_temp.o('tier_track(numeric,numeric[],integer,integer)', 2, 'NULL element', '22023');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 2, '1000 digits', '22023');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 2, 'two-dimensional', '22023');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 2, 'NULL element', '22023');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 2, 'empty', '22023');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 3, 'two-dimensional', '22023');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 3, 'NULL element', '22023');
SELECT pg_temp.o('btyd(timestamp with time zone,numeric,timestamp with time zone,interval,text)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamp with time zone,numeric,timestamp with time zone,interval,text)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamp with time zone,double precision,timestamp with time zone,interval,text)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('btyd(timestamp with time zone,double precision,timestamp with time zone,interval,text)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('btyd_state_advance(btyd_state,timestamp with time zone,text)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('btyd_state_advance(btyd_state,timestamp with time zone,text)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('aipl_stage(bigint,bigint,double precision,double precision,text)', 5, 'NULL', 'NULL');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,numeric,timestamp with time zone)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,numeric,timestamp with time zone)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,double precision,timestamp with time zone)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('repurchase_cycle(timestamp with time zone,double precision,timestamp with time zone)', 2, 'NULL', 'NULL');
SELECT pg_temp.o('cohort_table(cohort_activity)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('cohort_table(cohort_table)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('tier_track(numeric,numeric[],integer,integer)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('tier_track(numeric,numeric[],integer,integer)', 2, 'NULL', '22004');
SELECT pg_temp.o('tier_track(numeric,numeric[],integer,integer)', 3, 'NULL', '22004');
SELECT pg_temp.o('tier_track(numeric,numeric[],integer,integer)', 4, 'NULL', '22004');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 2, 'NULL', '22004');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 3, 'NULL', '22004');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 4, 'NULL', '22004');
SELECT pg_temp.o('tier_track_label(numeric,numeric[],text[],integer,integer)', 5, 'NULL', '22004');
SELECT pg_temp.o('tier_track_scheme(numeric,text,integer,integer,text)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('tier_track_scheme(numeric,text,integer,integer,text)', 2, 'NULL', '22004');
SELECT pg_temp.o('tier_track_scheme(numeric,text,integer,integer,text)', 3, 'NULL', '22004');
SELECT pg_temp.o('tier_track_scheme(numeric,text,integer,integer,text)', 4, 'NULL', '22004');
SELECT pg_temp.o('tier_track_scheme(numeric,text,integer,integer,text)', 5, 'NULL', '22004');
SELECT pg_temp.o('tier_track_scheme(numeric,tier_rules,integer,integer)', 1, 'NULL', 'NULL');
SELECT pg_temp.o('tier_track_scheme(numeric,tier_rules,integer,integer)', 2, 'NULL', '22004');
SELECT pg_temp.o('tier_track_scheme(numeric,tier_rules,integer,integer)', 3, 'NULL', '22004');
SELECT pg_temp.o('tier_track_scheme(numeric,tier_rules,integer,integer)', 4, 'NULL', '22004');

SELECT pg_temp.o('value_score(float8,float8,float8,float8,float8[])', 1, 'NULL', 'OK');  -- a NULL dimension re-weights the others
SELECT pg_temp.o('value_score(float8,float8,float8,float8,float8[])', 2, 'NULL', 'OK');  -- a NULL dimension re-weights the others
SELECT pg_temp.o('value_score(float8,float8,float8,float8,float8[])', 3, 'NULL', 'OK');  -- a NULL dimension re-weights the others
SELECT pg_temp.o('value_score(float8,float8,float8,float8,float8[])', 4, 'NULL', 'OK');  -- a NULL dimension re-weights the others

-- The generated cases
CREATE TEMP TABLE corpus_case AS
WITH fns AS (
	SELECT c.*, p.proname, p.prokind, p.proisstrict, p.proretset, p.proargtypes::oid[] AS types,
	       coalesce(c.tmpl, CASE WHEN p.proretset THEN format('SELECT count(*) FROM %I(%%s)', p.proname)
	                             WHEN p.prokind = 'w' THEN format('SELECT %I(%%s) OVER ()', p.proname)
	                             ELSE format('SELECT %I(%%s)', p.proname) END) AS q
	FROM corpus_fn c JOIN pg_proc p ON p.oid = c.fn
), args AS (
	SELECT f.*, i, format('(%s)::%s', f.args[i], format_type(f.types[i - 1], NULL)) AS arg
	FROM fns f, generate_subscripts(f.args, 1) i
), arglists AS (
	SELECT fn, array_agg(arg ORDER BY i) AS a FROM args GROUP BY fn
), subst AS (
	-- one bad value at position i, the others valid
	SELECT f.fn, f.q, f.i, l.a, cl.label, cl.val, cl.expect AS dflt, f.types, f.proisstrict, f.prokind
	FROM args f JOIN arglists l USING (fn)
	JOIN corpus_class cl ON cl.class = f.classes[f.i] AND cl.label <> 'NULL'
	UNION ALL
	SELECT f.fn, f.q, f.i, l.a, 'NULL', 'NULL', cl.expect, f.types, f.proisstrict, f.prokind
	FROM args f JOIN arglists l USING (fn)
	LEFT JOIN corpus_class cl ON cl.class = f.classes[f.i] AND cl.label = 'NULL'
)
SELECT format('%s, arg %s: %s', s.fn, s.i, s.label) AS label,
       format(s.q, array_to_string(s.a[:s.i - 1] || format('(%s)::%s', s.val, format_type(s.types[s.i - 1], NULL))
                                   || s.a[s.i + 1:], ', ')) AS q,
       coalesce(o.expect, oa.expect, CASE WHEN s.label = 'NULL' AND s.proisstrict THEN
                               CASE WHEN s.q LIKE 'SELECT count(*) FROM%' THEN '=0' ELSE 'NULL' END
                          END, s.dflt) AS expect
FROM subst s LEFT JOIN corpus_override o ON o.fn = s.fn AND o.pos = s.i AND o.label = s.label
LEFT JOIN corpus_override oa ON oa.fn = s.fn AND oa.pos = 0  -- pos 0: every case of fn
UNION ALL
SELECT format('%s: valid arguments', f.fn), format(f.q, array_to_string(l.a, ', ')), f.valid
FROM fns f JOIN arglists l USING (fn)
UNION ALL
SELECT format('%s: no rows', f.fn), format(f.q, array_to_string(l.a, ', ')) || ' FROM (SELECT) e WHERE false', f.empty
FROM fns f JOIN arglists l USING (fn) WHERE f.prokind = 'a'
UNION ALL
SELECT label, q, expect FROM corpus_extra;

-- The outcome of a query: its SQLSTATE, NULL, EMPTY, or =value (the first
-- column of the first row as text).
CREATE FUNCTION pg_temp.outcome(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r text;
	n bigint;
BEGIN
	EXECUTE q INTO r;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN CASE WHEN n = 0 THEN 'EMPTY' WHEN r IS NULL THEN 'NULL' ELSE '=' || r END;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SELECT plan((SELECT count(*)::int FROM corpus_case) + 2);

SELECT is(CASE WHEN c.expect = 'OK' AND got LIKE '=%' THEN 'OK' ELSE got END,
          c.expect, c.label || ' -- ' || left(c.q, 300))
FROM corpus_case c, LATERAL pg_temp.outcome(c.q) got
ORDER BY c.label;

-- Every function of the extension has its row (type I/O functions are the
-- type corpus's; the trigger function is exercised through tier_scheme).
SELECT is(array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text), NULL,
          'every function of memval is in corpus_fn')
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'memval'
WHERE p.oid NOT IN (SELECT fn FROM corpus_fn)
  AND p.oid NOT IN (SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend]) FROM pg_type t
                    JOIN pg_depend td ON td.classid = 'pg_type'::regclass AND td.objid = t.oid AND td.deptype = 'e'
                    AND td.refobjid = e.oid)
  AND p.prorettype <> 'trigger'::regtype;

SELECT is((SELECT count(*)::int FROM corpus_case WHERE expect IS NULL), 0,
          'every generated case has an expected outcome');

SELECT * FROM finish();
ROLLBACK;
