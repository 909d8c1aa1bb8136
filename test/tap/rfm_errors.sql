-- rfm(): the SQLSTATE of every bad input, and the defined result of odd ones.
BEGIN;
SELECT plan(30);

-- amounts: NaN and infinities are 22023, numeric and float8, before and after as_of
SELECT throws_ok($$SELECT rfm('2025-01-01'::timestamptz, 'NaN'::numeric, '2026-01-01')$$,
                 '22023', 'amount must be finite, got NaN', 'numeric NaN');
SELECT throws_ok($$SELECT rfm('2025-01-01'::timestamptz, 'Infinity'::numeric, '2026-01-01')$$,
                 '22023', NULL, 'numeric +Infinity');
SELECT throws_ok($$SELECT rfm('2025-01-01'::timestamptz, '-Infinity'::numeric, '2026-01-01')$$,
                 '22023', NULL, 'numeric -Infinity');
SELECT throws_ok($$SELECT rfm('2027-01-01'::timestamptz, 'NaN'::numeric, '2026-01-01')$$,
                 '22023', NULL, 'numeric NaN after as_of is still an error');
SELECT throws_ok($$SELECT rfm('2025-01-01'::timestamptz, 'NaN'::float8, '2026-01-01')$$,
                 '22023', NULL, 'float8 NaN');
SELECT throws_ok($$SELECT rfm('2025-01-01'::timestamptz, 'Infinity'::float8, '2026-01-01')$$,
                 '22023', NULL, 'float8 +Infinity');
SELECT throws_ok($$SELECT rfm('2027-01-01'::timestamptz, '-Infinity'::float8, '2026-01-01')$$,
                 '22023', NULL, 'float8 -Infinity after as_of is still an error');
-- timestamps: infinities are 22008
SELECT throws_ok($$SELECT rfm('infinity'::timestamptz, 1::numeric, '2026-01-01')$$,
                 '22008', 'order_ts must be a finite timestamp', 'order_ts infinity');
SELECT throws_ok($$SELECT rfm('-infinity'::timestamptz, 1::float8, '2026-01-01')$$,
                 '22008', NULL, 'order_ts -infinity');
SELECT throws_ok($$SELECT rfm('2025-01-01'::timestamptz, 1::numeric, 'infinity')$$,
                 '22008', 'as_of must be a finite timestamp', 'as_of infinity');
-- as_of: NULL is 22004, differing within a group is 22023
SELECT throws_ok($$SELECT rfm('2025-01-01'::timestamptz, 1::numeric, NULL)$$,
                 '22004', 'as_of must not be null', 'NULL as_of');
SELECT throws_ok($$SELECT rfm(ts, 1::numeric, a) FROM (VALUES
                   ('2025-01-01'::timestamptz, '2026-01-01'::timestamptz),
                   ('2025-01-01', '2026-01-02')) v(ts, a)$$,
                 '22023', 'as_of differs within one group', 'two as_of in one group');
SELECT throws_ok($$SELECT rfm_combine(rfm_numeric_trans(NULL, '2025-01-01', 1, '2026-01-01'),
                                      rfm_numeric_trans(NULL, '2025-01-01', 1, '2026-01-02'))$$,
                 '22023', 'as_of differs within one group', 'combining two as_of');
-- A constant as_of is checked once per group, not per row (rfm_as_of_fixed):
-- only when every group starts without an as_of.  An aggregate whose
-- INITCOND carries another as_of must still see the mismatch on every row.
CREATE AGGREGATE rfm_from_2025(timestamptz, numeric, timestamptz) (
    SFUNC = rfm_numeric_trans, STYPE = rfm_state, FINALFUNC = rfm_numeric_final,
    INITCOND = '(numeric,789004800000000,,,0,0,0)');
SELECT throws_ok($$SELECT rfm_from_2025(ts, 1::numeric, '2026-01-01') FROM (VALUES
                   ('2024-01-01'::timestamptz), ('2024-06-01')) v(ts)$$,
                 '22023', 'as_of differs within one group', 'INITCOND with another as_of, constant as_of');
SELECT is((SELECT (rfm_from_2025(ts, 1::numeric, '2025-01-01 00:00:00+00')).frequency FROM (VALUES
            ('2024-01-01'::timestamptz), ('2024-06-01'), ('2025-06-01')) v(ts)),
          2::bigint, 'INITCOND with the same as_of');
-- as_of as an external parameter (generic plan) and as a column give the
-- result of the literal; a window aggregate takes the per-row check too
PREPARE rfm_at(timestamptz) AS
    SELECT rfm(ts, a, $1) FROM (VALUES ('2025-01-01'::timestamptz, 10::numeric),
                                       ('2025-03-01', -2), ('2025-05-01', 5), ('2026-05-01', 7)) v(ts, a);
SET LOCAL plan_cache_mode = force_generic_plan;
SELECT results_eq($$EXECUTE rfm_at('2026-01-01')$$,
                  $$SELECT rfm(ts, a, '2026-01-01') FROM (VALUES ('2025-01-01'::timestamptz, 10::numeric),
                      ('2025-03-01', -2), ('2025-05-01', 5), ('2026-05-01', 7)) v(ts, a)$$,
                  'as_of as a parameter of a generic plan = as a literal');
SELECT results_eq($$EXECUTE rfm_at('2025-04-01')$$,
                  $$SELECT rfm(ts, a, '2025-04-01') FROM (VALUES ('2025-01-01'::timestamptz, 10::numeric),
                      ('2025-03-01', -2), ('2025-05-01', 5), ('2026-05-01', 7)) v(ts, a)$$,
                  'the same prepared statement with another as_of');
SELECT results_eq($$SELECT g, rfm(ts, 1::numeric, a) FROM (VALUES
                      (1, '2025-01-01'::timestamptz, '2026-01-01'::timestamptz), (1, '2025-02-01', '2026-01-01'),
                      (2, '2025-01-01', '2025-01-15'), (2, '2025-02-01', '2025-01-15')) v(g, ts, a)
                    GROUP BY g ORDER BY g$$,
                  $$VALUES (1, rfm_numeric_final(rfm_numeric_trans(rfm_numeric_trans(NULL, '2025-01-01', 1, '2026-01-01'),
                                                                    '2025-02-01', 1, '2026-01-01'))),
                           (2, rfm_numeric_final(rfm_numeric_trans(rfm_numeric_trans(NULL, '2025-01-01', 1, '2025-01-15'),
                                                                    '2025-02-01', 1, '2025-01-15')))$$,
                  'as_of from a column, one per group');
-- a stable expression (now()) is fixed too; a volatile one is checked per row
SELECT is((SELECT rfm(ts, a, now() + interval '1 year') FROM (VALUES ('2025-01-01'::timestamptz, 10::numeric),
             ('2025-03-01', -2), (now() + interval '2 years', 7)) v(ts, a)),
          (SELECT rfm(ts, a, x) FROM (VALUES ('2025-01-01'::timestamptz, 10::numeric),
             ('2025-03-01', -2), (now() + interval '2 years', 7)) v(ts, a),
             (SELECT now() + interval '1 year' AS x OFFSET 0) n),
          'as_of from now(): the same as from a column holding its value');
CREATE TEMP SEQUENCE as_of_seq;
SELECT throws_ok($$SELECT rfm(ts, 1::numeric, '2026-01-01'::timestamptz + nextval('as_of_seq') * interval '1 second')
                   FROM (VALUES ('2025-01-01'::timestamptz), ('2025-02-01')) v(ts)$$,
                 '22023', 'as_of differs within one group', 'a volatile as_of is checked on every row');
SELECT throws_ok($$SELECT rfm(ts, 1::numeric, a) OVER (ORDER BY ts) FROM (VALUES
                   ('2025-01-01'::timestamptz, '2026-01-01'::timestamptz), ('2025-02-01', '2026-01-02')) v(ts, a)$$,
                 '22023', 'as_of differs within one group', 'window aggregate: two as_of in one frame');

-- float8 sum overflow is 22003
SELECT throws_ok($$SELECT rfm(ts, a, '2026-01-01') FROM (VALUES
                   ('2025-01-01'::timestamptz, 1e308::float8), ('2025-01-02', 1e308)) v(ts, a)$$,
                 '22003', NULL, 'float8 sum overflow');
-- the state type: malformed text is 22P02, bad binary 22P03, kind mismatch 22023
SELECT throws_ok($$SELECT 'garbage'::rfm_state$$, '22P02', NULL, 'state text: garbage');
SELECT throws_ok($$SELECT '(numeric,1,,,x,0,5)'::rfm_state$$, '22P02', NULL, 'state text: non-integer count');
SELECT throws_ok($$SELECT '(numeric,1,2,3,1,0)'::rfm_state$$, '22P02', NULL, 'state text: missing field');
SELECT throws_ok($$SELECT '(numeric,1,2,3,1,0,5,6)'::rfm_state$$, '22P02', NULL, 'state text: extra field');
SELECT throws_ok($$SELECT rfm_float8_final('(numeric,,,,0,0,0)')$$, '22023',
                 'rfm_state holds numeric amounts, expected float8', 'final of the other kind');
SELECT throws_ok($$SELECT rfm_combine('(numeric,,,,0,0,0)', '(float8,,,,0,0,0)')$$, '22023',
                 NULL, 'combining numeric and float8 states');

-- defined results: NULL rows are skipped; only-NULL groups give NULL
SELECT is((SELECT rfm(ts, a, '2026-01-01') FROM (VALUES (NULL::timestamptz, 1::numeric),
           ('2025-01-01', NULL)) v(ts, a)), NULL::rfm, 'a group of NULL rows gives NULL');
SELECT is((SELECT (rfm(ts, a, NULL)).frequency FROM (VALUES (NULL::timestamptz, 1::numeric)) v(ts, a)),
          NULL::bigint, 'a skipped row does not need as_of');

SELECT * FROM finish();
ROLLBACK;
