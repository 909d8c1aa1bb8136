/*
 * scoring_agg.c
 *	  The aggregate rfm_score(order_ts, amount, as_of, b rfm_breaks)
 *	  (README, "RFM scores"): a customer's RFM summary and its score in one call, for
 *	  SELECT customer_id, tier_of(rfm_score(ts, amount, as_of, b)) ...
 *	  GROUP BY customer_id.
 *
 * Its state type rfm_score_state embeds an rfm_state (driven by rfm.c's
 * own transition and combine functions, so the summary is exactly rfm()'s)
 * followed by the rfm_breaks it scores against:
 *
 *	 [header][rfm_state, MAXALIGNed][rfm_breaks]
 *
 * Text form: the rfm_state text, ";", the rfm_breaks text.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "scoring.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "state_io.h"

typedef struct ScoreAggState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		breaks_off;		/* offset of the embedded rfm_breaks */
} ScoreAggState;

#define SA_RFM_OFF			MAXALIGN(sizeof(ScoreAggState))
#define SA_RFM(st)			((RfmState *) ((char *) (st) + SA_RFM_OFF))
#define SA_BREAKS(st)		((struct varlena *) ((char *) (st) + (st)->breaks_off))

PG_FUNCTION_INFO_V1(rfm_score_state_in);
PG_FUNCTION_INFO_V1(rfm_score_state_out);
PG_FUNCTION_INFO_V1(rfm_score_state_recv);
PG_FUNCTION_INFO_V1(rfm_score_state_send);
PG_FUNCTION_INFO_V1(rfm_score_numeric_trans);
PG_FUNCTION_INFO_V1(rfm_score_float8_trans);
PG_FUNCTION_INFO_V1(rfm_score_combine);
PG_FUNCTION_INFO_V1(rfm_score_final);

/* The one allocator: a state holding copies of rfm and b. */
static ScoreAggState *
sa_make(const RfmState *rfm, const struct varlena *b)
{
	Size		boff = SA_RFM_OFF + MAXALIGN(VARSIZE(rfm));
	Size		size = boff + VARSIZE(b);
	ScoreAggState *st = (ScoreAggState *) palloc0(size);

	SET_VARSIZE(st, size);
	st->breaks_off = boff;
	memcpy(SA_RFM(st), rfm, VARSIZE(rfm));
	memcpy(SA_BREAKS(st), b, VARSIZE(b));
	return st;
}

static bool
breaks_equal(const struct varlena *a, const struct varlena *b)
{
	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

static void
breaks_differ(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("breaks differ within one group"),
			 errdetail("Every row of a group must carry the same rfm_breaks value.")));
}

/* Shared body of both transition functions: rfm_trans is rfm.c's. */
static Datum
score_trans(FunctionCallInfo fcinfo, PGFunction rfm_trans)
{
	ScoreAggState *st;
	struct varlena *b;
	RfmState   *rfm;
	Datum		res;
	int			i;
	LOCAL_FCINFO(fc, 4);

	bool		in_agg = AggCheckCallContext(fcinfo, NULL) != 0;

	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("breaks must not be null"),
				 errhint("Compute them with the rfm_breaks() aggregate or build custom ones with rfm_breaks(float8[], float8[], numeric[]).")));
	b = (struct varlena *) PG_DETOAST_DATUM(PG_GETARG_DATUM(4));
	st = PG_ARGISNULL(0) ? NULL : (ScoreAggState *) PG_GETARG_POINTER(0);
	if (st && !in_agg)
		st = (ScoreAggState *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));	/* never scribble on an input */
	if (st && !breaks_equal(SA_BREAKS(st), b))
		breaks_differ();

	/*
	 * Run rfm.c's transition on the embedded rfm_state, in place.  It keeps
	 * a cache in fn_extra of this flinfo, so this file must not use it.
	 */
	InitFunctionCallInfoData(*fc, fcinfo->flinfo, 4, InvalidOid, fcinfo->context, NULL);
	fc->args[0].value = st ? PointerGetDatum(SA_RFM(st)) : (Datum) 0;
	fc->args[0].isnull = st == NULL;
	for (i = 1; i < 4; i++)
		fc->args[i] = fcinfo->args[i];
	res = rfm_trans(fc);
	rfm = (RfmState *) DatumGetPointer(res);
	if (st == NULL || rfm != SA_RFM(st))
	{
		/*
		 * First row, or the rfm state grew: a new state in the per-call
		 * context; nodeAgg copies it into the aggregate context and frees the
		 * old one (building it there directly would leave a dead copy per
		 * group).
		 */
		st = sa_make(rfm, st ? SA_BREAKS(st) : b);
	}
	PG_RETURN_POINTER(st);
}

Datum
rfm_score_numeric_trans(PG_FUNCTION_ARGS)
{
	return score_trans(fcinfo, rfm_numeric_trans);
}

Datum
rfm_score_float8_trans(PG_FUNCTION_ARGS)
{
	return score_trans(fcinfo, rfm_float8_trans);
}

Datum
rfm_score_combine(PG_FUNCTION_ARGS)
{
	ScoreAggState *a = (ScoreAggState *) PG_GETARG_VARLENA_P(0);
	ScoreAggState *b = (ScoreAggState *) PG_GETARG_VARLENA_P(1);
	RfmState   *rfm;
	ScoreAggState *res;

	if (!breaks_equal(SA_BREAKS(a), SA_BREAKS(b)))
		breaks_differ();
	/* a copy of a's rfm state, merged by rfm.c (called as a plain function) */
	rfm = (RfmState *) DatumGetPointer(DirectFunctionCall2(rfm_combine,
														   PointerGetDatum(SA_RFM(a)),
														   PointerGetDatum(SA_RFM(b))));
	/* in the per-call context: nodeAgg copies the result it keeps */
	res = sa_make(rfm, SA_BREAKS(a));
	PG_RETURN_POINTER(res);
}

/* rfm_score_final(state) → rfm_score; NULL outside the population. */
Datum
rfm_score_final(PG_FUNCTION_ARGS)
{
	ScoreAggState *st = (ScoreAggState *) PG_GETARG_VARLENA_P(0);
	RfmState   *rfm = SA_RFM(st);
	const ScoreBreaks *b;
	RfmValues	v;

	if (!(rfm->flags & RFM_HAS_AS_OF) || rfm->frequency == 0)
		PG_RETURN_NULL();
	b = breaks_cached(fcinfo->flinfo, SA_BREAKS(st), NULL);
	memset(&v, 0, sizeof(v));
	v.buyer = true;
	v.kind = rfm->kind;
	v.recency = memval_days_between(rfm->last, rfm->as_of);
	v.frequency = rfm->frequency;
	v.monetary = rfm->kind == RFM_NUMERIC ? NumericGetDatum(rfm_monetary_numeric(rfm))
		: Float8GetDatum(rfm->sum.fsum);
	PG_RETURN_RFM_SCORE(rfm_score_values(b, &v));
}

Datum
rfm_score_state_out(PG_FUNCTION_ARGS)
{
	ScoreAggState *st = (ScoreAggState *) PG_GETARG_VARLENA_P(0);
	char	   *r = DatumGetCString(DirectFunctionCall1(rfm_state_out, PointerGetDatum(SA_RFM(st))));
	char	   *b = DatumGetCString(DirectFunctionCall1(rfm_breaks_out, PointerGetDatum(SA_BREAKS(st))));

	PG_RETURN_CSTRING(psprintf("%s;%s", r, b));
}

Datum
rfm_score_state_in(PG_FUNCTION_ARGS)
{
	char	   *input = pstrdup(PG_GETARG_CSTRING(0));
	char	   *semi = strchr(input, ';');
	Datum		r,
				b;

	if (semi == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type rfm_score_state: \"%s\"", input),
				 errdetail("Expected an rfm_state and an rfm_breaks separated by \";\".")));
	*semi = '\0';
	r = DirectFunctionCall1(rfm_state_in, CStringGetDatum(input));
	b = DirectFunctionCall1(rfm_breaks_in, CStringGetDatum(semi + 1));
	PG_RETURN_POINTER(sa_make((RfmState *) DatumGetPointer(r), (struct varlena *) DatumGetPointer(b)));
}

static void
send_part(StringInfo buf, Datum sent)
{
	bytea	   *p = DatumGetByteaPP(sent);

	pq_sendint32(buf, VARSIZE_ANY_EXHDR(p));
	pq_sendbytes(buf, VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p));
}

Datum
rfm_score_state_send(PG_FUNCTION_ARGS)
{
	ScoreAggState *st = (ScoreAggState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, MEMVAL_STATE_VERSION);
	send_part(&buf, DirectFunctionCall1(rfm_state_send, PointerGetDatum(SA_RFM(st))));
	send_part(&buf, DirectFunctionCall1(rfm_breaks_send, PointerGetDatum(SA_BREAKS(st))));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static Datum
recv_part(StringInfo buf, PGFunction recv)
{
	int			len = pq_getmsgint(buf, 4);
	StringInfoData sub;

	if (len < 0 || len > buf->len - buf->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("truncated rfm_score_state")));
	initStringInfo(&sub);
	appendBinaryStringInfo(&sub, pq_getmsgbytes(buf, len), len);
	return DirectFunctionCall1(recv, PointerGetDatum(&sub));
}

Datum
rfm_score_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Datum		r,
				b;

	state_recv_version(buf, "rfm_score_state");
	r = recv_part(buf, rfm_state_recv);
	b = recv_part(buf, rfm_breaks_recv);
	pq_getmsgend(buf);
	PG_RETURN_POINTER(sa_make((RfmState *) DatumGetPointer(r), (struct varlena *) DatumGetPointer(b)));
}
