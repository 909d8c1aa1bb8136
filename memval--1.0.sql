-- memval--1.0.sql: install script of the memval extension.
-- Sections: rfm (summary), then one section per model.

\echo Use "CREATE EXTENSION memval" to load this file. \quit

------------------------------------------------------------------------
-- rfm: the RFM summary aggregate (README "RFM summary") and its state type
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

-- Incremental refresh (README "Incremental refresh"): keep the state, merge new orders into it.

CREATE FUNCTION rfm_state_advance(state rfm_state, as_of timestamptz) RETURNS rfm_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_state_advance(rfm_state, timestamptz) IS
	'the same rfm state evaluated at a later as_of (for merging with newer orders)';

CREATE AGGREGATE rfm_partial(order_ts timestamptz, amount numeric, as_of timestamptz) (
	SFUNC = rfm_numeric_trans,
	STYPE = rfm_state,
	COMBINEFUNC = rfm_combine,
	INITCOND = '(numeric,,,,0,0,0)',
	PARALLEL = SAFE
);
CREATE AGGREGATE rfm_partial(order_ts timestamptz, amount float8, as_of timestamptz) (
	SFUNC = rfm_float8_trans,
	STYPE = rfm_state,
	COMBINEFUNC = rfm_combine,
	INITCOND = '(float8,,,,0,0,0)',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rfm_partial(timestamptz, numeric, timestamptz) IS
	'the rfm_state of a group of orders, to store and merge later (rfm_merge, rfm_numeric_final)';
COMMENT ON AGGREGATE rfm_partial(timestamptz, float8, timestamptz) IS
	'the rfm_state of a group of orders with float8 amounts, to store and merge later';

CREATE AGGREGATE rfm_merge(rfm_state) (
	SFUNC = rfm_combine,
	STYPE = rfm_state,
	COMBINEFUNC = rfm_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rfm_merge(rfm_state) IS
	'merges stored rfm states of one group (all with the same as_of)';
------------------------------------------------------------------------
-- scoring: RFM scores, exact mergeable breakpoints (README "RFM scores")
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
-- segments: tier_of with built-in and user schemes (README "Segments and tiers")
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
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp AS
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

-- tier_scheme: a scheme's rules as a value (tier_scheme.c), built once on
-- the coordinator and passed as a scalar subquery, so Citus workers never
-- read the table tier_scheme: tier_of(x, (SELECT tier_scheme_value('s')))

CREATE TYPE tier_rules;

CREATE FUNCTION tier_rules_in(cstring) RETURNS tier_rules
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tier_rules_out(tier_rules) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tier_rules_recv(internal) RETURNS tier_rules
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tier_rules_send(tier_rules) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE tier_rules (
	INPUT = tier_rules_in,
	OUTPUT = tier_rules_out,
	RECEIVE = tier_rules_recv,
	SEND = tier_rules_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended
);

COMMENT ON TYPE tier_rules IS
	'a tier scheme''s rules and labels as a value (from tier_scheme_value()), for tier_of() on every node of a cluster';
COMMENT ON FUNCTION tier_rules_in(cstring) IS 'text input of tier_rules';
COMMENT ON FUNCTION tier_rules_out(tier_rules) IS 'text output of tier_rules (exact: reads back as the same value)';
COMMENT ON FUNCTION tier_rules_recv(internal) IS 'binary input of tier_rules';
COMMENT ON FUNCTION tier_rules_send(tier_rules) IS 'binary output of tier_rules';

CREATE FUNCTION tier_scheme_value(name text, lang text DEFAULT 'en') RETURNS tier_rules
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tier_scheme_value(text, text) IS
	'the scheme called name (a user scheme of tier_scheme, else a built-in) as a value, labels in lang (en or zh)';

CREATE FUNCTION tier_of(s rfm_score, scheme tier_rules) RETURNS text
	AS 'MODULE_PATHNAME', 'tier_of_score_scheme' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tier_of(value numeric, scheme tier_rules) RETURNS text
	AS 'MODULE_PATHNAME', 'tier_of_value_scheme' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tier_of(value float8, scheme tier_rules) RETURNS text
	AS 'MODULE_PATHNAME', 'tier_of_value_float8_scheme' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION tier_of(rfm_score, tier_rules) IS
	'segment of an RFM score by a scheme value (works on Citus workers: no table lookup)';
COMMENT ON FUNCTION tier_of(numeric, tier_rules) IS
	'member tier of a value by a scheme value (works on Citus workers: no table lookup)';
COMMENT ON FUNCTION tier_of(float8, tier_rules) IS
	'member tier of a float8 value by a scheme value (thresholds compared as float8)';

------------------------------------------------------------------------
-- btyd summary: btyd(order_ts, amount, as_of [, unit]) (README "BTYD summary: btyd()"), the
-- per-customer (x, t_x, t, m) summary the BTYD models take, and its state
-- type btyd_state
------------------------------------------------------------------------

CREATE TYPE btyd_state;

CREATE FUNCTION btyd_state_in(cstring) RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION btyd_state_out(btyd_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION btyd_state_recv(internal) RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION btyd_state_send(btyd_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE btyd_state (
	INPUT = btyd_state_in,
	OUTPUT = btyd_state_out,
	RECEIVE = btyd_state_recv,
	SEND = btyd_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE btyd_state IS
	'transition state of btyd(): as_of, unit, the distinct purchase days and the exact first-day and repeat-day sums';

CREATE TYPE btyd AS (
	x         float8,
	t_x       float8,
	t         float8,
	m         float8,
	purchases bigint
);

COMMENT ON TYPE btyd IS
	'BTYD summary of one customer: x repeat purchase days, t_x first to last purchase day, t first purchase day to as_of day (in units), m mean repeat-day spend, purchases (purchase rows)';

CREATE FUNCTION btyd_numeric_trans(btyd_state, timestamptz, numeric, timestamptz)
	RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION btyd_numeric_trans(btyd_state, timestamptz, numeric, timestamptz, interval)
	RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION btyd_float8_trans(btyd_state, timestamptz, float8, timestamptz)
	RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION btyd_float8_trans(btyd_state, timestamptz, float8, timestamptz, interval)
	RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
-- with tz: calendar days in that time zone (NULL: the session's)
CREATE FUNCTION btyd_numeric_trans(btyd_state, timestamptz, numeric, timestamptz, interval, text)
	RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION btyd_float8_trans(btyd_state, timestamptz, float8, timestamptz, interval, text)
	RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION btyd_combine(btyd_state, btyd_state) RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION btyd_final(btyd_state) RETURNS btyd
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION btyd_state_in(cstring) IS 'text input of btyd_state';
COMMENT ON FUNCTION btyd_state_out(btyd_state) IS 'text output of btyd_state (exact)';
COMMENT ON FUNCTION btyd_state_recv(internal) IS 'binary input of btyd_state';
COMMENT ON FUNCTION btyd_state_send(btyd_state) IS 'binary output of btyd_state';
COMMENT ON FUNCTION btyd_numeric_trans(btyd_state, timestamptz, numeric, timestamptz) IS
	'transition function of btyd(timestamptz, numeric, timestamptz)';
COMMENT ON FUNCTION btyd_numeric_trans(btyd_state, timestamptz, numeric, timestamptz, interval) IS
	'transition function of btyd(timestamptz, numeric, timestamptz, interval)';
COMMENT ON FUNCTION btyd_float8_trans(btyd_state, timestamptz, float8, timestamptz) IS
	'transition function of btyd(timestamptz, float8, timestamptz)';
COMMENT ON FUNCTION btyd_float8_trans(btyd_state, timestamptz, float8, timestamptz, interval) IS
	'transition function of btyd(timestamptz, float8, timestamptz, interval)';
COMMENT ON FUNCTION btyd_numeric_trans(btyd_state, timestamptz, numeric, timestamptz, interval, text) IS
	'transition function of btyd(timestamptz, numeric, timestamptz, interval, text)';
COMMENT ON FUNCTION btyd_float8_trans(btyd_state, timestamptz, float8, timestamptz, interval, text) IS
	'transition function of btyd(timestamptz, float8, timestamptz, interval, text)';
COMMENT ON FUNCTION btyd_combine(btyd_state, btyd_state) IS
	'merges two partial btyd states of one group (parallel query, Citus, incremental refresh)';
COMMENT ON FUNCTION btyd_final(btyd_state) IS
	'the btyd row of a btyd state (NULL when the group had no row to evaluate)';

CREATE AGGREGATE btyd(order_ts timestamptz, amount numeric, as_of timestamptz) (
	SFUNC = btyd_numeric_trans,
	STYPE = btyd_state,
	FINALFUNC = btyd_final,
	COMBINEFUNC = btyd_combine,
	INITCOND = '(numeric,,,,0,0,0,)',
	PARALLEL = SAFE
);

CREATE AGGREGATE btyd(order_ts timestamptz, amount numeric, as_of timestamptz, unit interval) (
	SFUNC = btyd_numeric_trans,
	STYPE = btyd_state,
	FINALFUNC = btyd_final,
	COMBINEFUNC = btyd_combine,
	INITCOND = '(numeric,,,,0,0,0,)',
	PARALLEL = SAFE
);

CREATE AGGREGATE btyd(order_ts timestamptz, amount float8, as_of timestamptz) (
	SFUNC = btyd_float8_trans,
	STYPE = btyd_state,
	FINALFUNC = btyd_final,
	COMBINEFUNC = btyd_combine,
	INITCOND = '(float8,,,,0,0,0,)',
	PARALLEL = SAFE
);

CREATE AGGREGATE btyd(order_ts timestamptz, amount float8, as_of timestamptz, unit interval) (
	SFUNC = btyd_float8_trans,
	STYPE = btyd_state,
	FINALFUNC = btyd_final,
	COMBINEFUNC = btyd_combine,
	INITCOND = '(float8,,,,0,0,0,)',
	PARALLEL = SAFE
);

CREATE AGGREGATE btyd(order_ts timestamptz, amount numeric, as_of timestamptz, unit interval, tz text) (
	SFUNC = btyd_numeric_trans,
	STYPE = btyd_state,
	FINALFUNC = btyd_final,
	COMBINEFUNC = btyd_combine,
	INITCOND = '(numeric,,,,0,0,0,)',
	PARALLEL = SAFE
);

CREATE AGGREGATE btyd(order_ts timestamptz, amount float8, as_of timestamptz, unit interval, tz text) (
	SFUNC = btyd_float8_trans,
	STYPE = btyd_state,
	FINALFUNC = btyd_final,
	COMBINEFUNC = btyd_combine,
	INITCOND = '(float8,,,,0,0,0,)',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE btyd(timestamptz, numeric, timestamptz) IS
	'BTYD summary (x, t_x, t, m, purchases) of a customer''s orders as of an instant, in days; purchase occasions are distinct local days';
COMMENT ON AGGREGATE btyd(timestamptz, numeric, timestamptz, interval) IS
	'BTYD summary (x, t_x, t, m, purchases) of a customer''s orders as of an instant, times in the given unit (e.g. ''7 days'')';
COMMENT ON AGGREGATE btyd(timestamptz, float8, timestamptz) IS
	'BTYD summary of a customer''s orders (float8 amounts), in days';
COMMENT ON AGGREGATE btyd(timestamptz, float8, timestamptz, interval) IS
	'BTYD summary of a customer''s orders (float8 amounts), times in the given unit';
COMMENT ON AGGREGATE btyd(timestamptz, numeric, timestamptz, interval, text) IS
	'BTYD summary with purchase days in the time zone tz (NULL: the session''s), so the result does not depend on the session TimeZone';
COMMENT ON AGGREGATE btyd(timestamptz, float8, timestamptz, interval, text) IS
	'BTYD summary (float8 amounts) with purchase days in the time zone tz (NULL: the session''s)';

-- Incremental refresh (README "Incremental refresh"): keep the state, merge new orders into it.

CREATE FUNCTION btyd_state_advance(state btyd_state, as_of timestamptz) RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION btyd_state_advance(btyd_state, timestamptz) IS
	'the same btyd state evaluated at a later as_of (for merging with newer orders)';
CREATE FUNCTION btyd_state_advance(state btyd_state, as_of timestamptz, tz text) RETURNS btyd_state
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION btyd_state_advance(btyd_state, timestamptz, text) IS
	'the same btyd state evaluated at a later as_of, whose day is taken in the time zone tz (NULL: the session''s)';

CREATE AGGREGATE btyd_partial(order_ts timestamptz, amount numeric, as_of timestamptz) (
	SFUNC = btyd_numeric_trans, STYPE = btyd_state, COMBINEFUNC = btyd_combine,
	INITCOND = '(numeric,,,,0,0,0,)', PARALLEL = SAFE);
CREATE AGGREGATE btyd_partial(order_ts timestamptz, amount numeric, as_of timestamptz, unit interval) (
	SFUNC = btyd_numeric_trans, STYPE = btyd_state, COMBINEFUNC = btyd_combine,
	INITCOND = '(numeric,,,,0,0,0,)', PARALLEL = SAFE);
CREATE AGGREGATE btyd_partial(order_ts timestamptz, amount float8, as_of timestamptz) (
	SFUNC = btyd_float8_trans, STYPE = btyd_state, COMBINEFUNC = btyd_combine,
	INITCOND = '(float8,,,,0,0,0,)', PARALLEL = SAFE);
CREATE AGGREGATE btyd_partial(order_ts timestamptz, amount float8, as_of timestamptz, unit interval) (
	SFUNC = btyd_float8_trans, STYPE = btyd_state, COMBINEFUNC = btyd_combine,
	INITCOND = '(float8,,,,0,0,0,)', PARALLEL = SAFE);
CREATE AGGREGATE btyd_partial(order_ts timestamptz, amount numeric, as_of timestamptz, unit interval, tz text) (
	SFUNC = btyd_numeric_trans, STYPE = btyd_state, COMBINEFUNC = btyd_combine,
	INITCOND = '(numeric,,,,0,0,0,)', PARALLEL = SAFE);
CREATE AGGREGATE btyd_partial(order_ts timestamptz, amount float8, as_of timestamptz, unit interval, tz text) (
	SFUNC = btyd_float8_trans, STYPE = btyd_state, COMBINEFUNC = btyd_combine,
	INITCOND = '(float8,,,,0,0,0,)', PARALLEL = SAFE);
COMMENT ON AGGREGATE btyd_partial(timestamptz, numeric, timestamptz, interval, text) IS
	'the btyd_state of a group of orders, purchase days in the time zone tz (NULL: the session''s)';
COMMENT ON AGGREGATE btyd_partial(timestamptz, float8, timestamptz, interval, text) IS
	'the btyd_state of a group of orders with float8 amounts, purchase days in the time zone tz';
COMMENT ON AGGREGATE btyd_partial(timestamptz, numeric, timestamptz) IS
	'the btyd_state of a group of orders, to store and merge later (btyd_merge, btyd_final)';
COMMENT ON AGGREGATE btyd_partial(timestamptz, numeric, timestamptz, interval) IS
	'the btyd_state of a group of orders with a unit, to store and merge later';
COMMENT ON AGGREGATE btyd_partial(timestamptz, float8, timestamptz) IS
	'the btyd_state of a group of orders with float8 amounts, to store and merge later';
COMMENT ON AGGREGATE btyd_partial(timestamptz, float8, timestamptz, interval) IS
	'the btyd_state of a group of orders with float8 amounts and a unit, to store and merge later';

CREATE AGGREGATE btyd_merge(btyd_state) (
	SFUNC = btyd_combine, STYPE = btyd_state, COMBINEFUNC = btyd_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE btyd_merge(btyd_state) IS
	'merges stored btyd states of one group (all with the same as_of and unit)';

------------------------------------------------------------------------
-- clv: historical customer lifetime value (README "Historical CLV"): the
-- aggregate over orders, its state type clv_state, and the scalar forms
------------------------------------------------------------------------

CREATE TYPE clv_state;

CREATE FUNCTION clv_state_in(cstring) RETURNS clv_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_state_out(clv_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_state_recv(internal) RETURNS clv_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_state_send(clv_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE clv_state (
	INPUT = clv_state_in,
	OUTPUT = clv_state_out,
	RECEIVE = clv_state_recv,
	SEND = clv_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE clv_state IS
	'transition state of clv(): lifespan (years), margin, discount_rate and the rfm_state of the orders';

CREATE FUNCTION clv_numeric_trans(clv_state, timestamptz, numeric, timestamptz, interval)
	RETURNS clv_state AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_numeric_trans(clv_state, timestamptz, numeric, timestamptz, interval, float8)
	RETURNS clv_state AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_numeric_trans(clv_state, timestamptz, numeric, timestamptz, interval, float8, float8)
	RETURNS clv_state AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_float8_trans(clv_state, timestamptz, float8, timestamptz, interval)
	RETURNS clv_state AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_float8_trans(clv_state, timestamptz, float8, timestamptz, interval, float8)
	RETURNS clv_state AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_float8_trans(clv_state, timestamptz, float8, timestamptz, interval, float8, float8)
	RETURNS clv_state AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_combine(clv_state, clv_state) RETURNS clv_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_numeric_final(clv_state) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_float8_final(clv_state) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION clv_state_in(cstring) IS 'text input of clv_state';
COMMENT ON FUNCTION clv_state_out(clv_state) IS 'text output of clv_state (exact)';
COMMENT ON FUNCTION clv_state_recv(internal) IS 'binary input of clv_state';
COMMENT ON FUNCTION clv_state_send(clv_state) IS 'binary output of clv_state';
COMMENT ON FUNCTION clv_numeric_trans(clv_state, timestamptz, numeric, timestamptz, interval) IS
	'transition function of clv(timestamptz, numeric, timestamptz, interval)';
COMMENT ON FUNCTION clv_numeric_trans(clv_state, timestamptz, numeric, timestamptz, interval, float8) IS
	'transition function of clv(timestamptz, numeric, timestamptz, interval, float8)';
COMMENT ON FUNCTION clv_numeric_trans(clv_state, timestamptz, numeric, timestamptz, interval, float8, float8) IS
	'transition function of clv(timestamptz, numeric, timestamptz, interval, float8, float8)';
COMMENT ON FUNCTION clv_float8_trans(clv_state, timestamptz, float8, timestamptz, interval) IS
	'transition function of clv(timestamptz, float8, timestamptz, interval)';
COMMENT ON FUNCTION clv_float8_trans(clv_state, timestamptz, float8, timestamptz, interval, float8) IS
	'transition function of clv(timestamptz, float8, timestamptz, interval, float8)';
COMMENT ON FUNCTION clv_float8_trans(clv_state, timestamptz, float8, timestamptz, interval, float8, float8) IS
	'transition function of clv(timestamptz, float8, timestamptz, interval, float8, float8)';
COMMENT ON FUNCTION clv_combine(clv_state, clv_state) IS
	'merges two partial clv states of one group (parallel query, Citus, incremental refresh)';
COMMENT ON FUNCTION clv_numeric_final(clv_state) IS
	'historical CLV of a numeric clv state (NULL without a purchase)';
COMMENT ON FUNCTION clv_float8_final(clv_state) IS
	'historical CLV of a float8 clv state (NULL without a purchase)';

CREATE AGGREGATE clv(order_ts timestamptz, amount numeric, as_of timestamptz, lifespan interval) (
	SFUNC = clv_numeric_trans, STYPE = clv_state, FINALFUNC = clv_numeric_final,
	COMBINEFUNC = clv_combine, INITCOND = '(,,,(numeric,,,,0,0,0))', PARALLEL = SAFE);
CREATE AGGREGATE clv(order_ts timestamptz, amount numeric, as_of timestamptz, lifespan interval,
                     margin float8) (
	SFUNC = clv_numeric_trans, STYPE = clv_state, FINALFUNC = clv_numeric_final,
	COMBINEFUNC = clv_combine, INITCOND = '(,,,(numeric,,,,0,0,0))', PARALLEL = SAFE);
CREATE AGGREGATE clv(order_ts timestamptz, amount numeric, as_of timestamptz, lifespan interval,
                     margin float8, discount_rate float8) (
	SFUNC = clv_numeric_trans, STYPE = clv_state, FINALFUNC = clv_numeric_final,
	COMBINEFUNC = clv_combine, INITCOND = '(,,,(numeric,,,,0,0,0))', PARALLEL = SAFE);
CREATE AGGREGATE clv(order_ts timestamptz, amount float8, as_of timestamptz, lifespan interval) (
	SFUNC = clv_float8_trans, STYPE = clv_state, FINALFUNC = clv_float8_final,
	COMBINEFUNC = clv_combine, INITCOND = '(,,,(float8,,,,0,0,0))', PARALLEL = SAFE);
CREATE AGGREGATE clv(order_ts timestamptz, amount float8, as_of timestamptz, lifespan interval,
                     margin float8) (
	SFUNC = clv_float8_trans, STYPE = clv_state, FINALFUNC = clv_float8_final,
	COMBINEFUNC = clv_combine, INITCOND = '(,,,(float8,,,,0,0,0))', PARALLEL = SAFE);
CREATE AGGREGATE clv(order_ts timestamptz, amount float8, as_of timestamptz, lifespan interval,
                     margin float8, discount_rate float8) (
	SFUNC = clv_float8_trans, STYPE = clv_state, FINALFUNC = clv_float8_final,
	COMBINEFUNC = clv_combine, INITCOND = '(,,,(float8,,,,0,0,0))', PARALLEL = SAFE);

COMMENT ON AGGREGATE clv(timestamptz, numeric, timestamptz, interval) IS
	'historical CLV: net monetary / max(tenure in years, 1) x lifespan (avg value x purchases per year x lifespan)';
COMMENT ON AGGREGATE clv(timestamptz, numeric, timestamptz, interval, float8) IS
	'historical CLV with a profit margin: avg value x purchases per year x margin x lifespan';
COMMENT ON AGGREGATE clv(timestamptz, numeric, timestamptz, interval, float8, float8) IS
	'historical CLV with a margin and yearly discounting of the cash flows';
COMMENT ON AGGREGATE clv(timestamptz, float8, timestamptz, interval) IS
	'historical CLV (float8 amounts)';
COMMENT ON AGGREGATE clv(timestamptz, float8, timestamptz, interval, float8) IS
	'historical CLV with a profit margin (float8 amounts)';
COMMENT ON AGGREGATE clv(timestamptz, float8, timestamptz, interval, float8, float8) IS
	'historical CLV with a margin and yearly discounting (float8 amounts)';

CREATE FUNCTION clv(avg_value float8, purchases_per_year float8, lifespan_years float8,
                    margin float8 DEFAULT 1, discount_rate float8 DEFAULT 0)
	RETURNS float8
	AS 'MODULE_PATHNAME', 'clv_scalar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_retention(margin float8, retention float8, discount_rate float8)
	RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION clv(float8, float8, float8, float8, float8) IS
	'CLV = avg_value x purchases_per_year x margin x A(lifespan_years, discount_rate), A = discounted years (= lifespan when the rate is 0)';
COMMENT ON FUNCTION clv_retention(float8, float8, float8) IS
	'retention-model CLV: margin x retention / (1 + discount_rate - retention)';

------------------------------------------------------------------------
-- models: BTYD model fits, predictions and a simulator (README "Models and predictions")
------------------------------------------------------------------------

CREATE TYPE fit_state;

CREATE FUNCTION fit_state_in(cstring) RETURNS fit_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fit_state_out(fit_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fit_state_recv(internal) RETURNS fit_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fit_state_send(fit_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE fit_state (
	INPUT = fit_state_in,
	OUTPUT = fit_state_out,
	RECEIVE = fit_state_recv,
	SEND = fit_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE fit_state IS
	'transition state of the model fits: the distinct (x, t_x, t) or (x, m) rows with their counts, and the penalizer';
COMMENT ON FUNCTION fit_state_in(cstring) IS 'text input of fit_state';
COMMENT ON FUNCTION fit_state_out(fit_state) IS 'text output of fit_state (exact, sorted)';
COMMENT ON FUNCTION fit_state_recv(internal) IS 'binary input of fit_state';
COMMENT ON FUNCTION fit_state_send(fit_state) IS 'binary output of fit_state';

CREATE TYPE bgnbd AS (
	r float8, alpha float8, a float8, b float8,
	loglik float8, n bigint, iterations int, converged bool,
	se_r float8, se_alpha float8, se_a float8, se_b float8
);
COMMENT ON TYPE bgnbd IS
	'BG/NBD model (Fader, Hardie & Lee 2005): parameters, fit log-likelihood, customers, iterations, convergence, standard errors';

CREATE TYPE mbgnbd AS (
	r float8, alpha float8, a float8, b float8,
	loglik float8, n bigint, iterations int, converged bool,
	se_r float8, se_alpha float8, se_a float8, se_b float8
);
COMMENT ON TYPE mbgnbd IS
	'MBG/NBD model (Batislam et al. 2007, as lifetimes'' ModifiedBetaGeoFitter): parameters, fit statistics, standard errors';

CREATE TYPE pareto_nbd AS (
	r float8, alpha float8, s float8, beta float8,
	loglik float8, n bigint, iterations int, converged bool,
	se_r float8, se_alpha float8, se_s float8, se_beta float8
);
COMMENT ON TYPE pareto_nbd IS
	'Pareto/NBD model (Schmittlein, Morrison & Colombo 1987; Fader & Hardie''s notes): parameters, fit statistics, standard errors';

CREATE TYPE gamma_gamma AS (
	p float8, q float8, v float8,
	loglik float8, n bigint, skipped bigint, iterations int, converged bool,
	se_p float8, se_q float8, se_v float8
);
COMMENT ON TYPE gamma_gamma IS
	'Gamma-Gamma spend model (Fader, Hardie & Lee 2005, RFM and CLV): parameters, fit statistics (skipped: rows with x = 0 or m NULL/<= 0), standard errors';

-- fit aggregates
CREATE FUNCTION fit_count_trans(fit_state, float8, float8, float8) RETURNS fit_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION fit_count_trans(fit_state, float8, float8, float8, float8) RETURNS fit_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION fit_spend_trans(fit_state, float8, float8) RETURNS fit_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION fit_spend_trans(fit_state, float8, float8, float8) RETURNS fit_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- COST: merging two states (every distinct row of each) and shipping a
-- worker's state costs milliseconds, where the planner assumes a function
-- call costs one operator; with the default it picked a parallel fit from
-- 1M customers on, slower than the serial one on a 2-core machine
-- (bench/RESULTS.md, "Default plans").  At this cost the planner keeps the
-- fits serial up to about 15M customers with 2 workers.
CREATE FUNCTION fit_combine(fit_state, fit_state) RETURNS fit_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 20000000;
CREATE FUNCTION bgnbd_fit_final(fit_state) RETURNS bgnbd
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mbgnbd_fit_final(fit_state) RETURNS mbgnbd
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_fit_final(fit_state) RETURNS pareto_nbd
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_final(fit_state) RETURNS gamma_gamma
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION fit_count_trans(fit_state, float8, float8, float8) IS
	'transition function of the count model fits: adds a customer (x, t_x, t)';
COMMENT ON FUNCTION fit_count_trans(fit_state, float8, float8, float8, float8) IS
	'transition function of the penalised count model fits';
COMMENT ON FUNCTION fit_spend_trans(fit_state, float8, float8) IS
	'transition function of gamma_gamma_fit: adds a customer (x, m)';
COMMENT ON FUNCTION fit_spend_trans(fit_state, float8, float8, float8) IS
	'transition function of the penalised gamma_gamma_fit';
COMMENT ON FUNCTION fit_combine(fit_state, fit_state) IS
	'merges two partial fit states (parallel query, Citus)';
COMMENT ON FUNCTION bgnbd_fit_final(fit_state) IS 'final function of bgnbd_fit: maximum likelihood fit';
COMMENT ON FUNCTION mbgnbd_fit_final(fit_state) IS 'final function of mbgnbd_fit: maximum likelihood fit';
COMMENT ON FUNCTION pareto_nbd_fit_final(fit_state) IS 'final function of pareto_nbd_fit: maximum likelihood fit';
COMMENT ON FUNCTION gamma_gamma_fit_final(fit_state) IS 'final function of gamma_gamma_fit: maximum likelihood fit';

CREATE AGGREGATE bgnbd_fit(x float8, t_x float8, t float8) (
	SFUNC = fit_count_trans, STYPE = fit_state, FINALFUNC = bgnbd_fit_final,
	COMBINEFUNC = fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE bgnbd_fit(x float8, t_x float8, t float8, penalizer float8) (
	SFUNC = fit_count_trans, STYPE = fit_state, FINALFUNC = bgnbd_fit_final,
	COMBINEFUNC = fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE mbgnbd_fit(x float8, t_x float8, t float8) (
	SFUNC = fit_count_trans, STYPE = fit_state, FINALFUNC = mbgnbd_fit_final,
	COMBINEFUNC = fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE mbgnbd_fit(x float8, t_x float8, t float8, penalizer float8) (
	SFUNC = fit_count_trans, STYPE = fit_state, FINALFUNC = mbgnbd_fit_final,
	COMBINEFUNC = fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE pareto_nbd_fit(x float8, t_x float8, t float8) (
	SFUNC = fit_count_trans, STYPE = fit_state, FINALFUNC = pareto_nbd_fit_final,
	COMBINEFUNC = fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE pareto_nbd_fit(x float8, t_x float8, t float8, penalizer float8) (
	SFUNC = fit_count_trans, STYPE = fit_state, FINALFUNC = pareto_nbd_fit_final,
	COMBINEFUNC = fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_fit(x float8, m float8) (
	SFUNC = fit_spend_trans, STYPE = fit_state, FINALFUNC = gamma_gamma_fit_final,
	COMBINEFUNC = fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_fit(x float8, m float8, penalizer float8) (
	SFUNC = fit_spend_trans, STYPE = fit_state, FINALFUNC = gamma_gamma_fit_final,
	COMBINEFUNC = fit_combine, PARALLEL = SAFE
);

COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8) IS
	'maximum likelihood BG/NBD fit over per-customer (x, t_x, t)';
COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8, float8) IS
	'BG/NBD fit with lifetimes'' L2 penalizer';
COMMENT ON AGGREGATE mbgnbd_fit(float8, float8, float8) IS
	'maximum likelihood MBG/NBD fit over per-customer (x, t_x, t)';
COMMENT ON AGGREGATE mbgnbd_fit(float8, float8, float8, float8) IS
	'MBG/NBD fit with lifetimes'' L2 penalizer';
COMMENT ON AGGREGATE pareto_nbd_fit(float8, float8, float8) IS
	'maximum likelihood Pareto/NBD fit over per-customer (x, t_x, t)';
COMMENT ON AGGREGATE pareto_nbd_fit(float8, float8, float8, float8) IS
	'Pareto/NBD fit with lifetimes'' L2 penalizer';
COMMENT ON AGGREGATE gamma_gamma_fit(float8, float8) IS
	'maximum likelihood Gamma-Gamma fit over per-customer (x, m); skips x = 0, NULL m, m <= 0';
COMMENT ON AGGREGATE gamma_gamma_fit(float8, float8, float8) IS
	'Gamma-Gamma fit with lifetimes'' L2 penalizer';

-- constructors from known parameters
CREATE FUNCTION bgnbd(r float8, alpha float8, a float8, b float8) RETURNS bgnbd
	AS 'MODULE_PATHNAME', 'bgnbd_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- constructors from known parameters
CREATE FUNCTION pareto_nbd(r float8, alpha float8, s float8, beta float8) RETURNS pareto_nbd
	AS 'MODULE_PATHNAME', 'pareto_nbd_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd(r float8, alpha float8, a float8, b float8) RETURNS mbgnbd
	AS 'MODULE_PATHNAME', 'mbgnbd_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma(p float8, q float8, v float8) RETURNS gamma_gamma
	AS 'MODULE_PATHNAME', 'gamma_gamma_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd(float8, float8, float8, float8) IS 'a BG/NBD model from known parameters';
COMMENT ON FUNCTION pareto_nbd(float8, float8, float8, float8) IS 'a Pareto/NBD model from known parameters';
COMMENT ON FUNCTION mbgnbd(float8, float8, float8, float8) IS 'an MBG/NBD model from known parameters';
COMMENT ON FUNCTION gamma_gamma(float8, float8, float8) IS 'a Gamma-Gamma model from known parameters';

-- per-customer log-likelihoods
CREATE FUNCTION loglik(model bgnbd, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'bgnbd_loglik' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- per-customer log-likelihoods
CREATE FUNCTION loglik(model pareto_nbd, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'pareto_nbd_loglik' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION loglik(model mbgnbd, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'mbgnbd_loglik' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION loglik(model gamma_gamma, x float8, m float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'gamma_gamma_loglik' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION loglik(bgnbd, float8, float8, float8) IS 'BG/NBD log-likelihood of one customer';
COMMENT ON FUNCTION loglik(pareto_nbd, float8, float8, float8) IS 'Pareto/NBD log-likelihood of one customer';
COMMENT ON FUNCTION loglik(mbgnbd, float8, float8, float8) IS 'MBG/NBD log-likelihood of one customer';
COMMENT ON FUNCTION loglik(gamma_gamma, float8, float8) IS 'Gamma-Gamma log-likelihood of one customer (x > 0)';

-- predictions
CREATE FUNCTION expected_purchases(model bgnbd, horizon float8, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- predictions
CREATE FUNCTION expected_purchases(model pareto_nbd, horizon float8, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'pareto_nbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model mbgnbd, horizon float8, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'mbgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model bgnbd, horizon float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model pareto_nbd, horizon float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'pareto_nbd_expected_purchases_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model mbgnbd, horizon float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'mbgnbd_expected_purchases_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_alive(model bgnbd, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'bgnbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_alive(model pareto_nbd, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'pareto_nbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_alive(model mbgnbd, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'mbgnbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION probability_of_purchases(model bgnbd, n int, horizon float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'bgnbd_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION probability_of_purchases(model pareto_nbd, n int, horizon float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'pareto_nbd_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION probability_of_purchases(model mbgnbd, n int, horizon float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'mbgnbd_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_spend(model gamma_gamma, x float8, m float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'gamma_gamma_expected_spend' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv(model bgnbd, spend gamma_gamma, x float8, t_x float8, t float8, m float8,
                    months int, discount_rate float8 DEFAULT 0.01, units_per_month float8 DEFAULT 30)
	RETURNS float8
	AS 'MODULE_PATHNAME', 'bgnbd_clv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv(model pareto_nbd, spend gamma_gamma, x float8, t_x float8, t float8, m float8,
                    months int, discount_rate float8 DEFAULT 0.01, units_per_month float8 DEFAULT 30)
	RETURNS float8
	AS 'MODULE_PATHNAME', 'pareto_nbd_clv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv(model mbgnbd, spend gamma_gamma, x float8, t_x float8, t float8, m float8,
                    months int, discount_rate float8 DEFAULT 0.01, units_per_month float8 DEFAULT 30)
	RETURNS float8
	AS 'MODULE_PATHNAME', 'mbgnbd_clv' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION expected_purchases(bgnbd, float8, float8, float8, float8) IS
	'BG/NBD expected purchases in the next horizon time units of a customer with history (x, t_x, t)';

COMMENT ON FUNCTION expected_purchases(pareto_nbd, float8, float8, float8, float8) IS
	'Pareto/NBD expected purchases in the next horizon time units of a customer with history (x, t_x, t)';
COMMENT ON FUNCTION expected_purchases(mbgnbd, float8, float8, float8, float8) IS
	'MBG/NBD expected purchases in the next horizon time units of a customer with history (x, t_x, t)';
COMMENT ON FUNCTION expected_purchases(bgnbd, float8) IS
	'BG/NBD expected repeat purchases of a new customer within horizon';
COMMENT ON FUNCTION expected_purchases(pareto_nbd, float8) IS
	'Pareto/NBD expected repeat purchases of a new customer within horizon';
COMMENT ON FUNCTION expected_purchases(mbgnbd, float8) IS
	'MBG/NBD expected repeat purchases of a new customer within horizon';
COMMENT ON FUNCTION p_alive(bgnbd, float8, float8, float8) IS
	'BG/NBD probability that a customer with history (x, t_x, t) is alive';
COMMENT ON FUNCTION p_alive(pareto_nbd, float8, float8, float8) IS
	'Pareto/NBD probability that a customer with history (x, t_x, t) is alive';
COMMENT ON FUNCTION p_alive(mbgnbd, float8, float8, float8) IS
	'MBG/NBD probability that a customer with history (x, t_x, t) is alive';
COMMENT ON FUNCTION probability_of_purchases(bgnbd, int, float8) IS
	'BG/NBD probability that a new customer makes exactly n repeat purchases within horizon';
COMMENT ON FUNCTION probability_of_purchases(pareto_nbd, int, float8) IS
	'Pareto/NBD probability that a new customer makes exactly n repeat purchases within horizon';
COMMENT ON FUNCTION probability_of_purchases(mbgnbd, int, float8) IS
	'MBG/NBD probability that a new customer makes exactly n repeat purchases within horizon';
COMMENT ON FUNCTION expected_spend(gamma_gamma, float8, float8) IS
	'Gamma-Gamma expected spend per purchase of a customer with x repeat purchases of mean value m (population mean when x = 0)';
COMMENT ON FUNCTION clv(bgnbd, gamma_gamma, float8, float8, float8, float8, int, float8, float8) IS
	'predictive CLV over months months, discounted monthly, as lifetimes'' customer_lifetime_value (BG/NBD)';
COMMENT ON FUNCTION clv(pareto_nbd, gamma_gamma, float8, float8, float8, float8, int, float8, float8) IS
	'predictive CLV over months months, discounted monthly, as lifetimes'' customer_lifetime_value (Pareto/NBD)';
COMMENT ON FUNCTION clv(mbgnbd, gamma_gamma, float8, float8, float8, float8, int, float8, float8) IS
	'predictive CLV over months months, discounted monthly, as lifetimes'' customer_lifetime_value (MBG/NBD)';

-- simulators (a testing aid)
CREATE FUNCTION bgnbd_simulate(n_customers int, r float8, alpha float8, a float8, b float8,
                               t float8, seed bigint,
                               OUT customer_id bigint, OUT x float8, OUT t_x float8, OUT t float8)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
CREATE FUNCTION bgnbd_simulate(n_customers int, r float8, alpha float8, a float8, b float8,
                               t float8, seed bigint, t_min float8,
                               OUT customer_id bigint, OUT x float8, OUT t_x float8, OUT t float8)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
CREATE FUNCTION mbgnbd_simulate(n_customers int, r float8, alpha float8, a float8, b float8,
                                t float8, seed bigint,
                                OUT customer_id bigint, OUT x float8, OUT t_x float8, OUT t float8)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
CREATE FUNCTION mbgnbd_simulate(n_customers int, r float8, alpha float8, a float8, b float8,
                                t float8, seed bigint, t_min float8,
                                OUT customer_id bigint, OUT x float8, OUT t_x float8, OUT t float8)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
CREATE FUNCTION pareto_nbd_simulate(n_customers int, r float8, alpha float8, s float8, beta float8,
                                    t float8, seed bigint,
                                    OUT customer_id bigint, OUT x float8, OUT t_x float8, OUT t float8)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
CREATE FUNCTION pareto_nbd_simulate(n_customers int, r float8, alpha float8, s float8, beta float8,
                                    t float8, seed bigint, t_min float8,
                                    OUT customer_id bigint, OUT x float8, OUT t_x float8, OUT t float8)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
CREATE FUNCTION gamma_gamma_simulate(x float8, p float8, q float8, v float8, seed bigint, customer_id bigint)
	RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bgnbd_simulate(int, float8, float8, float8, float8, float8, bigint) IS
	'simulated BG/NBD customers (x, t_x, t) observed for t after their first purchase; deterministic for a seed';
COMMENT ON FUNCTION bgnbd_simulate(int, float8, float8, float8, float8, float8, bigint, float8) IS
	'simulated BG/NBD customers with t uniform on [t_min, t]; deterministic for a seed';
COMMENT ON FUNCTION mbgnbd_simulate(int, float8, float8, float8, float8, float8, bigint) IS
	'simulated MBG/NBD customers (x, t_x, t); deterministic for a seed';
COMMENT ON FUNCTION mbgnbd_simulate(int, float8, float8, float8, float8, float8, bigint, float8) IS
	'simulated MBG/NBD customers with t uniform on [t_min, t]; deterministic for a seed';
COMMENT ON FUNCTION pareto_nbd_simulate(int, float8, float8, float8, float8, float8, bigint) IS
	'simulated Pareto/NBD customers (x, t_x, t); deterministic for a seed';
COMMENT ON FUNCTION pareto_nbd_simulate(int, float8, float8, float8, float8, float8, bigint, float8) IS
	'simulated Pareto/NBD customers with t uniform on [t_min, t]; deterministic for a seed';
COMMENT ON FUNCTION gamma_gamma_simulate(float8, float8, float8, float8, bigint, bigint) IS
	'simulated Gamma-Gamma mean purchase value of a customer with x repeat purchases (NULL for x = 0); deterministic for (seed, customer_id)';

-- lifecycle: AIPL stages, churn, cohort retention, value score, tier
-- tracking (SPEC §6)

CREATE FUNCTION aipl_stage(interactions bigint, purchases bigint, recency float8,
                           cycle float8, lang text DEFAULT 'en') RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION aipl_stage(bigint, bigint, float8, float8, text) IS
	'AIPL stage: Loyalty (>= 2 purchases, recency <= cycle), Purchase (>= 1), Interest (interacted), Awareness; lang en or zh';

CREATE FUNCTION repurchase_cycle_final(btyd_state) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION repurchase_cycle_final(btyd_state) IS
	'final function of repurchase_cycle(): mean gap in days between distinct purchase days';

CREATE AGGREGATE repurchase_cycle(order_ts timestamptz, amount numeric, as_of timestamptz) (
	SFUNC = btyd_numeric_trans,
	STYPE = btyd_state,
	FINALFUNC = repurchase_cycle_final,
	COMBINEFUNC = btyd_combine,
	INITCOND = '(numeric,,,,0,0,0,)',
	PARALLEL = SAFE
);
CREATE AGGREGATE repurchase_cycle(order_ts timestamptz, amount float8, as_of timestamptz) (
	SFUNC = btyd_float8_trans,
	STYPE = btyd_state,
	FINALFUNC = repurchase_cycle_final,
	COMBINEFUNC = btyd_combine,
	INITCOND = '(float8,,,,0,0,0,)',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE repurchase_cycle(timestamptz, numeric, timestamptz) IS
	'a customer''s repurchase cycle: mean gap in days between distinct purchase days (local days) up to as_of; NULL below two purchase days';
COMMENT ON AGGREGATE repurchase_cycle(timestamptz, float8, timestamptz) IS
	'a customer''s repurchase cycle: mean gap in days between distinct purchase days (local days) up to as_of; NULL below two purchase days';

CREATE FUNCTION churn_risk(recency float8, cycle float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'churn_risk_cycle' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_risk(float8, float8) IS
	'model-free churn risk 1 - exp(-recency / cycle): the chance that a customer buying once per cycle days would have bought within recency days';

CREATE FUNCTION expected_next_purchase(last_purchase timestamptz, cycle float8) RETURNS timestamptz
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_next_purchase(timestamptz, float8) IS
	'expected next purchase date from the customer''s own history: last purchase + repurchase cycle days';

CREATE FUNCTION churn_stage(risk float8, lang text DEFAULT 'en', at_risk float8 DEFAULT 0.5,
                            lapsed float8 DEFAULT 0.8) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_stage(float8, text, float8, float8) IS
	'churn stage of a risk: active below at_risk (0.5), at risk below lapsed (0.8), lapsed from there; lang en or zh';

CREATE FUNCTION churn_risk(model bgnbd, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'bgnbd_churn_risk' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_risk(model mbgnbd, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'mbgnbd_churn_risk' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_risk(model pareto_nbd, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'pareto_nbd_churn_risk' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_no_purchase(model bgnbd, horizon float8, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'bgnbd_p_no_purchase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_no_purchase(model mbgnbd, horizon float8, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'mbgnbd_p_no_purchase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_no_purchase(model pareto_nbd, horizon float8, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'pareto_nbd_p_no_purchase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION next_purchase_within(model bgnbd, p float8, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'bgnbd_next_purchase_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION next_purchase_within(model mbgnbd, p float8, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'mbgnbd_next_purchase_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION next_purchase_within(model pareto_nbd, p float8, x float8, t_x float8, t float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'pareto_nbd_next_purchase_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_risk(bgnbd, float8, float8, float8) IS
	'BG/NBD churn risk 1 - P(alive) of a customer with history (x, t_x, t)';
COMMENT ON FUNCTION churn_risk(mbgnbd, float8, float8, float8) IS
	'MBG/NBD churn risk 1 - P(alive) of a customer with history (x, t_x, t)';
COMMENT ON FUNCTION churn_risk(pareto_nbd, float8, float8, float8) IS
	'Pareto/NBD churn risk 1 - P(alive) of a customer with history (x, t_x, t)';
COMMENT ON FUNCTION p_no_purchase(bgnbd, float8, float8, float8, float8) IS
	'BG/NBD probability of no purchase in the next horizon units given (x, t_x, t); horizon Infinity: never again';
COMMENT ON FUNCTION p_no_purchase(mbgnbd, float8, float8, float8, float8) IS
	'MBG/NBD probability of no purchase in the next horizon units given (x, t_x, t); horizon Infinity: never again';
COMMENT ON FUNCTION p_no_purchase(pareto_nbd, float8, float8, float8, float8) IS
	'Pareto/NBD probability of no purchase in the next horizon units given (x, t_x, t); horizon Infinity: never again';
COMMENT ON FUNCTION next_purchase_within(bgnbd, float8, float8, float8, float8) IS
	'BG/NBD horizon within which the customer buys again with probability p; NULL when p is out of reach (dropout)';
COMMENT ON FUNCTION next_purchase_within(mbgnbd, float8, float8, float8, float8) IS
	'MBG/NBD horizon within which the customer buys again with probability p; NULL when p is out of reach (dropout)';
COMMENT ON FUNCTION next_purchase_within(pareto_nbd, float8, float8, float8, float8) IS
	'Pareto/NBD horizon within which the customer buys again with probability p; NULL when p is out of reach (dropout)';

CREATE TYPE cohort_activity;
CREATE FUNCTION cohort_activity_in(cstring) RETURNS cohort_activity
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_activity_out(cohort_activity) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_activity_recv(internal) RETURNS cohort_activity
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_activity_send(cohort_activity) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cohort_activity (
	INPUT = cohort_activity_in,
	OUTPUT = cohort_activity_out,
	RECEIVE = cohort_activity_recv,
	SEND = cohort_activity_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE cohort_activity IS
	'one customer''s orders by period (purchases, exact net amount), the state and result of cohort_activity()';
COMMENT ON FUNCTION cohort_activity_in(cstring) IS 'text input of cohort_activity';
COMMENT ON FUNCTION cohort_activity_out(cohort_activity) IS 'text output of cohort_activity (exact)';
COMMENT ON FUNCTION cohort_activity_recv(internal) IS 'binary input of cohort_activity';
COMMENT ON FUNCTION cohort_activity_send(cohort_activity) IS 'binary output of cohort_activity';

CREATE TYPE cohort_table;
CREATE FUNCTION cohort_table_in(cstring) RETURNS cohort_table
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_table_out(cohort_table) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_table_recv(internal) RETURNS cohort_table
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_table_send(cohort_table) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cohort_table (
	INPUT = cohort_table_in,
	OUTPUT = cohort_table_out,
	RECEIVE = cohort_table_recv,
	SEND = cohort_table_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE cohort_table IS
	'cohort table by (first-purchase period, periods since): active customers, purchases, exact revenue, cohort sizes; the state and result of cohort_table()';
COMMENT ON FUNCTION cohort_table_in(cstring) IS 'text input of cohort_table';
COMMENT ON FUNCTION cohort_table_out(cohort_table) IS 'text output of cohort_table (exact)';
COMMENT ON FUNCTION cohort_table_recv(internal) IS 'binary input of cohort_table';
COMMENT ON FUNCTION cohort_table_send(cohort_table) IS 'binary output of cohort_table';

CREATE FUNCTION cohort_activity_trans(cohort_activity, timestamptz, numeric, interval)
	RETURNS cohort_activity
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_trans(cohort_activity, timestamptz, numeric, interval, text)
	RETURNS cohort_activity
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_combine(cohort_activity, cohort_activity) RETURNS cohort_activity
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cohort_activity_trans(cohort_activity, timestamptz, numeric, interval) IS
	'transition function of cohort_activity(timestamptz, numeric, interval)';
COMMENT ON FUNCTION cohort_activity_trans(cohort_activity, timestamptz, numeric, interval, text) IS
	'transition function of cohort_activity(timestamptz, numeric, interval, text)';
COMMENT ON FUNCTION cohort_activity_combine(cohort_activity, cohort_activity) IS
	'merges two partial cohort_activity states of one customer';

CREATE AGGREGATE cohort_activity(order_ts timestamptz, amount numeric, period interval) (
	SFUNC = cohort_activity_trans,
	STYPE = cohort_activity,
	COMBINEFUNC = cohort_activity_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE cohort_activity(order_ts timestamptz, amount numeric, period interval, tz text) (
	SFUNC = cohort_activity_trans,
	STYPE = cohort_activity,
	COMBINEFUNC = cohort_activity_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity(timestamptz, numeric, interval) IS
	'a customer''s purchases and net amount per period (months, or a fixed length) in the session time zone; feed cohort_table()';
COMMENT ON AGGREGATE cohort_activity(timestamptz, numeric, interval, text) IS
	'a customer''s purchases and net amount per period (months, or a fixed length) in time zone tz (NULL: the session''s); feed cohort_table()';

CREATE FUNCTION cohort_table_trans(cohort_table, cohort_activity) RETURNS cohort_table
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_table_combine(cohort_table, cohort_table) RETURNS cohort_table
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cohort_table_trans(cohort_table, cohort_activity) IS
	'transition function of cohort_table(cohort_activity)';
COMMENT ON FUNCTION cohort_table_combine(cohort_table, cohort_table) IS
	'merges two partial cohort tables (parallel query, Citus, incremental refresh)';

CREATE AGGREGATE cohort_table(activity cohort_activity) (
	SFUNC = cohort_table_trans,
	STYPE = cohort_table,
	COMBINEFUNC = cohort_table_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_table(cohort_activity) IS
	'the cohort table of the customers'' activities: cohort = first-purchase period; read it with cohort_retention() and cohort_summary()';

CREATE AGGREGATE cohort_table(t cohort_table) (
	SFUNC = cohort_table_combine,
	STYPE = cohort_table,
	COMBINEFUNC = cohort_table_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_table(cohort_table) IS
	'merges stored cohort tables (of parts of the customers: Citus shards, incremental refresh) into one';

CREATE FUNCTION cohort_retention(t cohort_table,
                                 OUT cohort timestamp, OUT period int, OUT cohort_size bigint,
                                 OUT customers bigint, OUT retention float8,
                                 OUT purchases bigint, OUT revenue numeric)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION cohort_retention(cohort_table) IS
	'the cohort retention table: per cohort (local start of the first-purchase period) and period index, cohort size, customers with a purchase, retention = customers / size, purchases, net revenue';

CREATE FUNCTION cohort_summary(t cohort_table,
                               OUT cohort timestamp, OUT customers bigint,
                               OUT repeat_customers bigint, OUT repurchase_rate float8,
                               OUT purchases bigint, OUT purchases_per_customer float8,
                               OUT revenue numeric)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION cohort_summary(cohort_table) IS
	'AARRR metrics per cohort: size, repeat customers (>= 2 purchases), repurchase rate, purchases, purchases per customer, net revenue';

CREATE FUNCTION value_score(consumption float8, behaviour float8, social float8, potential float8,
                            weights float8[] DEFAULT '{0.4,0.3,0.1,0.2}') RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION value_score(float8, float8, float8, float8, float8[]) IS
	'window function: composite value score 0-100, the weighted percent ranks of four dimensions within the partition; NULL dimensions re-weight the others';

CREATE FUNCTION tier_track(value numeric, thresholds numeric[], grace int DEFAULT 1,
                           max_drop int DEFAULT 1) RETURNS int
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION tier_track_label(value numeric, thresholds numeric[], labels text[],
                                 grace int DEFAULT 1, max_drop int DEFAULT 1) RETURNS text
	AS 'MODULE_PATHNAME', 'tier_track_labels' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION tier_track(numeric, numeric[], int, int) IS
	'window function over (PARTITION BY customer ORDER BY period): tier number with hysteresis; upgrades at once, grace evaluations below kept, drops of at most max_drop levels';
COMMENT ON FUNCTION tier_track_label(numeric, numeric[], text[], int, int) IS
	'window function over (PARTITION BY customer ORDER BY period): tier label with hysteresis; upgrades at once, grace evaluations below kept, drops of at most max_drop levels';

-- the thresholds and labels of a value scheme: by name (the table
-- tier_scheme in memval's schema, else a built-in, as tier_of) or as a
-- tier_rules value (no table lookup: Citus workers)
CREATE FUNCTION tier_track_scheme(value numeric, scheme text, grace int DEFAULT 1,
                                  max_drop int DEFAULT 1, lang text DEFAULT 'en') RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION tier_track_scheme(value numeric, scheme tier_rules, grace int DEFAULT 1,
                                  max_drop int DEFAULT 1) RETURNS text
	AS 'MODULE_PATHNAME', 'tier_track_rules' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION tier_track_scheme(numeric, text, int, int, text) IS
	'window function over (PARTITION BY customer ORDER BY period): tier label of a value scheme (built-in tier4 or a user scheme of tier_scheme) with hysteresis; lang en or zh';
COMMENT ON FUNCTION tier_track_scheme(numeric, tier_rules, int, int) IS
	'window function over (PARTITION BY customer ORDER BY period): tier label of a value scheme given as tier_scheme_value() with hysteresis (no table lookup: works on Citus workers)';
