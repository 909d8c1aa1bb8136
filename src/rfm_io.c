/*
 * rfm_io.c
 *	  Text and binary input/output of rfm_state, the transition state of
 *	  rfm() (rfm.c).
 *
 * The text form, exact and independent of DateStyle and TimeZone:
 *
 *	 (kind,as_of,first,last,frequency,refunds,monetary)
 *
 * kind is "numeric" or "float8"; as_of, first and last are microseconds
 * since 2000-01-01 UTC, empty when unset; monetary is the exact net amount
 * (numeric text, or the shortest float8 text that reads back to the same
 * double).  The binary form leads with the format version byte.
 */
#include "postgres.h"

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "rfm.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "state_io.h"

PG_FUNCTION_INFO_V1(rfm_state_in);
PG_FUNCTION_INFO_V1(rfm_state_out);
PG_FUNCTION_INFO_V1(rfm_state_recv);
PG_FUNCTION_INFO_V1(rfm_state_send);

static void
rfm_append_ts(StringInfo buf, TimestampTz ts, bool valid)
{
	appendStringInfoChar(buf, ',');
	if (valid)
		appendStringInfo(buf, INT64_FORMAT, (int64) ts);
}

Datum
rfm_state_out(PG_FUNCTION_ARGS)
{
	RfmState   *st = (RfmState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;
	bool		bought = st->frequency > 0;

	state_check_stored_version(st->version, "rfm_state");
	initStringInfo(&buf);
	appendStringInfo(&buf, "(%s", st->kind == RFM_NUMERIC ? "numeric" : "float8");
	rfm_append_ts(&buf, st->as_of, st->flags & RFM_HAS_AS_OF);
	rfm_append_ts(&buf, st->first, bought);
	rfm_append_ts(&buf, st->last, bought);
	appendStringInfo(&buf, "," INT64_FORMAT "," INT64_FORMAT ",",
					 st->frequency, st->refunds);
	if (st->kind == RFM_NUMERIC)
		appendStringInfoString(&buf,
							   DatumGetCString(DirectFunctionCall1(numeric_out,
																   NumericGetDatum(rfm_monetary_numeric(st)))));
	else
		state_append_float8(&buf, st->sum.fsum);
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/* Validate a state read from outside: the invariants the code relies on. */
static void
rfm_state_validate(const RfmState *st, const char *input)
{
	if (st->frequency < 0 || st->refunds < 0)
		state_syntax_error("rfm_state", input, "Counts must not be negative.");
	if ((st->frequency > 0 || st->refunds > 0) && !(st->flags & RFM_HAS_AS_OF))
		state_syntax_error("rfm_state", input, "A state with rows must have as_of.");
	if (st->flags & RFM_HAS_AS_OF)
		memval_check_timestamp(st->as_of, "as_of");
	if (st->frequency > 0)
	{
		memval_check_timestamp(st->first, "first purchase");
		memval_check_timestamp(st->last, "last purchase");
		if (st->first > st->last || st->last > st->as_of)
			state_syntax_error("rfm_state", input, "Purchases must satisfy first <= last <= as_of.");
	}
	if (st->kind == RFM_FLOAT8)
		memval_check_amount_float8(st->sum.fsum);
}

/* A state from its parsed parts; monetary is exact numeric or float8 text. */
static RfmState *
rfm_state_build(RfmState *proto, Numeric monetary)
{
	Numeric		ovf = NULL;

	if (proto->kind == RFM_NUMERIC)
	{
		AmountSum	sum;

		if (amount_from_numeric(&sum, monetary))
			rfm_sum_put(proto, &sum);
		else
		{
			proto->sum.acc = 0;
			proto->scale = 0;
			ovf = monetary;
		}
	}
	return rfm_state_make(proto, ovf);
}

Datum
rfm_state_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *p = state_text_open(input, "rfm_state");
	char	   *f;
	RfmState	proto;
	Numeric		monetary = NULL;
	bool		has_first;
	bool		has_last;

	memset(&proto, 0, sizeof(proto));
	proto.kind = state_parse_kind(state_next_field(&p, false, "rfm_state", input, 7), "rfm_state", input);

	f = state_next_field(&p, false, "rfm_state", input, 7);
	if (*f)
	{
		proto.as_of = state_parse_int64(f, "rfm_state", input);
		proto.flags |= RFM_HAS_AS_OF;
	}
	f = state_next_field(&p, false, "rfm_state", input, 7);
	if ((has_first = (*f != '\0')))
		proto.first = state_parse_int64(f, "rfm_state", input);
	f = state_next_field(&p, false, "rfm_state", input, 7);
	if ((has_last = (*f != '\0')))
		proto.last = state_parse_int64(f, "rfm_state", input);
	proto.frequency = state_parse_int64(state_next_field(&p, false, "rfm_state", input, 7), "rfm_state", input);
	if (proto.frequency < 0)
		state_syntax_error("rfm_state", input, "Counts must not be negative.");
	if ((proto.frequency > 0) != has_first || (proto.frequency > 0) != has_last)
		state_syntax_error("rfm_state", input, "first and last are set exactly when frequency > 0.");
	proto.refunds = state_parse_int64(state_next_field(&p, false, "rfm_state", input, 7), "rfm_state", input);
	f = state_next_field(&p, true, "rfm_state", input, 7);
	state_text_end(p, "rfm_state", input);

	if (proto.kind == RFM_NUMERIC)
	{
		monetary = amount_numeric_in(f);
		(void) amount_sign_datum(NumericGetDatum(monetary));
	}
	else
		proto.sum.fsum = float8in_internal(f, NULL, "double precision", input);

	rfm_state_validate(&proto, input);
	PG_RETURN_POINTER(rfm_state_build(&proto, monetary));
}

Datum
rfm_state_send(PG_FUNCTION_ARGS)
{
	RfmState   *st = (RfmState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;

	state_check_stored_version(st->version, "rfm_state");
	pq_begintypsend(&buf);
	pq_sendint8(&buf, MEMVAL_STATE_VERSION);
	pq_sendint8(&buf, st->kind);
	pq_sendint8(&buf, st->flags & RFM_HAS_AS_OF);
	pq_sendint64(&buf, st->as_of);
	pq_sendint64(&buf, st->first);
	pq_sendint64(&buf, st->last);
	pq_sendint64(&buf, st->frequency);
	pq_sendint64(&buf, st->refunds);
	if (st->kind == RFM_NUMERIC)
	{
		bytea	   *n = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
															NumericGetDatum(rfm_monetary_numeric(st))));

		pq_sendint32(&buf, VARSIZE_ANY_EXHDR(n));
		pq_sendbytes(&buf, VARDATA_ANY(n), VARSIZE_ANY_EXHDR(n));
	}
	else
		pq_sendfloat8(&buf, st->sum.fsum);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RfmState	proto;
	Numeric		monetary = NULL;

	state_recv_version(buf, "rfm_state");
	memset(&proto, 0, sizeof(proto));
	proto.kind = pq_getmsgint(buf, 1);
	if (proto.kind != RFM_NUMERIC && proto.kind != RFM_FLOAT8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid rfm_state kind %d", proto.kind)));
	proto.flags = pq_getmsgint(buf, 1) & RFM_HAS_AS_OF;
	proto.as_of = pq_getmsgint64(buf);
	proto.first = pq_getmsgint64(buf);
	proto.last = pq_getmsgint64(buf);
	proto.frequency = pq_getmsgint64(buf);
	proto.refunds = pq_getmsgint64(buf);
	if (proto.kind == RFM_NUMERIC)
	{
		int			len = pq_getmsgint(buf, 4);
		StringInfoData nbuf;

		if (len < 0 || len > buf->len - buf->cursor)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("truncated rfm_state")));
		initStringInfo(&nbuf);
		appendBinaryStringInfo(&nbuf, pq_getmsgbytes(buf, len), len);
		monetary = DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&nbuf),
													   ObjectIdGetDatum(InvalidOid),
													   Int32GetDatum(-1)));
		(void) amount_sign_datum(NumericGetDatum(monetary));
	}
	else
		proto.sum.fsum = pq_getmsgfloat8(buf);
	pq_getmsgend(buf);
	rfm_state_validate(&proto, STATE_BINARY_INPUT);
	PG_RETURN_POINTER(rfm_state_build(&proto, monetary));
}
