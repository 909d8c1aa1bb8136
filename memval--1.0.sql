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

-- Incremental refresh (SPEC §7): keep the state, merge new orders into it.

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
