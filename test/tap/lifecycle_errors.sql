-- Every bad input of the lifecycle functions (SPEC §6) and its SQLSTATE.
SET client_min_messages = warning;
BEGIN;
SELECT plan(89);

SELECT throws_ok($$SELECT aipl_stage(-1, 0, NULL, NULL)$$, '22023', NULL, 'aipl_stage: negative interactions');
SELECT throws_ok($$SELECT aipl_stage(0, -1, NULL, NULL)$$, '22023', NULL, 'aipl_stage: negative purchases');
SELECT throws_ok($$SELECT aipl_stage(0, 2, -0.5, 10)$$, '22023', NULL, 'aipl_stage: negative recency');
SELECT throws_ok($$SELECT aipl_stage(0, 2, 1, 'Infinity')$$, '22023', NULL, 'aipl_stage: infinite cycle');
SELECT throws_ok($$SELECT aipl_stage(0, 2, 'NaN', 1)$$, '22023', NULL, 'aipl_stage: NaN recency');
SELECT throws_ok($$SELECT aipl_stage(0, 0, NULL, NULL, 'EN')$$, '22023', NULL, 'aipl_stage: unknown language');
SELECT throws_ok($$SELECT churn_risk(-1, 10)$$, '22023', NULL, 'churn_risk: negative recency');
SELECT throws_ok($$SELECT churn_risk(1, 0)$$, '22023', NULL, 'churn_risk: zero cycle');
SELECT throws_ok($$SELECT churn_risk(1, 'NaN')$$, '22023', NULL, 'churn_risk: NaN cycle');
SELECT throws_ok($$SELECT churn_risk('Infinity', 1)$$, '22023', NULL, 'churn_risk: infinite recency');
SELECT throws_ok($$SELECT expected_next_purchase('2025-01-01', -1)$$, '22023', NULL, 'expected_next_purchase: negative cycle');
SELECT throws_ok($$SELECT expected_next_purchase('2025-01-01', 'NaN')$$, '22023', NULL, 'expected_next_purchase: NaN cycle');
SELECT throws_ok($$SELECT expected_next_purchase('-infinity', 1)$$, '22008', NULL, 'expected_next_purchase: infinite timestamp');
SELECT throws_ok($$SELECT expected_next_purchase('294276-12-01', 100)$$, '22008', NULL, 'expected_next_purchase: out of range');
SELECT throws_ok($$SELECT churn_stage(1.01)$$, '22023', NULL, 'churn_stage: risk > 1');
SELECT throws_ok($$SELECT churn_stage(-0.1)$$, '22023', NULL, 'churn_stage: risk < 0');
SELECT throws_ok($$SELECT churn_stage('NaN')$$, '22023', NULL, 'churn_stage: NaN risk');
SELECT throws_ok($$SELECT churn_stage(0.5, 'en', 0.9, 0.8)$$, '22023', NULL, 'churn_stage: at_risk > lapsed');
SELECT throws_ok($$SELECT churn_stage(0.5, 'en', 0.5, 1.2)$$, '22023', NULL, 'churn_stage: lapsed > 1');
SELECT throws_ok($$SELECT churn_stage(0.5, 'jp')$$, '22023', NULL, 'churn_stage: unknown language');
SELECT throws_ok($$SELECT p_no_purchase(bgnbd(1, 1, 1, 1), -1, 1, 1, 2)$$, '22023', NULL, 'p_no_purchase: negative horizon');
SELECT throws_ok($$SELECT p_no_purchase(mbgnbd(1, 1, 1, 1), 'NaN', 1, 1, 2)$$, '22023', NULL, 'p_no_purchase: NaN horizon');
SELECT throws_ok($$SELECT p_no_purchase(pareto_nbd(1, 1, 1, 1), 1, 1, 3, 2)$$, '22023', NULL, 'p_no_purchase: t_x > t');
SELECT throws_ok($$SELECT p_no_purchase(bgnbd(1, 1, 1, 1), 1, 0.5, 1, 2)$$, '22023', NULL, 'p_no_purchase: fractional x');
SELECT throws_ok($$SELECT p_no_purchase(bgnbd(1, 1, 1, 1), 1, 0, 1, 2)$$, '22023', NULL, 'p_no_purchase: t_x > 0 with x = 0');
SELECT throws_ok($$SELECT p_no_purchase(bgnbd(1, 1, 1, 1), 1, 1, 1, 'Infinity')$$, '22023', NULL, 'p_no_purchase: infinite t');
SELECT throws_ok($$SELECT next_purchase_within(bgnbd(1, 1, 1, 1), 1.5, 1, 1, 2)$$, '22023', NULL, 'next_purchase_within: p > 1');
SELECT throws_ok($$SELECT next_purchase_within(pareto_nbd(1, 1, 1, 1), 'NaN', 1, 1, 2)$$, '22023', NULL, 'next_purchase_within: NaN p');
SELECT throws_ok($$SELECT next_purchase_within(mbgnbd(1, 1, 1, 1), -0.5, 1, 1, 2)$$, '22023', NULL, 'next_purchase_within: p < 0');
SELECT throws_ok($$SELECT churn_risk(ROW(NULL, 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd, 1, 1, 2)$$, '22004', NULL, 'churn_risk: model with a NULL parameter');
SELECT throws_ok($$SELECT churn_risk(ROW(-1, 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd, 1, 1, 2)$$, '22023', NULL, 'churn_risk: model with a negative parameter');
SELECT throws_ok($$SELECT churn_risk(pareto_nbd(1, 1, 1, 1), -1, 0, 2)$$, '22023', NULL, 'churn_risk: negative x');
SELECT throws_ok($$SELECT cohort_activity(ts, 1, '1 month 1 day') FROM (VALUES (now())) v(ts)$$, '22023', NULL, 'cohort_activity: months and days');
SELECT throws_ok($$SELECT cohort_activity(ts, 1, '-7 days') FROM (VALUES (now())) v(ts)$$, '22023', NULL, 'cohort_activity: negative period');
SELECT throws_ok($$SELECT cohort_activity(ts, 1, '0 seconds') FROM (VALUES (now())) v(ts)$$, '22023', NULL, 'cohort_activity: zero period');
SELECT throws_ok($$SELECT cohort_activity(ts, 1, NULL) FROM (VALUES (now())) v(ts)$$, '22004', NULL, 'cohort_activity: NULL period');
SELECT throws_ok($$SELECT cohort_activity(ts, 1, '1 month', 'Nowhere/Special') FROM (VALUES (now())) v(ts)$$, '22023', NULL, 'cohort_activity: unknown time zone');
SELECT throws_ok($$SELECT cohort_activity(ts, 1, '1 month') FROM (VALUES ('-infinity'::timestamptz)) v(ts)$$, '22008', NULL, 'cohort_activity: infinite order_ts');
SELECT throws_ok($$SELECT cohort_activity(now(), a, '1 month') FROM (VALUES ('Infinity'::numeric)) v(a)$$, '22023', NULL, 'cohort_activity: infinite amount');
SELECT throws_ok($$SELECT cohort_activity(now(), a, '1 month') FROM (VALUES (1e40::numeric), (1e40)) v(a)$$, '22003', NULL, 'cohort_activity: amount beyond 128 bits');
SELECT throws_ok($$SELECT cohort_activity(now(), 1, p) FROM (VALUES ('1 month'::interval), ('2 months')) v(p)$$, '22023', NULL, 'cohort_activity: period changes within a group');
SELECT throws_ok($$SELECT cohort_activity(now(), 1, '1 month', z) FROM (VALUES ('UTC'), ('Asia/Tokyo')) v(z)$$, '22023', NULL, 'cohort_activity: time zone changes within a group');
SELECT throws_ok($$SELECT cohort_table(a) FROM (VALUES ('1,0,1;5:1:1'::cohort_activity), ('3,0,1;5:1:1')) v(a)$$, '22023', NULL, 'cohort_table: different periods');
SELECT throws_ok($$SELECT cohort_table(t) FROM (VALUES ('1,0,1'::cohort_table), ('1,0,2')) v(t)$$, '22023', NULL, 'cohort_table merge: different time zones');
SELECT throws_ok($$SELECT 'garbage'::cohort_activity$$, '22P02', NULL, 'cohort_activity: malformed text');
SELECT throws_ok($$SELECT '1,0,1;5:1'::cohort_activity$$, '22P02', NULL, 'cohort_activity: truncated entry');
SELECT throws_ok($$SELECT '1,0,1;5:1:1;5:1:1'::cohort_activity$$, '22P02', NULL, 'cohort_activity: duplicate period');
SELECT throws_ok($$SELECT '1,0,1;5:-2:1'::cohort_activity$$, '22P02', NULL, 'cohort_activity: negative purchases');
SELECT throws_ok($$SELECT '1,5,1'::cohort_activity$$, '22P02', NULL, 'cohort_activity: months and usecs');
SELECT throws_ok($$SELECT '1,0,99999999999'::cohort_activity$$, '22P02', NULL, 'cohort_activity: zone hash out of range');
SELECT throws_ok($$SELECT '1,0,1;5:0:1:1:0:x'::cohort_table$$, '22P02', NULL, 'cohort_table: malformed revenue');
SELECT throws_ok($$SELECT '1,0,1;5:-2:1:1:0:1'::cohort_table$$, '22P02', NULL, 'cohort_table: k < -1');
SELECT throws_ok($$SELECT '1,0,1;5:-1:1:1:2:1'::cohort_table$$, '22P02', NULL, 'cohort_table: more repeaters than customers');
SELECT throws_ok($$SELECT '1,0,1;5:0:1:1:0:1e40'::cohort_table$$, '22003', NULL, 'cohort_table: revenue beyond 128 bits');
SELECT throws_ok($$SELECT value_score(1, 1, 1, 1, '{1,1,1}') OVER ()$$, '22023', NULL, 'value_score: three weights');
SELECT throws_ok($$SELECT value_score(1, 1, 1, 1, '{1,1,1,1,1}') OVER ()$$, '22023', NULL, 'value_score: five weights');
SELECT throws_ok($$SELECT value_score(1, 1, 1, 1, '{1,1,1,-0.5}') OVER ()$$, '22023', NULL, 'value_score: negative weight');
SELECT throws_ok($$SELECT value_score(1, 1, 1, 1, '{0,0,0,0}') OVER ()$$, '22023', NULL, 'value_score: weights sum to 0');
SELECT throws_ok($$SELECT value_score(1, 1, 1, 1, '{1,NULL,1,1}') OVER ()$$, '22023', NULL, 'value_score: NULL weight');
SELECT throws_ok($$SELECT value_score(1, 1, 1, 1, '{1,Infinity,1,1}') OVER ()$$, '22023', NULL, 'value_score: infinite weight');
SELECT throws_ok($$SELECT value_score(1, 1, 1, 1, NULL) OVER ()$$, '22023', NULL, 'value_score: NULL weights');
SELECT throws_ok($$SELECT value_score(1, 1, 1, 1, '{{1,1},{1,1}}') OVER ()$$, '22023', NULL, 'value_score: 2-D weights');
SELECT throws_ok($$SELECT value_score(1, 'NaN', 1, 1) OVER ()$$, '22023', NULL, 'value_score: NaN dimension');
SELECT throws_ok($$SELECT tier_track(1, '{5,1}') OVER ()$$, '22023', NULL, 'tier_track: descending thresholds');
SELECT throws_ok($$SELECT tier_track(1, '{1,1}') OVER ()$$, '22023', NULL, 'tier_track: equal thresholds');
SELECT throws_ok($$SELECT tier_track(1, '{1,NULL}') OVER ()$$, '22023', NULL, 'tier_track: NULL threshold');
SELECT throws_ok($$SELECT tier_track(1, '{1,NaN}') OVER ()$$, '22023', NULL, 'tier_track: NaN threshold');
SELECT throws_ok($$SELECT tier_track(1, '{{1,2},{3,4}}') OVER ()$$, '22023', NULL, 'tier_track: 2-D thresholds');
SELECT throws_ok($$SELECT tier_track(1, NULL) OVER ()$$, '22004', NULL, 'tier_track: NULL thresholds');
SELECT throws_ok($$SELECT tier_track(1, '{1}', -1) OVER ()$$, '22023', NULL, 'tier_track: negative grace');
SELECT throws_ok($$SELECT tier_track(1, '{1}', NULL) OVER ()$$, '22004', NULL, 'tier_track: NULL grace');
SELECT throws_ok($$SELECT tier_track(1, '{1}', 1, 0) OVER ()$$, '22023', NULL, 'tier_track: max_drop 0');
SELECT throws_ok($$SELECT tier_track('NaN', '{1}') OVER ()$$, '22023', NULL, 'tier_track: NaN value');
SELECT throws_ok($$SELECT tier_track('-Infinity', '{1}') OVER ()$$, '22023', NULL, 'tier_track: infinite value');
SELECT throws_ok($$SELECT tier_track_label(1, '{1}', '{a}') OVER ()$$, '22023', NULL, 'tier_track_label: too few labels');
SELECT throws_ok($$SELECT tier_track_label(1, '{1}', '{a,NULL}') OVER ()$$, '22023', NULL, 'tier_track_label: NULL label');
SELECT throws_ok($$SELECT tier_track_label(1, '{1}', NULL) OVER ()$$, '22004', NULL, 'tier_track_label: NULL labels');

-- tier_track_scheme: a scheme it cannot use
SELECT throws_ok($$SELECT tier_track_scheme(1, 'no_such_scheme') OVER ()$$, '42704', NULL, 'tier_track_scheme: unknown scheme');
SELECT throws_ok($$SELECT tier_track_scheme(1, 'rfm10') OVER ()$$, '22023', NULL, 'tier_track_scheme: a score scheme');
SELECT throws_ok($$SELECT tier_track_scheme(1, (SELECT tier_scheme_value('value4'))) OVER ()$$, '22023', NULL, 'tier_track_scheme: a score scheme value');
SELECT throws_ok($$SELECT tier_track_scheme(1, 'tier4', 1, 1, 'EN') OVER ()$$, '22023', NULL, 'tier_track_scheme: unknown language');
SELECT throws_ok($$SELECT tier_track_scheme(1, 'tier4', -1) OVER ()$$, '22023', NULL, 'tier_track_scheme: negative grace');
SELECT throws_ok($$SELECT tier_track_scheme(1, NULL::tier_rules) OVER ()$$, '22004', NULL, 'tier_track_scheme: NULL scheme value');

-- A stored value of another format version is XX001 for the cohort
-- states and tier_rules as for rfm_state: the bytes of a value (byteacat
-- with an empty bytea is an identity on varlenas), the version byte
-- changed, read back.
CREATE FUNCTION pg_temp.bytes(anyelement, bytea) RETURNS bytea LANGUAGE internal IMMUTABLE STRICT AS 'byteacat';
CREATE FUNCTION pg_temp.as_rfm(bytea, bytea) RETURNS rfm_state LANGUAGE internal IMMUTABLE STRICT AS 'byteacat';
CREATE FUNCTION pg_temp.as_act(bytea, bytea) RETURNS cohort_activity LANGUAGE internal IMMUTABLE STRICT AS 'byteacat';
CREATE FUNCTION pg_temp.as_tab(bytea, bytea) RETURNS cohort_table LANGUAGE internal IMMUTABLE STRICT AS 'byteacat';
CREATE FUNCTION pg_temp.as_rules(bytea, bytea) RETURNS tier_rules LANGUAGE internal IMMUTABLE STRICT AS 'byteacat';
CREATE TEMP TABLE v AS SELECT
	(SELECT rfm_partial(ts, 10::numeric, '2026-01-01') FROM (VALUES ('2025-01-01'::timestamptz)) o(ts)) AS r,
	(SELECT cohort_activity(ts, 10::numeric, '1 month') FROM (VALUES ('2025-01-01'::timestamptz)) o(ts)) AS a,
	(SELECT cohort_table(a) FROM (SELECT cohort_activity(ts, 10::numeric, '1 month') a FROM (VALUES ('2025-01-01'::timestamptz)) o(ts)) s) AS t,
	tier_scheme_value('tier4') AS tr;
SELECT throws_ok($$SELECT pg_temp.as_rfm(set_byte(pg_temp.bytes(r, ''), 0, 9), '')::text FROM v$$, 'XX001', NULL, 'rfm_state: stored version 9');
SELECT throws_ok($$SELECT pg_temp.as_act(set_byte(pg_temp.bytes(a, ''), 24, 9), '')::text FROM v$$, 'XX001', NULL, 'cohort_activity: stored version 9');
SELECT throws_ok($$SELECT pg_temp.as_tab(set_byte(pg_temp.bytes(t, ''), 24, 9), '')::text FROM v$$, 'XX001', NULL, 'cohort_table: stored version 9');
SELECT throws_ok($$SELECT * FROM cohort_retention((SELECT pg_temp.as_tab(set_byte(pg_temp.bytes(t, ''), 24, 0), '') FROM v))$$, 'XX001', NULL, 'cohort_retention: stored version 0');
SELECT throws_ok($$SELECT pg_temp.as_rules(set_byte(pg_temp.bytes(tr, ''), 0, 9), '')::text FROM v$$, 'XX001', NULL, 'tier_rules: stored version 9');
SELECT is((SELECT pg_temp.as_act(pg_temp.bytes(a, ''), '')::text = a::text FROM v), true, 'cohort_activity: the unchanged bytes read back');

SELECT * FROM finish();
ROLLBACK;
