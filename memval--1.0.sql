-- memval--1.0.sql: install script of the memval extension.
-- Sections: rfm (summary), then one section per model.

\echo Use "CREATE EXTENSION memval" to load this file. \quit

------------------------------------------------------------------------
-- rfm: the RFM summary aggregate (SPEC §2) and its state type (SPEC §7)
------------------------------------------------------------------------

CREATE TYPE rfm_state;

CREATE FUNCTION rfm_state_in(cstring) RETURNS rfm_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_state_out(rfm_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_state_recv(internal) RETURNS rfm_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_state_send(rfm_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rfm_state (
	INPUT = rfm_state_in,
	OUTPUT = rfm_state_out,
	RECEIVE = rfm_state_recv,
	SEND = rfm_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE rfm_state IS
	'transition state of rfm(): as_of, first and last purchase, counts and the exact net amount';

CREATE TYPE rfm AS (
	recency        float8,
	frequency      bigint,
	monetary       numeric,
	avg_value      numeric,
	first_purchase timestamptz,
	last_purchase  timestamptz,
	tenure         float8,
	refunds        bigint
);

COMMENT ON TYPE rfm IS
	'RFM summary of one customer (numeric amounts): recency and tenure in days, purchases, net amount';

CREATE TYPE rfm_float8 AS (
	recency        float8,
	frequency      bigint,
	monetary       float8,
	avg_value      float8,
	first_purchase timestamptz,
	last_purchase  timestamptz,
	tenure         float8,
	refunds        bigint
);

COMMENT ON TYPE rfm_float8 IS
	'RFM summary of one customer (float8 amounts): recency and tenure in days, purchases, net amount';

CREATE FUNCTION rfm_numeric_trans(rfm_state, timestamptz, numeric, timestamptz)
	RETURNS rfm_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_float8_trans(rfm_state, timestamptz, float8, timestamptz)
	RETURNS rfm_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_combine(rfm_state, rfm_state) RETURNS rfm_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_numeric_final(rfm_state) RETURNS rfm
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_float8_final(rfm_state) RETURNS rfm_float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION rfm_state_in(cstring) IS 'text input of rfm_state';
COMMENT ON FUNCTION rfm_state_out(rfm_state) IS 'text output of rfm_state (exact)';
COMMENT ON FUNCTION rfm_state_recv(internal) IS 'binary input of rfm_state';
COMMENT ON FUNCTION rfm_state_send(rfm_state) IS 'binary output of rfm_state';
COMMENT ON FUNCTION rfm_numeric_trans(rfm_state, timestamptz, numeric, timestamptz) IS
	'transition function of rfm(timestamptz, numeric, timestamptz)';
COMMENT ON FUNCTION rfm_float8_trans(rfm_state, timestamptz, float8, timestamptz) IS
	'transition function of rfm(timestamptz, float8, timestamptz)';
COMMENT ON FUNCTION rfm_combine(rfm_state, rfm_state) IS
	'merges two partial rfm states of one group (parallel query, Citus, incremental refresh)';
COMMENT ON FUNCTION rfm_numeric_final(rfm_state) IS
	'the rfm row of a numeric rfm state (NULL when the group had no row to evaluate)';
COMMENT ON FUNCTION rfm_float8_final(rfm_state) IS
	'the rfm_float8 row of a float8 rfm state (NULL when the group had no row to evaluate)';

CREATE AGGREGATE rfm(order_ts timestamptz, amount numeric, as_of timestamptz) (
	SFUNC = rfm_numeric_trans,
	STYPE = rfm_state,
	FINALFUNC = rfm_numeric_final,
	COMBINEFUNC = rfm_combine,
	INITCOND = '(numeric,,,,0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE rfm(order_ts timestamptz, amount float8, as_of timestamptz) (
	SFUNC = rfm_float8_trans,
	STYPE = rfm_state,
	FINALFUNC = rfm_float8_final,
	COMBINEFUNC = rfm_combine,
	INITCOND = '(float8,,,,0,0,0)',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rfm(timestamptz, numeric, timestamptz) IS
	'RFM summary of a customer''s orders as of an instant: recency, frequency, monetary (exact), avg_value, first/last purchase, tenure, refunds';
COMMENT ON AGGREGATE rfm(timestamptz, float8, timestamptz) IS
	'RFM summary of a customer''s orders (float8 amounts) as of an instant';

------------------------------------------------------------------------
-- scoring: RFM scores, exact mergeable breakpoints (SPEC §3)
------------------------------------------------------------------------

-- rfm_score: an RFM cell with its scale n (4 bytes, pass by value)
CREATE TYPE rfm_score;

CREATE FUNCTION rfm_score_in(cstring) RETURNS rfm_score
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_out(rfm_score) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_recv(internal) RETURNS rfm_score
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_send(rfm_score) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rfm_score (
	INPUT = rfm_score_in,
	OUTPUT = rfm_score_out,
	RECEIVE = rfm_score_recv,
	SEND = rfm_score_send,
	INTERNALLENGTH = 4,
	PASSEDBYVALUE,
	ALIGNMENT = int4,
	STORAGE = plain
);

COMMENT ON TYPE rfm_score IS
	'RFM score cell with its scale n: ''543'' (n = 5), ''332/3'', ''10-3-7/12''';
COMMENT ON FUNCTION rfm_score_in(cstring) IS 'text input of rfm_score';
COMMENT ON FUNCTION rfm_score_out(rfm_score) IS 'text output of rfm_score';
COMMENT ON FUNCTION rfm_score_recv(internal) IS 'binary input of rfm_score';
COMMENT ON FUNCTION rfm_score_send(rfm_score) IS 'binary output of rfm_score';

CREATE FUNCTION rfm_score(r int, f int, m int, n int DEFAULT 5) RETURNS rfm_score
	AS 'MODULE_PATHNAME', 'rfm_score_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION r(s rfm_score) RETURNS int
	AS 'MODULE_PATHNAME', 'rfm_score_r' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION f(s rfm_score) RETURNS int
	AS 'MODULE_PATHNAME', 'rfm_score_f' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION m(s rfm_score) RETURNS int
	AS 'MODULE_PATHNAME', 'rfm_score_m' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION n(s rfm_score) RETURNS int
	AS 'MODULE_PATHNAME', 'rfm_score_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_parts(s rfm_score, OUT r int, OUT f int, OUT m int, OUT n int)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION rfm_score(int, int, int, int) IS 'builds an rfm_score from its parts R, F, M and scale n';
COMMENT ON FUNCTION r(rfm_score) IS 'R (recency) part of an rfm_score, 1..n';
COMMENT ON FUNCTION f(rfm_score) IS 'F (frequency) part of an rfm_score, 1..n';
COMMENT ON FUNCTION m(rfm_score) IS 'M (monetary) part of an rfm_score, 1..n';
COMMENT ON FUNCTION n(rfm_score) IS 'scale n of an rfm_score';
COMMENT ON FUNCTION rfm_score_parts(rfm_score) IS
	'the parts of an rfm_score as columns: (rfm_score_parts(s)).* gives r, f, m, n';

CREATE FUNCTION rfm_score_eq(rfm_score, rfm_score) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_score_ne(rfm_score, rfm_score) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_score_lt(rfm_score, rfm_score) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_score_le(rfm_score, rfm_score) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_score_gt(rfm_score, rfm_score) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_score_ge(rfm_score, rfm_score) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_score_cmp(rfm_score, rfm_score) RETURNS int
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_score_hash(rfm_score) RETURNS int
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_score_hash_extended(rfm_score, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION rfm_score_eq(rfm_score, rfm_score) IS 'implementation of = for rfm_score';
COMMENT ON FUNCTION rfm_score_ne(rfm_score, rfm_score) IS 'implementation of <> for rfm_score';
COMMENT ON FUNCTION rfm_score_lt(rfm_score, rfm_score) IS 'implementation of < for rfm_score';
COMMENT ON FUNCTION rfm_score_le(rfm_score, rfm_score) IS 'implementation of <= for rfm_score';
COMMENT ON FUNCTION rfm_score_gt(rfm_score, rfm_score) IS 'implementation of > for rfm_score';
COMMENT ON FUNCTION rfm_score_ge(rfm_score, rfm_score) IS 'implementation of >= for rfm_score';
COMMENT ON FUNCTION rfm_score_cmp(rfm_score, rfm_score) IS 'btree comparison of rfm_score: by n, then R, F, M';
COMMENT ON FUNCTION rfm_score_hash(rfm_score) IS 'hash of rfm_score';
COMMENT ON FUNCTION rfm_score_hash_extended(rfm_score, bigint) IS 'seeded hash of rfm_score';

CREATE OPERATOR = (
	LEFTARG = rfm_score, RIGHTARG = rfm_score, PROCEDURE = rfm_score_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR <> (
	LEFTARG = rfm_score, RIGHTARG = rfm_score, PROCEDURE = rfm_score_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
	LEFTARG = rfm_score, RIGHTARG = rfm_score, PROCEDURE = rfm_score_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
	LEFTARG = rfm_score, RIGHTARG = rfm_score, PROCEDURE = rfm_score_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
	LEFTARG = rfm_score, RIGHTARG = rfm_score, PROCEDURE = rfm_score_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
	LEFTARG = rfm_score, RIGHTARG = rfm_score, PROCEDURE = rfm_score_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS rfm_score_ops DEFAULT FOR TYPE rfm_score USING btree AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 rfm_score_cmp(rfm_score, rfm_score);

CREATE OPERATOR CLASS rfm_score_hash_ops DEFAULT FOR TYPE rfm_score USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 rfm_score_hash(rfm_score),
	FUNCTION 2 rfm_score_hash_extended(rfm_score, bigint);

COMMENT ON OPERATOR = (rfm_score, rfm_score) IS 'equal rfm scores (same n, R, F, M)';
COMMENT ON OPERATOR <> (rfm_score, rfm_score) IS 'different rfm scores';
COMMENT ON OPERATOR < (rfm_score, rfm_score) IS 'less than, ordering by n, then R, F, M';
COMMENT ON OPERATOR <= (rfm_score, rfm_score) IS 'less than or equal, ordering by n, then R, F, M';
COMMENT ON OPERATOR > (rfm_score, rfm_score) IS 'greater than, ordering by n, then R, F, M';
COMMENT ON OPERATOR >= (rfm_score, rfm_score) IS 'greater than or equal, ordering by n, then R, F, M';
COMMENT ON OPERATOR CLASS rfm_score_ops USING btree IS 'btree operator class of rfm_score (ORDER BY, GROUP BY, indexes)';
COMMENT ON OPERATOR CLASS rfm_score_hash_ops USING hash IS 'hash operator class of rfm_score (hash joins and aggregation)';

-- rfm_breaks: n and the n - 1 breakpoints of each axis
CREATE TYPE rfm_breaks;

CREATE FUNCTION rfm_breaks_in(cstring) RETURNS rfm_breaks
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_out(rfm_breaks) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_recv(internal) RETURNS rfm_breaks
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_send(rfm_breaks) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rfm_breaks (
	INPUT = rfm_breaks_in,
	OUTPUT = rfm_breaks_out,
	RECEIVE = rfm_breaks_recv,
	SEND = rfm_breaks_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE rfm_breaks IS
	'RFM score breakpoints: scale n and n - 1 breakpoints per axis (recency days, frequency, monetary)';
COMMENT ON FUNCTION rfm_breaks_in(cstring) IS 'text input of rfm_breaks';
COMMENT ON FUNCTION rfm_breaks_out(rfm_breaks) IS 'text output of rfm_breaks (exact)';
COMMENT ON FUNCTION rfm_breaks_recv(internal) IS 'binary input of rfm_breaks';
COMMENT ON FUNCTION rfm_breaks_send(rfm_breaks) IS 'binary output of rfm_breaks';

CREATE FUNCTION rfm_breaks(recency float8[], frequency float8[], monetary numeric[])
	RETURNS rfm_breaks
	AS 'MODULE_PATHNAME', 'rfm_breaks_custom' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION n(b rfm_breaks) RETURNS int
	AS 'MODULE_PATHNAME', 'rfm_breaks_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION recency_breaks(b rfm_breaks) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'rfm_breaks_recency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION frequency_breaks(b rfm_breaks) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'rfm_breaks_frequency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION monetary_breaks(b rfm_breaks) RETURNS numeric[]
	AS 'MODULE_PATHNAME', 'rfm_breaks_monetary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION rfm_breaks(float8[], float8[], numeric[]) IS
	'custom score intervals: n - 1 ascending finite breakpoints per axis (recency in days)';
COMMENT ON FUNCTION n(rfm_breaks) IS 'scale n of rfm_breaks';
COMMENT ON FUNCTION recency_breaks(rfm_breaks) IS 'the n - 1 recency breakpoints (days)';
COMMENT ON FUNCTION frequency_breaks(rfm_breaks) IS 'the n - 1 frequency breakpoints';
COMMENT ON FUNCTION monetary_breaks(rfm_breaks) IS 'the n - 1 monetary breakpoints (exact)';

-- rfm_breaks_state: exact histograms of a population (aggregate state)
CREATE TYPE rfm_breaks_state;

CREATE FUNCTION rfm_breaks_state_in(cstring) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_state_out(rfm_breaks_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_state_recv(internal) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_state_send(rfm_breaks_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rfm_breaks_state (
	INPUT = rfm_breaks_state_in,
	OUTPUT = rfm_breaks_state_out,
	RECEIVE = rfm_breaks_state_recv,
	SEND = rfm_breaks_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE rfm_breaks_state IS
	'transition state of rfm_breaks(): scale n and exact value:count histograms of recency, frequency, monetary';
COMMENT ON FUNCTION rfm_breaks_state_in(cstring) IS 'text input of rfm_breaks_state';
COMMENT ON FUNCTION rfm_breaks_state_out(rfm_breaks_state) IS 'text output of rfm_breaks_state (exact)';
COMMENT ON FUNCTION rfm_breaks_state_recv(internal) IS 'binary input of rfm_breaks_state';
COMMENT ON FUNCTION rfm_breaks_state_send(rfm_breaks_state) IS 'binary output of rfm_breaks_state';

CREATE FUNCTION rfm_breaks_trans(rfm_breaks_state, rfm, int) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_trans(rfm_breaks_state, rfm_float8, int) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_trans(rfm_breaks_state, rfm) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_trans(rfm_breaks_state, rfm_float8) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_inv(rfm_breaks_state, rfm, int) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_inv(rfm_breaks_state, rfm_float8, int) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_inv(rfm_breaks_state, rfm) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_inv(rfm_breaks_state, rfm_float8) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_combine(rfm_breaks_state, rfm_breaks_state) RETURNS rfm_breaks_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_final(rfm_breaks_state) RETURNS rfm_breaks
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION rfm_breaks_trans(rfm_breaks_state, rfm, int) IS 'transition function of rfm_breaks(rfm, int)';
COMMENT ON FUNCTION rfm_breaks_trans(rfm_breaks_state, rfm_float8, int) IS 'transition function of rfm_breaks(rfm_float8, int)';
COMMENT ON FUNCTION rfm_breaks_trans(rfm_breaks_state, rfm) IS 'transition function of rfm_breaks(rfm)';
COMMENT ON FUNCTION rfm_breaks_trans(rfm_breaks_state, rfm_float8) IS 'transition function of rfm_breaks(rfm_float8)';
COMMENT ON FUNCTION rfm_breaks_inv(rfm_breaks_state, rfm, int) IS 'inverse transition of rfm_breaks(rfm, int) (moving windows)';
COMMENT ON FUNCTION rfm_breaks_inv(rfm_breaks_state, rfm_float8, int) IS 'inverse transition of rfm_breaks(rfm_float8, int) (moving windows)';
COMMENT ON FUNCTION rfm_breaks_inv(rfm_breaks_state, rfm) IS 'inverse transition of rfm_breaks(rfm) (moving windows)';
COMMENT ON FUNCTION rfm_breaks_inv(rfm_breaks_state, rfm_float8) IS 'inverse transition of rfm_breaks(rfm_float8) (moving windows)';
COMMENT ON FUNCTION rfm_breaks_combine(rfm_breaks_state, rfm_breaks_state) IS
	'merges two partial rfm_breaks states (parallel query, Citus)';
COMMENT ON FUNCTION rfm_breaks_final(rfm_breaks_state) IS
	'breakpoints percentile_disc(k/n) of each axis (NULL for an empty population)';

CREATE AGGREGATE rfm_breaks(r rfm) (
	SFUNC = rfm_breaks_trans,
	STYPE = rfm_breaks_state,
	FINALFUNC = rfm_breaks_final,
	COMBINEFUNC = rfm_breaks_combine,
	MSFUNC = rfm_breaks_trans,
	MINVFUNC = rfm_breaks_inv,
	MSTYPE = rfm_breaks_state,
	MFINALFUNC = rfm_breaks_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE rfm_breaks(r rfm, n int) (
	SFUNC = rfm_breaks_trans,
	STYPE = rfm_breaks_state,
	FINALFUNC = rfm_breaks_final,
	COMBINEFUNC = rfm_breaks_combine,
	MSFUNC = rfm_breaks_trans,
	MINVFUNC = rfm_breaks_inv,
	MSTYPE = rfm_breaks_state,
	MFINALFUNC = rfm_breaks_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE rfm_breaks(r rfm_float8) (
	SFUNC = rfm_breaks_trans,
	STYPE = rfm_breaks_state,
	FINALFUNC = rfm_breaks_final,
	COMBINEFUNC = rfm_breaks_combine,
	MSFUNC = rfm_breaks_trans,
	MINVFUNC = rfm_breaks_inv,
	MSTYPE = rfm_breaks_state,
	MFINALFUNC = rfm_breaks_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE rfm_breaks(r rfm_float8, n int) (
	SFUNC = rfm_breaks_trans,
	STYPE = rfm_breaks_state,
	FINALFUNC = rfm_breaks_final,
	COMBINEFUNC = rfm_breaks_combine,
	MSFUNC = rfm_breaks_trans,
	MINVFUNC = rfm_breaks_inv,
	MSTYPE = rfm_breaks_state,
	MFINALFUNC = rfm_breaks_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rfm_breaks(rfm, int) IS
	'exact RFM score breakpoints of a population: percentile_disc(k/n), k = 1..n-1, per axis (customers with a purchase)';
COMMENT ON AGGREGATE rfm_breaks(rfm_float8, int) IS
	'exact RFM score breakpoints of a population (float8 amounts)';
COMMENT ON AGGREGATE rfm_breaks(rfm) IS
	'exact RFM score breakpoints of a population, n = 5';
COMMENT ON AGGREGATE rfm_breaks(rfm_float8) IS
	'exact RFM score breakpoints of a population (float8 amounts), n = 5';

-- scores
CREATE FUNCTION rfm_score(r rfm, n int DEFAULT 5) RETURNS rfm_score
	AS 'MODULE_PATHNAME', 'rfm_score_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_score(r rfm_float8, n int DEFAULT 5) RETURNS rfm_score
	AS 'MODULE_PATHNAME', 'rfm_score_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_score(r rfm, b rfm_breaks) RETURNS rfm_score
	AS 'MODULE_PATHNAME', 'rfm_score_breaks' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score(r rfm_float8, b rfm_breaks) RETURNS rfm_score
	AS 'MODULE_PATHNAME', 'rfm_score_breaks' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION rfm_score(rfm, int) IS
	'window function: RFM score of each customer against the quantile breakpoints of its window partition';
COMMENT ON FUNCTION rfm_score(rfm_float8, int) IS
	'window function: RFM score (float8 amounts) against the quantile breakpoints of the partition';
COMMENT ON FUNCTION rfm_score(rfm, rfm_breaks) IS 'RFM score of a customer against given breakpoints';
COMMENT ON FUNCTION rfm_score(rfm_float8, rfm_breaks) IS 'RFM score of a customer (float8 amounts) against given breakpoints';

-- rfm_score_state: rfm_state + rfm_breaks (state of the scoring aggregate)
CREATE TYPE rfm_score_state;

CREATE FUNCTION rfm_score_state_in(cstring) RETURNS rfm_score_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_state_out(rfm_score_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_state_recv(internal) RETURNS rfm_score_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_state_send(rfm_score_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rfm_score_state (
	INPUT = rfm_score_state_in,
	OUTPUT = rfm_score_state_out,
	RECEIVE = rfm_score_state_recv,
	SEND = rfm_score_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE rfm_score_state IS
	'transition state of the rfm_score aggregate: an rfm_state and the rfm_breaks it scores against';
COMMENT ON FUNCTION rfm_score_state_in(cstring) IS 'text input of rfm_score_state';
COMMENT ON FUNCTION rfm_score_state_out(rfm_score_state) IS 'text output of rfm_score_state: rfm_state;rfm_breaks';
COMMENT ON FUNCTION rfm_score_state_recv(internal) IS 'binary input of rfm_score_state';
COMMENT ON FUNCTION rfm_score_state_send(rfm_score_state) IS 'binary output of rfm_score_state';

CREATE FUNCTION rfm_score_numeric_trans(rfm_score_state, timestamptz, numeric, timestamptz, rfm_breaks)
	RETURNS rfm_score_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_score_float8_trans(rfm_score_state, timestamptz, float8, timestamptz, rfm_breaks)
	RETURNS rfm_score_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_score_combine(rfm_score_state, rfm_score_state) RETURNS rfm_score_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_final(rfm_score_state) RETURNS rfm_score
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION rfm_score_numeric_trans(rfm_score_state, timestamptz, numeric, timestamptz, rfm_breaks) IS
	'transition function of rfm_score(timestamptz, numeric, timestamptz, rfm_breaks)';
COMMENT ON FUNCTION rfm_score_float8_trans(rfm_score_state, timestamptz, float8, timestamptz, rfm_breaks) IS
	'transition function of rfm_score(timestamptz, float8, timestamptz, rfm_breaks)';
COMMENT ON FUNCTION rfm_score_combine(rfm_score_state, rfm_score_state) IS
	'merges two partial rfm_score states of one group';
COMMENT ON FUNCTION rfm_score_final(rfm_score_state) IS
	'the score of the group''s RFM summary (NULL without a purchase)';

CREATE AGGREGATE rfm_score(order_ts timestamptz, amount numeric, as_of timestamptz, b rfm_breaks) (
	SFUNC = rfm_score_numeric_trans,
	STYPE = rfm_score_state,
	FINALFUNC = rfm_score_final,
	COMBINEFUNC = rfm_score_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rfm_score(order_ts timestamptz, amount float8, as_of timestamptz, b rfm_breaks) (
	SFUNC = rfm_score_float8_trans,
	STYPE = rfm_score_state,
	FINALFUNC = rfm_score_final,
	COMBINEFUNC = rfm_score_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rfm_score(timestamptz, numeric, timestamptz, rfm_breaks) IS
	'RFM summary of a customer''s orders and its score against given breakpoints, in one call';
COMMENT ON AGGREGATE rfm_score(timestamptz, float8, timestamptz, rfm_breaks) IS
	'RFM summary (float8 amounts) and its score against given breakpoints, in one call';

------------------------------------------------------------------------
-- segments: tier_of with built-in and user schemes (SPEC §4)
------------------------------------------------------------------------

-- User schemes, one row per rule; position 0 is the scheme's fallback.
CREATE TABLE tier_scheme (
	scheme    text NOT NULL,
	position  int  NOT NULL,
	kind      text NOT NULL DEFAULT 'score',
	scale     int  NOT NULL DEFAULT 5,
	label_en  text NOT NULL,
	label_zh  text,
	r_min     int,
	r_max     int,
	f_min     int,
	f_max     int,
	m_min     int,
	m_max     int,
	value_min numeric,
	PRIMARY KEY (scheme, position),
	CONSTRAINT tier_scheme_name CHECK (scheme <> ''),
	CONSTRAINT tier_scheme_position CHECK (position >= 0),
	CONSTRAINT tier_scheme_kind CHECK (kind IN ('score', 'value')),
	CONSTRAINT tier_scheme_scale CHECK (scale BETWEEN 2 AND 100),
	CONSTRAINT tier_scheme_label CHECK (label_en <> '' AND (label_zh IS NULL OR label_zh <> '')),
	CONSTRAINT tier_scheme_r CHECK (coalesce(r_min, 1) BETWEEN 1 AND scale AND coalesce(r_max, scale) BETWEEN 1 AND scale
		AND coalesce(r_min, 1) <= coalesce(r_max, scale)),
	CONSTRAINT tier_scheme_f CHECK (coalesce(f_min, 1) BETWEEN 1 AND scale AND coalesce(f_max, scale) BETWEEN 1 AND scale
		AND coalesce(f_min, 1) <= coalesce(f_max, scale)),
	CONSTRAINT tier_scheme_m CHECK (coalesce(m_min, 1) BETWEEN 1 AND scale AND coalesce(m_max, scale) BETWEEN 1 AND scale
		AND coalesce(m_min, 1) <= coalesce(m_max, scale)),
	CONSTRAINT tier_scheme_fallback CHECK (position > 0 OR num_nonnulls(r_min, r_max, f_min, f_max, m_min, m_max, value_min) = 0),
	CONSTRAINT tier_scheme_value_rule CHECK (kind = 'score' OR position = 0
		OR (value_min IS NOT NULL AND num_nonnulls(r_min, r_max, f_min, f_max, m_min, m_max) = 0)),
	CONSTRAINT tier_scheme_score_rule CHECK (kind = 'value' OR value_min IS NULL),
	CONSTRAINT tier_scheme_finite CHECK (value_min IS NULL OR value_min NOT IN ('NaN', 'Infinity', '-Infinity'))
);

COMMENT ON TABLE tier_scheme IS
	'user tier schemes for tier_of(): one row per rule (position >= 1, first match wins) plus the fallback (position 0); kept by pg_dump';

SELECT pg_catalog.pg_extension_config_dump('tier_scheme', '');
GRANT SELECT ON tier_scheme TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON tier_scheme TO @extowner@;

-- Whole-scheme checks, at commit: one kind and scale, one fallback,
-- ascending thresholds, and no score rule hidden by earlier rules.
CREATE FUNCTION tier_scheme_validate() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE AS
$$
DECLARE
	tbl text := format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
	s text;
	nrows bigint;
	nkinds bigint;
	nscales bigint;
	nfallbacks bigint;
	p1 int;
	p2 int;
BEGIN
	FOREACH s IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.scheme]
	                              WHEN 'DELETE' THEN ARRAY[OLD.scheme]
	                              ELSE ARRAY[NEW.scheme, OLD.scheme] END
	LOOP
		EXECUTE format('SELECT count(*), count(DISTINCT kind), count(DISTINCT scale),'
		               ' count(*) FILTER (WHERE position = 0) FROM %s WHERE scheme = $1', tbl)
			INTO nrows, nkinds, nscales, nfallbacks USING s;
		CONTINUE WHEN nrows = 0;
		IF nkinds > 1 OR nscales > 1 THEN
			RAISE EXCEPTION 'tier scheme "%" mixes kinds or scales', s
				USING ERRCODE = 'check_violation',
				      HINT = 'Every row of a scheme has the same kind (score or value) and scale.';
		END IF;
		IF nfallbacks <> 1 THEN
			RAISE EXCEPTION 'tier scheme "%" has no fallback row', s
				USING ERRCODE = 'check_violation',
				      HINT = 'Add the label for unmatched inputs as the row with position 0.';
		END IF;
		EXECUTE format('SELECT a.position, b.position FROM %1$s a JOIN %1$s b'
		               ' ON b.scheme = a.scheme AND b.position > a.position'
		               ' WHERE a.scheme = $1 AND a.kind = ''value'' AND a.position > 0'
		               ' AND a.value_min >= b.value_min ORDER BY 1, 2 LIMIT 1', tbl)
			INTO p1, p2 USING s;
		IF p1 IS NOT NULL THEN
			RAISE EXCEPTION 'tier scheme "%": tiers at positions % and % overlap', s, p1, p2
				USING ERRCODE = 'check_violation',
				      HINT = 'Thresholds (value_min) must be strictly ascending with position.';
		END IF;
		EXECUTE format('SELECT q.position FROM %1$s q'
		               ' WHERE q.scheme = $1 AND q.kind = ''score'' AND q.position > 0 AND NOT EXISTS ('
		               '  SELECT 1 FROM generate_series(coalesce(q.r_min, 1), coalesce(q.r_max, q.scale)) r,'
		               '   generate_series(coalesce(q.f_min, 1), coalesce(q.f_max, q.scale)) f,'
		               '   generate_series(coalesce(q.m_min, 1), coalesce(q.m_max, q.scale)) m'
		               '  WHERE NOT EXISTS (SELECT 1 FROM %1$s p'
		               '   WHERE p.scheme = q.scheme AND p.position > 0 AND p.position < q.position'
		               '   AND r BETWEEN coalesce(p.r_min, 1) AND coalesce(p.r_max, p.scale)'
		               '   AND f BETWEEN coalesce(p.f_min, 1) AND coalesce(p.f_max, p.scale)'
		               '   AND m BETWEEN coalesce(p.m_min, 1) AND coalesce(p.m_max, p.scale)))'
		               ' ORDER BY 1 LIMIT 1', tbl)
			INTO p1 USING s;
		IF p1 IS NOT NULL THEN
			RAISE EXCEPTION 'tier scheme "%": rule % overlaps earlier rules and can never match', s, p1
				USING ERRCODE = 'check_violation',
				      HINT = 'Every cell it covers is matched by a rule with a smaller position.';
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;

COMMENT ON FUNCTION tier_scheme_validate() IS
	'constraint trigger of tier_scheme: validates each changed scheme as a whole at commit';

CREATE CONSTRAINT TRIGGER tier_scheme_validate
	AFTER INSERT OR UPDATE OR DELETE ON tier_scheme
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION tier_scheme_validate();

COMMENT ON TRIGGER tier_scheme_validate ON tier_scheme IS
	'validates each changed tier scheme as a whole at commit (deferred constraint trigger)';

CREATE FUNCTION tier_of(s rfm_score, scheme text DEFAULT 'rfm10', lang text DEFAULT 'en')
	RETURNS text
	AS 'MODULE_PATHNAME', 'tier_of_score' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tier_of(value numeric, scheme text DEFAULT 'tier4', lang text DEFAULT 'en')
	RETURNS text
	AS 'MODULE_PATHNAME', 'tier_of_value' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tier_of(value float8, scheme text DEFAULT 'tier4', lang text DEFAULT 'en')
	RETURNS text
	AS 'MODULE_PATHNAME', 'tier_of_value_float8' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tier_of(value numeric, thresholds numeric[], labels text[])
	RETURNS text
	AS 'MODULE_PATHNAME', 'tier_of_thresholds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION tier_of(rfm_score, text, text) IS
	'segment of an RFM score: built-in schemes rfm10 (default), rfm8, value4, value3, or a user scheme; lang en or zh';
COMMENT ON FUNCTION tier_of(numeric, text, text) IS
	'member tier of a value (spend, points, CLV): built-in tier4 or a user value scheme; lang en or zh';
COMMENT ON FUNCTION tier_of(float8, text, text) IS
	'member tier of a float8 value (thresholds compared as float8): tier4 or a user value scheme';
COMMENT ON FUNCTION tier_of(numeric, numeric[], text[]) IS
	'ad hoc tier: labels[1 + number of thresholds <= value], thresholds strictly ascending';
