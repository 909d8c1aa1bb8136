/*
 * btyd_summary_io.c
 *	  Text and binary I/O of btyd_state, the transition state of btyd().
 *
 * Text form:
 *
 *	 (kind,unit,as_of,as_of_day,purchases,first_sum,repeat_sum,days)
 *
 * kind is "numeric" or "float8"; unit is in microseconds; as_of is
 * microseconds since 2000-01-01 UTC and as_of_day its local day; the sums
 * are exact (numeric text, or the shortest float8 text that reads back to
 * the same double); days are the purchase day numbers (PostgreSQL date
 * numbers) separated by spaces, ascending.  unit, as_of and as_of_day are
 * empty before the first row.  The binary form leads with a version byte.
 * Input checks every invariant the aggregate relies on.
 */
#include "postgres.h"

#include "btyd_summary.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "state_io.h"

PG_FUNCTION_INFO_V1(btyd_state_in);
PG_FUNCTION_INFO_V1(btyd_state_out);
PG_FUNCTION_INFO_V1(btyd_state_recv);
PG_FUNCTION_INFO_V1(btyd_state_send);

static void
btyd_append_sum(StringInfo buf, const BtydState *st, int k)
{
	appendStringInfoChar(buf, ',');
	if (st->kind == BTYD_NUMERIC)
		appendStringInfoString(buf,
							   DatumGetCString(DirectFunctionCall1(numeric_out,
																   NumericGetDatum(btyd_numeric(st, k)))));
	else
		state_append_float8(buf, st->sum.f[k]);
}

Datum
btyd_state_out(PG_FUNCTION_ARGS)
{
	BtydState  *st = (BtydState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;
	int32		i;

	state_check_stored_version(st->version, "btyd_state");
	initStringInfo(&buf);
	appendStringInfo(&buf, "(%s,", st->kind == BTYD_NUMERIC ? "numeric" : "float8");
	if (st->flags & BTYD_HAS_AS_OF)
		appendStringInfo(&buf, INT64_FORMAT "," INT64_FORMAT ",%d",
						 st->unit, (int64) st->as_of, st->as_of_day);
	else
		appendStringInfoString(&buf, ",,");
	appendStringInfo(&buf, "," INT64_FORMAT, st->purchases);
	btyd_append_sum(&buf, st, BTYD_FIRST);
	btyd_append_sum(&buf, st, BTYD_REPEAT);
	appendStringInfoChar(&buf, ',');
	for (i = 0; i < st->ndays; i++)
		appendStringInfo(&buf, i ? " %d" : "%d", st->days[i]);
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/* A non-negative exact sum read from text or binary into sum k of st. */
static void
btyd_read_numeric_sum(BtydState *st, int k, Numeric num, const char *input)
{
	AmountSum	s;

	if (amount_sign_datum(NumericGetDatum(num)) < 0)
		state_syntax_error("btyd_state", input, "Purchase sums must not be negative.");
	if (!amount_from_numeric(&s, num))
		btyd_sum_overflow();
	btyd_sum_put(st, k, &s);
}

/* Validate a state read from outside: the invariants the code relies on. */
static void
btyd_state_validate(const BtydState *st, const char *input)
{
	int32		i;

	if (st->purchases < 0 || st->purchases < st->ndays)
		state_syntax_error("btyd_state", input, "purchases must be at least the number of days.");
	if ((st->purchases > 0) != (st->ndays > 0))
		state_syntax_error("btyd_state", input, "A state has purchase days exactly when purchases > 0.");
	if (st->purchases > 0 && !(st->flags & BTYD_HAS_AS_OF))
		state_syntax_error("btyd_state", input, "A state with purchases must have as_of.");
	if (st->flags & BTYD_HAS_AS_OF)
	{
		memval_check_timestamp(st->as_of, "as_of");
		if (st->unit <= 0)
			state_syntax_error("btyd_state", input, "unit must be positive.");
	}
	for (i = 0; i < st->ndays; i++)
	{
		if (i > 0 && st->days[i] <= st->days[i - 1])
			state_syntax_error("btyd_state", input, "Days must be strictly ascending.");
		if (st->days[i] > st->as_of_day)
			state_syntax_error("btyd_state", input, "Days must not be after the day of as_of.");
	}
	if (st->kind == BTYD_FLOAT8)
	{
		memval_check_amount_float8(st->sum.f[BTYD_FIRST]);
		memval_check_amount_float8(st->sum.f[BTYD_REPEAT]);
		if (st->sum.f[BTYD_FIRST] < 0 || st->sum.f[BTYD_REPEAT] < 0)
			state_syntax_error("btyd_state", input, "Purchase sums must not be negative.");
	}
	if (st->ndays <= 1 &&
		(st->kind == BTYD_FLOAT8 ? st->sum.f[BTYD_REPEAT] != 0 : st->sum.acc[BTYD_REPEAT] != 0))
		state_syntax_error("btyd_state", input, "The repeat sum must be 0 without repeat days.");
	if (st->ndays == 0 &&
		(st->kind == BTYD_FLOAT8 ? st->sum.f[BTYD_FIRST] != 0 : st->sum.acc[BTYD_FIRST] != 0))
		state_syntax_error("btyd_state", input, "The first-day sum must be 0 without purchase days.");
}

Datum
btyd_state_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *p = state_text_open(input, "btyd_state");
	char	   *f;
	char	   *sums[2];
	BtydState	proto;
	BtydState  *st;
	int32		n = 0;
	char	   *q;
	int			k;

	memset(&proto, 0, sizeof(proto));
	proto.kind = state_parse_kind(state_next_field(&p, false, "btyd_state", input, 8), "btyd_state", input);

	f = state_next_field(&p, false, "btyd_state", input, 8);
	if (*f)
	{
		proto.unit = state_parse_int64(f, "btyd_state", input);
		proto.flags |= BTYD_HAS_AS_OF;
	}
	f = state_next_field(&p, false, "btyd_state", input, 8);
	if ((*f != '\0') != ((proto.flags & BTYD_HAS_AS_OF) != 0))
		state_syntax_error("btyd_state", input, "unit, as_of and as_of_day are set together.");
	if (*f)
		proto.as_of = state_parse_int64(f, "btyd_state", input);
	f = state_next_field(&p, false, "btyd_state", input, 8);
	if ((*f != '\0') != ((proto.flags & BTYD_HAS_AS_OF) != 0))
		state_syntax_error("btyd_state", input, "unit, as_of and as_of_day are set together.");
	if (*f)
	{
		int64		d = state_parse_int64(f, "btyd_state", input);

		if (d < PG_INT32_MIN || d > PG_INT32_MAX)
			state_syntax_error("btyd_state", input, "as_of_day is out of range.");
		proto.as_of_day = (int32) d;
	}
	proto.purchases = state_parse_int64(state_next_field(&p, false, "btyd_state", input, 8), "btyd_state", input);
	sums[0] = state_next_field(&p, false, "btyd_state", input, 8);
	sums[1] = state_next_field(&p, false, "btyd_state", input, 8);
	f = state_next_field(&p, true, "btyd_state", input, 8);
	state_text_end(p, "btyd_state", input);

	for (k = 0; k < 2; k++)
	{
		if (proto.kind == BTYD_NUMERIC)
			btyd_read_numeric_sum(&proto, k,
								  amount_numeric_in(sums[k]),
								  input);
		else
			proto.sum.f[k] = float8in_internal(sums[k], NULL, "double precision", input);
	}

	/* the days: count, then read */
	for (q = f; *q; q++)
		if (*q == ' ')
			n++;
	n = *f ? n + 1 : 0;
	if (n > BTYD_MAX_DAYS)
		state_syntax_error("btyd_state", input, "Too many days.");
	st = btyd_state_make(&proto, btyd_capacity_for(n));
	q = f;
	for (k = 0; k < n; k++)
	{
		char	   *end;
		long		v;

		errno = 0;
		v = strtol(q, &end, 10);
		if (end == q || errno != 0 || v < PG_INT32_MIN || v > PG_INT32_MAX ||
			(*end != ' ' && *end != '\0') || (*end == '\0' && k != n - 1))
			state_syntax_error("btyd_state", input, "Days must be integers separated by single spaces.");
		st->days[k] = (int32) v;
		q = end + 1;
	}
	st->ndays = n;
	btyd_state_validate(st, input);
	PG_RETURN_POINTER(st);
}

static void
btyd_send_sum(StringInfo buf, const BtydState *st, int k)
{
	if (st->kind == BTYD_NUMERIC)
	{
		bytea	   *n = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
															NumericGetDatum(btyd_numeric(st, k))));

		pq_sendint32(buf, VARSIZE_ANY_EXHDR(n));
		pq_sendbytes(buf, VARDATA_ANY(n), VARSIZE_ANY_EXHDR(n));
	}
	else
		pq_sendfloat8(buf, st->sum.f[k]);
}

Datum
btyd_state_send(PG_FUNCTION_ARGS)
{
	BtydState  *st = (BtydState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;
	int32		i;

	state_check_stored_version(st->version, "btyd_state");
	pq_begintypsend(&buf);
	pq_sendint8(&buf, MEMVAL_STATE_VERSION);
	pq_sendint8(&buf, st->kind);
	pq_sendint8(&buf, st->flags & BTYD_HAS_AS_OF);
	pq_sendint64(&buf, st->unit);
	pq_sendint64(&buf, st->as_of);
	pq_sendint32(&buf, st->as_of_day);
	pq_sendint64(&buf, st->purchases);
	btyd_send_sum(&buf, st, BTYD_FIRST);
	btyd_send_sum(&buf, st, BTYD_REPEAT);
	pq_sendint32(&buf, st->ndays);
	for (i = 0; i < st->ndays; i++)
		pq_sendint32(&buf, st->days[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
btyd_recv_sum(StringInfo buf, BtydState *proto, int k)
{
	if (proto->kind == BTYD_NUMERIC)
	{
		int			len = pq_getmsgint(buf, 4);
		StringInfoData nbuf;

		if (len < 0 || len > buf->len - buf->cursor)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("truncated btyd_state")));
		initStringInfo(&nbuf);
		appendBinaryStringInfo(&nbuf, pq_getmsgbytes(buf, len), len);
		btyd_read_numeric_sum(proto, k,
							  DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&nbuf),
																  ObjectIdGetDatum(InvalidOid),
																  Int32GetDatum(-1))),
							  STATE_BINARY_INPUT);
	}
	else
		proto->sum.f[k] = pq_getmsgfloat8(buf);
}

Datum
btyd_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	BtydState	proto;
	BtydState  *st;
	int32		n;
	int32		i;

	state_recv_version(buf, "btyd_state");
	memset(&proto, 0, sizeof(proto));
	proto.kind = pq_getmsgint(buf, 1);
	if (proto.kind != BTYD_NUMERIC && proto.kind != BTYD_FLOAT8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid btyd_state kind %d", proto.kind)));
	proto.flags = pq_getmsgint(buf, 1) & BTYD_HAS_AS_OF;
	proto.unit = pq_getmsgint64(buf);
	proto.as_of = pq_getmsgint64(buf);
	proto.as_of_day = pq_getmsgint(buf, 4);
	proto.purchases = pq_getmsgint64(buf);
	btyd_recv_sum(buf, &proto, BTYD_FIRST);
	btyd_recv_sum(buf, &proto, BTYD_REPEAT);
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > (buf->len - buf->cursor) / (int) sizeof(int32))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("truncated btyd_state")));
	st = btyd_state_make(&proto, btyd_capacity_for(n));
	for (i = 0; i < n; i++)
		st->days[i] = pq_getmsgint(buf, 4);
	st->ndays = n;
	pq_getmsgend(buf);
	btyd_state_validate(st, STATE_BINARY_INPUT);
	PG_RETURN_POINTER(st);
}
