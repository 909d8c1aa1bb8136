/*
 * clv_historical.c
 *	  Historical customer lifetime value (README, "Historical CLV": CLV = average
 *	  purchase value x purchase frequency x customer lifespan).
 *
 *	 avg_value           = net monetary / purchases
 *	 purchases_per_year  = purchases / max(tenure_years, 1)
 *	 F (yearly cash flow) = avg_value * purchases_per_year * margin
 *	 CLV                 = F * A(L, d)
 *	 A(L, d)             = sum_{y=1}^{floor L} (1+d)^-y + (L - floor L) (1+d)^-(floor L + 1)
 *
 * so that A(L, 0) = L and CLV = avg x frequency x lifespan x margin without
 * discounting.  Years are 365.25 days (a month is 1/12 year in lifespan).
 *
 * The aggregate clv(order_ts, amount, as_of, lifespan [, margin
 * [, discount_rate]]) accumulates the RFM summary with rfm.c's own
 * transition (rfm_accum_*), inside a state that also carries the
 * parameters, since a final function cannot see the aggregate's
 * arguments.  Text form of clv_state:
 *
 *	 (lifespan_years,margin,discount_rate,<rfm_state text>)
 *
 * with the three parameters empty before the first row, floats as the
 * shortest text that reads back to the same double.
 *
 * Scalar forms: clv(avg_value, purchases_per_year, lifespan_years, margin,
 * discount_rate) and the retention form clv_retention(margin, retention,
 * discount_rate) = m r / (1 + d - r).
 */
#include "postgres.h"

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "memval.h"
#include "rfm.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"
#include "state_io.h"

#define CLV_DAYS_PER_YEAR	365.25
#define CLV_HAS_PARAMS		0x01	/* lifespan, margin, discount_rate set */

typedef struct ClvState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* MEMVAL_STATE_VERSION (state_io.h) */
	uint8		flags;			/* CLV_HAS_PARAMS */
	uint8		pad[2];
	float8		lifespan;		/* lifespan in years, >= 0 */
	float8		margin;			/* profit margin applied to the value */
	float8		discount;		/* yearly discount rate, > -1 */
	/* the RFM summary (a varlena of its own) at CLV_HEAD_SIZE */
} ClvState;

#define CLV_HEAD_SIZE		MAXALIGN(sizeof(ClvState))
#define CLV_RFM(st)			((RfmState *) ((char *) (st) + CLV_HEAD_SIZE))

PG_FUNCTION_INFO_V1(clv_state_in);
PG_FUNCTION_INFO_V1(clv_state_out);
PG_FUNCTION_INFO_V1(clv_state_recv);
PG_FUNCTION_INFO_V1(clv_state_send);
PG_FUNCTION_INFO_V1(clv_numeric_trans);
PG_FUNCTION_INFO_V1(clv_float8_trans);
PG_FUNCTION_INFO_V1(clv_combine);
PG_FUNCTION_INFO_V1(clv_numeric_final);
PG_FUNCTION_INFO_V1(clv_float8_final);
PG_FUNCTION_INFO_V1(clv_scalar);
PG_FUNCTION_INFO_V1(clv_retention);

/* ----------------------------------------------------------------
 * Validation and the discounting factor
 * ----------------------------------------------------------------
 */

static void
clv_bad(const char *what, float8 v, const char *rule)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, buf);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be %s, got %s", what, rule, buf)));
}

static inline void
clv_check_finite(const char *what, float8 v)
{
	if (isnan(v) || isinf(v))
		clv_bad(what, v, "finite");
}

static inline void
clv_check_nonneg(const char *what, float8 v)
{
	clv_check_finite(what, v);
	if (v < 0)
		clv_bad(what, v, "non-negative");
}

/*
 * A profit margin is a fraction of the amounts, in [0, 1]: 1 (the default)
 * is the revenue itself.  A percentage passed as 30 instead of 0.3 would
 * silently give 30 times the value, so it is rejected; CLV is linear in
 * the margin, so any other factor multiplies the result instead.
 */
static void
clv_check_margin(float8 m)
{
	if (isnan(m) || m < 0 || m > 1)
	{
		char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

		double_to_shortest_decimal_buf(m, buf);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("margin must be in [0, 1], got %s", buf),
				 errhint("A margin is a fraction of the amounts: 0.3 for 30 %%. "
						 "CLV is proportional to it; multiply the result for any other factor.")));
	}
}

static inline void
clv_check_discount(float8 d)
{
	clv_check_finite("discount_rate", d);
	if (d <= -1)
		clv_bad("discount_rate", d, "greater than -1");
}

/*
 * A(L, d): the present value of one unit of cash per year over L years,
 * paid at the end of each year, the last (fractional) year pro rata.
 */
static float8
clv_annuity(float8 years, float8 d)
{
	float8		whole = floor(years);
	float8		frac = years - whole;
	float8		v = 1.0 / (1.0 + d);
	float8		a;

	if (d == 0)
		return years;
	/* sum_{y=1}^{n} v^y = v (1 - v^n) / (1 - v) = (1 - v^n) / d */
	a = (1.0 - pow(v, whole)) / d;
	a += frac * pow(v, whole + 1);
	if (isnan(a) || isinf(a))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("discounted lifetime value is out of range")));
	return a;
}

/* lifespan interval in years: a month is 1/12 year, a day 1/365.25 year */
static float8
clv_interval_years(const Interval *iv)
{
	float8		years = iv->month / 12.0 +
		(iv->day + (float8) iv->time / USECS_PER_DAY) / CLV_DAYS_PER_YEAR;

	clv_check_nonneg("lifespan", years);
	return years;
}

/* ----------------------------------------------------------------
 * The aggregate state
 * ----------------------------------------------------------------
 */

/* The one allocator: head's parameters around a copy of rfm. */
static ClvState *
clv_state_make(const ClvState *head, const RfmState *rfm)
{
	Size		size = CLV_HEAD_SIZE + VARSIZE(rfm);
	ClvState   *st = (ClvState *) palloc0(size);

	memcpy(st, head, sizeof(ClvState));
	SET_VARSIZE(st, size);
	st->version = MEMVAL_STATE_VERSION;
	memcpy(CLV_RFM(st), rfm, VARSIZE(rfm));
	return st;
}

/* The state argument: in place in aggregate context, else a copy. */
static ClvState *
clv_state_arg(FunctionCallInfo fcinfo, RfmKind kind)
{
	ClvState   *st;

	if (PG_ARGISNULL(0))
	{
		ClvState	head;

		memset(&head, 0, sizeof(head));
		return clv_state_make(&head, rfm_state_empty(kind));
	}
	st = (ClvState *) state_arg_writable(fcinfo);
	rfm_check_kind(CLV_RFM(st), kind);
	return st;
}

static void
clv_set_params(ClvState *st, float8 lifespan, float8 margin, float8 discount)
{
	if (st->flags & CLV_HAS_PARAMS)
	{
		if (st->lifespan != lifespan || st->margin != margin || st->discount != discount)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("clv() %s differs within one group",
							st->lifespan != lifespan ? "lifespan" :
							st->margin != margin ? "margin" : "discount_rate"),
					 errdetail("Every row of a group must carry the same parameters.")));
		return;
	}
	clv_check_nonneg("lifespan", lifespan);
	clv_check_margin(margin);
	clv_check_discount(discount);
	st->lifespan = lifespan;
	st->margin = margin;
	st->discount = discount;
	st->flags |= CLV_HAS_PARAMS;
}

/*
 * Common part of both transitions: the parameters of a row that is not
 * skipped (arguments 4..6: lifespan interval [, margin [, discount_rate]]).
 */
static bool
clv_row_params(FunctionCallInfo fcinfo, ClvState *st)
{
	float8		margin = 1.0;
	float8		discount = 0.0;
	int			i;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return false;			/* skipped by rfm too */
	for (i = 4; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("clv() %s must not be null",
							i == 4 ? "lifespan" : i == 5 ? "margin" : "discount_rate")));
	if (PG_NARGS() > 5)
		margin = PG_GETARG_FLOAT8(5);
	if (PG_NARGS() > 6)
		discount = PG_GETARG_FLOAT8(6);
	clv_set_params(st, clv_interval_years(PG_GETARG_INTERVAL_P(4)), margin, discount);
	return true;
}

static Datum
clv_trans(FunctionCallInfo fcinfo, RfmKind kind)
{
	ClvState   *st = clv_state_arg(fcinfo, kind);
	RfmState   *rfm = CLV_RFM(st);
	RfmState   *out;

	(void) clv_row_params(fcinfo, st);
	out = kind == RFM_NUMERIC ? rfm_accum_numeric(fcinfo, rfm, false) : rfm_accum_float8(fcinfo, rfm, false);
	if (out != rfm)
		st = clv_state_make(st, out);	/* the overflow sum grew */
	PG_RETURN_POINTER(st);
}

/* clv_numeric_trans(state, order_ts, amount numeric, as_of, lifespan [, margin [, discount_rate]]) */
Datum
clv_numeric_trans(PG_FUNCTION_ARGS)
{
	return clv_trans(fcinfo, RFM_NUMERIC);
}

/* clv_float8_trans(state, order_ts, amount float8, as_of, lifespan [, margin [, discount_rate]]) */
Datum
clv_float8_trans(PG_FUNCTION_ARGS)
{
	return clv_trans(fcinfo, RFM_FLOAT8);
}

/* clv_combine(state, state): merge two partial states of one group. */
Datum
clv_combine(PG_FUNCTION_ARGS)
{
	ClvState   *b = (ClvState *) PG_GETARG_VARLENA_P(1);
	ClvState   *a = clv_state_arg(fcinfo, CLV_RFM(b)->kind);
	RfmState   *out;

	if (b->flags & CLV_HAS_PARAMS)
		clv_set_params(a, b->lifespan, b->margin, b->discount);
	out = rfm_state_merge(CLV_RFM(a), CLV_RFM(b));
	if (out != CLV_RFM(a))
		a = clv_state_make(a, out);
	PG_RETURN_POINTER(a);
}

/*
 * The factor turning net monetary value into CLV:
 * margin * A(L, d) / max(tenure_years, 1), or false when there is no
 * purchase (CLV is then NULL).
 */
static bool
clv_factor(const ClvState *st, float8 *factor)
{
	const RfmState *rfm = CLV_RFM(st);
	float8		years;

	if (!(st->flags & CLV_HAS_PARAMS) || !(rfm->flags & RFM_HAS_AS_OF) || rfm->frequency == 0)
		return false;
	years = memval_days_between(rfm->first, rfm->as_of) / CLV_DAYS_PER_YEAR;
	if (years < 1)
		years = 1;
	*factor = st->margin * clv_annuity(st->lifespan, st->discount) / years;
	if (isnan(*factor) || isinf(*factor))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("lifetime value is out of range")));
	return true;
}

/*
 * clv_numeric_final(state) → numeric: net monetary (exact) times the
 * factor, rounded to the amounts' display scale, at least 2 decimals.
 */
Datum
clv_numeric_final(PG_FUNCTION_ARGS)
{
	ClvState   *st;
	Numeric		monetary;
	float8		factor;
	Datum		v;
	int			scale;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (ClvState *) PG_GETARG_VARLENA_P(0);
	rfm_check_kind(CLV_RFM(st), RFM_NUMERIC);
	if (!clv_factor(st, &factor))
		PG_RETURN_NULL();
	monetary = rfm_monetary_numeric(CLV_RFM(st));
	scale = Max(DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(monetary))), 2);
	v = DirectFunctionCall2(numeric_mul, NumericGetDatum(monetary),
							DirectFunctionCall1(float8_numeric, Float8GetDatum(factor)));
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_round, v, Int32GetDatum(scale)));
}

/* clv_float8_final(state) → float8 */
Datum
clv_float8_final(PG_FUNCTION_ARGS)
{
	ClvState   *st;
	float8		factor;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (ClvState *) PG_GETARG_VARLENA_P(0);
	rfm_check_kind(CLV_RFM(st), RFM_FLOAT8);
	if (!clv_factor(st, &factor))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(CLV_RFM(st)->sum.fsum * factor);
}

/* ----------------------------------------------------------------
 * Scalar forms
 * ----------------------------------------------------------------
 */

/*
 * clv(avg_value, purchases_per_year, lifespan_years, margin, discount_rate)
 *	 = avg_value * purchases_per_year * margin * A(lifespan_years, discount_rate)
 */
Datum
clv_scalar(PG_FUNCTION_ARGS)
{
	float8		avg = PG_GETARG_FLOAT8(0);
	float8		ppy = PG_GETARG_FLOAT8(1);
	float8		years = PG_GETARG_FLOAT8(2);
	float8		margin = PG_GETARG_FLOAT8(3);
	float8		d = PG_GETARG_FLOAT8(4);
	float8		v;

	clv_check_finite("avg_value", avg);
	clv_check_nonneg("purchases_per_year", ppy);
	clv_check_nonneg("lifespan_years", years);
	clv_check_margin(margin);
	clv_check_discount(d);
	v = avg * ppy * margin * clv_annuity(years, d);
	if (isnan(v) || isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("lifetime value is out of range")));
	PG_RETURN_FLOAT8(v);
}

/*
 * clv_retention(margin, retention, discount_rate) = m r / (1 + d - r):
 * the value of a customer kept each period with probability r, margin m
 * per period, paid at the end of each period, discounted at rate d.
 */
Datum
clv_retention(PG_FUNCTION_ARGS)
{
	float8		m = PG_GETARG_FLOAT8(0);
	float8		r = PG_GETARG_FLOAT8(1);
	float8		d = PG_GETARG_FLOAT8(2);

	clv_check_finite("margin", m);
	clv_check_finite("retention", r);
	if (r < 0 || r >= 1)
		clv_bad("retention", r, "in [0, 1)");
	clv_check_discount(d);
	if (1 + d - r <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("1 + discount_rate - retention must be positive"),
				 errdetail("discount_rate %g with retention %g gives no finite value.", d, r)));
	PG_RETURN_FLOAT8(m * r / (1 + d - r));
}

/* ----------------------------------------------------------------
 * Text and binary I/O of clv_state
 * ----------------------------------------------------------------
 */

Datum
clv_state_out(PG_FUNCTION_ARGS)
{
	ClvState   *st = (ClvState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;

	state_check_stored_version(st->version, "clv_state");
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	if (st->flags & CLV_HAS_PARAMS)
	{
		state_append_float8(&buf, st->lifespan);
		appendStringInfoChar(&buf, ',');
		state_append_float8(&buf, st->margin);
		appendStringInfoChar(&buf, ',');
		state_append_float8(&buf, st->discount);
	}
	else
		appendStringInfoString(&buf, ",,");
	appendStringInfoChar(&buf, ',');
	appendStringInfoString(&buf,
						   DatumGetCString(DirectFunctionCall1(rfm_state_out,
															   PointerGetDatum(CLV_RFM(st)))));
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/* Validate the parameters read from outside. */
static void
clv_state_validate(ClvState *head)
{
	if (head->flags & CLV_HAS_PARAMS)
	{
		float8		l = head->lifespan,
					m = head->margin,
					d = head->discount;

		head->flags = 0;
		clv_set_params(head, l, m, d);
	}
}

Datum
clv_state_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *p = state_text_open(input, "clv_state");
	char	   *fields[3];
	char	   *close;
	ClvState	head;
	RfmState   *rfm;
	int			i;
	int			set = 0;

	memset(&head, 0, sizeof(head));
	for (i = 0; i < 3; i++)
	{
		char	   *end = strchr(p, ',');

		if (end == NULL)
			state_syntax_error("clv_state", input, "Expected lifespan, margin, discount_rate and an rfm_state.");
		*end = '\0';
		fields[i] = p;
		p = end + 1;
		set += *fields[i] != '\0';
	}
	if (set != 0 && set != 3)
		state_syntax_error("clv_state", input, "lifespan, margin and discount_rate are set together.");
	close = strrchr(p, ')');
	if (close == NULL)
		state_syntax_error("clv_state", input, "Expected \")\".");
	*close = '\0';
	state_text_end(close + 1, "clv_state", input);
	if (set == 3)
	{
		head.lifespan = float8in_internal(fields[0], NULL, "double precision", input);
		head.margin = float8in_internal(fields[1], NULL, "double precision", input);
		head.discount = float8in_internal(fields[2], NULL, "double precision", input);
		head.flags = CLV_HAS_PARAMS;
	}
	clv_state_validate(&head);
	rfm = (RfmState *) DatumGetPointer(DirectFunctionCall1(rfm_state_in, CStringGetDatum(p)));
	PG_RETURN_POINTER(clv_state_make(&head, rfm));
}

Datum
clv_state_send(PG_FUNCTION_ARGS)
{
	ClvState   *st = (ClvState *) PG_GETARG_VARLENA_P(0);
	bytea	   *rfm;
	StringInfoData buf;

	state_check_stored_version(st->version, "clv_state");
	rfm = DatumGetByteaPP(DirectFunctionCall1(rfm_state_send, PointerGetDatum(CLV_RFM(st))));

	pq_begintypsend(&buf);
	pq_sendint8(&buf, MEMVAL_STATE_VERSION);
	pq_sendint8(&buf, st->flags & CLV_HAS_PARAMS);
	pq_sendfloat8(&buf, st->lifespan);
	pq_sendfloat8(&buf, st->margin);
	pq_sendfloat8(&buf, st->discount);
	pq_sendint32(&buf, VARSIZE_ANY_EXHDR(rfm));
	pq_sendbytes(&buf, VARDATA_ANY(rfm), VARSIZE_ANY_EXHDR(rfm));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
clv_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ClvState	head;
	RfmState   *rfm;
	StringInfoData rbuf;
	int			len;

	state_recv_version(buf, "clv_state");
	memset(&head, 0, sizeof(head));
	head.flags = pq_getmsgint(buf, 1) & CLV_HAS_PARAMS;
	head.lifespan = pq_getmsgfloat8(buf);
	head.margin = pq_getmsgfloat8(buf);
	head.discount = pq_getmsgfloat8(buf);
	len = pq_getmsgint(buf, 4);
	if (len < 0 || len > buf->len - buf->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("truncated clv_state")));
	initStringInfo(&rbuf);
	appendBinaryStringInfo(&rbuf, pq_getmsgbytes(buf, len), len);
	pq_getmsgend(buf);
	clv_state_validate(&head);
	rfm = (RfmState *) DatumGetPointer(DirectFunctionCall1(rfm_state_recv, PointerGetDatum(&rbuf)));
	PG_RETURN_POINTER(clv_state_make(&head, rfm));
}
