/*
 * rfm.c
 *	  The RFM summary aggregate rfm(order_ts, amount, as_of) (README, "RFM
 *	  summary") and its transition state type rfm_state.
 *
 * One pass, one transition call per row, the state updated in place in the
 * aggregate context (no palloc per row).  Numeric sums are exact: the fast
 * path of amount.c, with an exact numeric overflow sum appended to the
 * state in the rare case an amount does not fit.
 *
 * The state is a real type with exact text and binary I/O (rfm_io.c), so
 * parallel query, Citus and stored partial states can all use it.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_aggregate.h"
#include "funcapi.h"
#include "memval.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "rfm.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "state_io.h"

PG_FUNCTION_INFO_V1(rfm_numeric_trans);
PG_FUNCTION_INFO_V1(rfm_float8_trans);
PG_FUNCTION_INFO_V1(rfm_combine);
PG_FUNCTION_INFO_V1(rfm_numeric_final);
PG_FUNCTION_INFO_V1(rfm_float8_final);
PG_FUNCTION_INFO_V1(rfm_state_advance);

/*
 * The one allocator of states: a copy of proto (header fields and sums)
 * with the given overflow sum (or none), in CurrentMemoryContext.
 */
RfmState *
rfm_state_make(const RfmState *proto, Numeric ovf)
{
	Size		size = RFM_FIXED_SIZE + (ovf ? VARSIZE(ovf) : 0);
	RfmState   *st = (RfmState *) palloc0(size);

	memcpy(st, proto, sizeof(RfmState));
	SET_VARSIZE(st, size);
	st->version = MEMVAL_STATE_VERSION;
	st->flags &= ~RFM_OVERFLOW;
	if (ovf)
	{
		memcpy(RFM_OVF(st), ovf, VARSIZE(ovf));
		st->flags |= RFM_OVERFLOW;
	}
	return st;
}

RfmState *
rfm_state_empty(RfmKind kind)
{
	RfmState	proto;

	memset(&proto, 0, sizeof(proto));
	proto.kind = kind;
	return rfm_state_make(&proto, NULL);
}

void
rfm_check_kind(const RfmState *st, RfmKind kind)
{
	if (st->kind != kind)
		state_kind_error("rfm_state", st->kind, kind);
}

/*
 * The state argument of a transition or combine function: updated in place
 * when called as an aggregate (the state then lives in the aggregate
 * context and is ours), copied otherwise so a plain call never scribbles
 * on its input.  A NULL state (a direct call) starts empty.
 */
static RfmState *
rfm_state_arg(FunctionCallInfo fcinfo, RfmKind kind)
{
	RfmState   *st;

	if (PG_ARGISNULL(0))
		return rfm_state_empty(kind);
	st = (RfmState *) state_arg_writable(fcinfo);
	rfm_check_kind(st, kind);
	return st;
}

/* Set or check the group's as_of. */
static inline void
rfm_set_as_of(RfmState *st, TimestampTz as_of)
{
	memval_check_timestamp(as_of, "as_of");
	if (st->flags & RFM_HAS_AS_OF)
		memval_check_same_as_of(st->as_of, as_of);
	else
	{
		st->as_of = as_of;
		st->flags |= RFM_HAS_AS_OF;
	}
}

static inline void
rfm_add_purchase(RfmState *st, TimestampTz ts)
{
	/*
	 * first <= last, so first is read only for an order older than the last
	 * one: never when orders come in time order, as most order tables are.
	 */
	if (st->frequency == 0)
		st->first = st->last = ts;
	else if (ts > st->last)
		st->last = ts;
	else if (ts < st->first)
		st->first = ts;
	st->frequency++;
}

/* Common head of both transition functions: false if the row is ignored. */
static inline bool
rfm_row_counts(FunctionCallInfo fcinfo, RfmState *st, TimestampTz *ts, bool as_of_fixed)
{
	TimestampTz as_of;

	/* rows with NULL order_ts or NULL amount are skipped, as SQL does */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return false;
	memval_check_as_of_not_null(PG_ARGISNULL(3));
	*ts = PG_GETARG_TIMESTAMPTZ(1);
	memval_check_timestamp(*ts, "order_ts");
	as_of = PG_GETARG_TIMESTAMPTZ(3);
	/* a fixed as_of was checked and stored by the group's first row */
	if (!as_of_fixed || !(st->flags & RFM_HAS_AS_OF))
		rfm_set_as_of(st, as_of);
	return *ts <= as_of;
}

/*
 * True if the value of expression e can differ between the rows of one
 * scan: it reads a column, a parameter set during execution, a subquery or
 * another aggregate.  (Volatile functions are checked apart.)
 */
static bool
rfm_expr_varies(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Var) || IsA(node, SubLink) || IsA(node, SubPlan) ||
		IsA(node, AlternativeSubPlan) || IsA(node, Aggref) ||
		IsA(node, WindowFunc) || IsA(node, GroupingFunc) ||
		(IsA(node, Param) && ((Param *) node)->paramkind != PARAM_EXTERN))
		return true;
	return expression_tree_walker(node, rfm_expr_varies, context);
}

/*
 * Whether the aggregate call running fcinfo gives every row the same as_of
 * and starts every group without one: the as_of argument is a constant, an
 * external parameter or a stable expression of them (now(), current_date,
 * $1 - interval '1 day'), and the aggregate's initial state (INITCOND)
 * carries no as_of.  Then each state's as_of was set from that same value
 * by its group's first row, and the rows after it need not read it back:
 * for about half of the groups of a hash aggregate, one cache miss less per
 * row.  Decided once per call site (fn_extra).  Only aggregates of exactly
 * (order_ts, amount, as_of) qualify: scoring_agg.c runs rfm_numeric_trans
 * under its own four-argument aggregate, with its own INITCOND, and always
 * takes the per-row check.
 */
static bool
rfm_as_of_fixed(FunctionCallInfo fcinfo)
{
	bool	   *fixed = (bool *) fcinfo->flinfo->fn_extra;

	if (fixed == NULL)
	{
		Aggref	   *aggref = AggGetAggref(fcinfo);
		bool		result = false;

		if (aggref != NULL && list_length(aggref->args) == 3)
		{
			Node	   *e = (Node *) ((TargetEntry *) lthird(aggref->args))->expr;

			if (!rfm_expr_varies(e, NULL) && !contain_volatile_functions(e))
			{
				HeapTuple	tup = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(aggref->aggfnoid));

				if (HeapTupleIsValid(tup))
				{
					bool		isnull;
					Datum		init = SysCacheGetAttr(AGGFNOID, tup, Anum_pg_aggregate_agginitval, &isnull);

					/* rfm() starts from '(numeric,,,,0,0,0)': no as_of yet */
					if (isnull)
						result = true;
					else
					{
						Oid			typinput,
									typioparam;
						RfmState   *st;

						getTypeInputInfo(((Form_pg_aggregate) GETSTRUCT(tup))->aggtranstype,
										 &typinput, &typioparam);
						st = (RfmState *) DatumGetPointer(OidInputFunctionCall(typinput,
																			   TextDatumGetCString(init),
																			   typioparam, -1));
						result = !(st->flags & RFM_HAS_AS_OF);
					}
					ReleaseSysCache(tup);
				}
			}
		}
		fixed = (bool *) MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(bool));
		*fixed = result;
		fcinfo->flinfo->fn_extra = fixed;
	}
	return *fixed;
}

/*
 * Add the row in fcinfo's arguments 1..3 (order_ts, amount numeric, as_of)
 * to st, which the caller owns; returns st, or a new state when the
 * overflow sum had to grow.  Shared with the aggregates that accumulate the
 * same summary (clv_historical.c, scoring).
 */
RfmState *
rfm_accum_numeric(FunctionCallInfo fcinfo, RfmState *st, bool as_of_fixed)
{
	TimestampTz ts;
	AmountSum	sum;
	int			sign;

	if (!rfm_row_counts(fcinfo, st, &ts, as_of_fixed))
	{
		/* rows after as_of are ignored, but a NaN is never accepted */
		if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
			(void) amount_sign_datum(PG_GETARG_DATUM(2));
		return st;
	}

	sum = rfm_sum_get(st);
	if (amount_add_datum(&sum, PG_GETARG_DATUM(2), &sign))
		rfm_sum_put(st, &sum);
	else
	{
		/* does not fit 128 bits: add it to the exact overflow sum */
		Numeric		ovf = amount_overflow_add((st->flags & RFM_OVERFLOW) ? RFM_OVF(st) : NULL,
											  PG_GETARG_NUMERIC(2));

		st = rfm_state_make(st, ovf);
	}
	if (sign >= 0)
		rfm_add_purchase(st, ts);
	else
		st->refunds++;
	return st;
}

/*
 * rfm_numeric_trans(state, order_ts, amount numeric, as_of)
 */
Datum
rfm_numeric_trans(PG_FUNCTION_ARGS)
{
	RfmState   *st = rfm_state_arg(fcinfo, RFM_NUMERIC);

	PG_RETURN_POINTER(rfm_accum_numeric(fcinfo, st, rfm_as_of_fixed(fcinfo)));
}

/* The float8 twin of rfm_accum_numeric(); updates st in place. */
RfmState *
rfm_accum_float8(FunctionCallInfo fcinfo, RfmState *st, bool as_of_fixed)
{
	TimestampTz ts;
	float8		amount;
	bool		counts;

	counts = rfm_row_counts(fcinfo, st, &ts, as_of_fixed);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return st;
	amount = PG_GETARG_FLOAT8(2);
	memval_check_amount_float8(amount);
	if (!counts)
		return st;

	st->sum.fsum += amount;
	if (unlikely(isinf(st->sum.fsum)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("monetary value is out of range for type double precision")));
	if (amount >= 0)
		rfm_add_purchase(st, ts);
	else
		st->refunds++;
	return st;
}

/*
 * rfm_float8_trans(state, order_ts, amount float8, as_of)
 */
Datum
rfm_float8_trans(PG_FUNCTION_ARGS)
{
	RfmState   *st = rfm_state_arg(fcinfo, RFM_FLOAT8);

	PG_RETURN_POINTER(rfm_accum_float8(fcinfo, st, rfm_as_of_fixed(fcinfo)));
}

/*
 * Merge b into a (a owned by the caller); returns a, or a new state when
 * the overflow sum had to grow.
 */
RfmState *
rfm_state_merge(RfmState *a, const RfmState *b)
{
	rfm_check_kind(a, b->kind);
	if (!(b->flags & RFM_HAS_AS_OF))
		return a;
	rfm_set_as_of(a, b->as_of);

	if (b->frequency > 0)
	{
		if (a->frequency == 0 || b->first < a->first)
			a->first = b->first;
		if (a->frequency == 0 || b->last > a->last)
			a->last = b->last;
		a->frequency += b->frequency;
	}
	a->refunds += b->refunds;

	if (a->kind == RFM_FLOAT8)
	{
		a->sum.fsum += b->sum.fsum;
		if (isinf(a->sum.fsum))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("monetary value is out of range for type double precision")));
	}
	else
	{
		Numeric		ovf = (a->flags & RFM_OVERFLOW) ? RFM_OVF(a) : NULL;
		bool		grow = false;
		AmountSum	as = rfm_sum_get(a);
		AmountSum	bs = rfm_sum_get(b);

		if (amount_merge(&as, &bs))
			rfm_sum_put(a, &as);
		else
		{
			ovf = amount_overflow_add(ovf, amount_to_numeric(&bs));
			grow = true;
		}
		if (b->flags & RFM_OVERFLOW)
		{
			ovf = amount_overflow_add(ovf, RFM_OVF(b));
			grow = true;
		}
		if (grow)
			a = rfm_state_make(a, ovf);
	}
	return a;
}

/*
 * rfm_combine(state, state): merge two partial states of one group.
 */
Datum
rfm_combine(PG_FUNCTION_ARGS)
{
	RfmState   *b = (RfmState *) PG_GETARG_VARLENA_P(1);

	PG_RETURN_POINTER(rfm_state_merge(rfm_state_arg(fcinfo, b->kind), b));
}

/*
 * rfm_state_advance(state, as_of): the same state evaluated at a later
 * instant, for incremental refresh: a stored state of the orders up to
 * yesterday, advanced to today, merges with the state of today's orders.
 * Moving as_of backwards would need the orders between the two instants,
 * which the state no longer has: an error.
 */
Datum
rfm_state_advance(PG_FUNCTION_ARGS)
{
	RfmState   *st = (RfmState *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);

	memval_check_timestamp(as_of, "as_of");
	if ((st->flags & RFM_HAS_AS_OF) && as_of < st->as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot move an rfm_state back in time"),
				 errdetail("The state is as of %s; the new as_of is earlier.",
						   timestamptz_to_str(st->as_of))));
	if (st->flags & RFM_HAS_AS_OF)
		st->as_of = as_of;
	PG_RETURN_POINTER(st);
}

/* The exact net amount of a numeric state. */
Numeric
rfm_monetary_numeric(const RfmState *st)
{
	AmountSum	sum = rfm_sum_get(st);
	Numeric		m = amount_to_numeric(&sum);

	if (st->flags & RFM_OVERFLOW)
		m = DatumGetNumeric(DirectFunctionCall2(numeric_add, NumericGetDatum(m),
												NumericGetDatum(RFM_OVF(st))));
	return m;
}

/*
 * The result row type, looked up once per query (fn_extra).  When every
 * column is an 8-byte pass-by-value one (rfm_float8), a row's layout
 * depends only on which columns are NULL, and that only on whether the
 * customer bought: the first row of each kind is formed by
 * heap_form_tuple() and kept as a template, and the rows after it are a
 * copy of it with their values stored at the template's offsets.  At a few
 * orders per customer, building the row with heap_form_tuple()'s
 * per-column dispatch was a visible share of the whole query.
 */
typedef struct RfmResultType
{
	TupleDesc	td;
	bool		fixed;			/* every column 8 bytes, pass by value */
	HeapTupleHeader tmpl[2];	/* [bought]: a row of that kind, or NULL */
	uint16		off[2][RFM_NATTS];	/* [bought]: each column's offset */
} RfmResultType;

static RfmResultType *
rfm_result_type(FunctionCallInfo fcinfo)
{
	RfmResultType *rt = (RfmResultType *) fcinfo->flinfo->fn_extra;

	if (rt == NULL)
	{
		MemoryContext old;
		TupleDesc	td;
		int			i;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "rfm final function must return a composite type");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		rt = (RfmResultType *) palloc0(sizeof(RfmResultType));
		rt->td = BlessTupleDesc(CreateTupleDescCopy(td));
		MemoryContextSwitchTo(old);
		rt->fixed = rt->td->natts == RFM_NATTS;
		for (i = 0; i < rt->td->natts && rt->fixed; i++)
		{
			Form_pg_attribute att = TupleDescAttr(rt->td, i);

			rt->fixed = !att->attisdropped && att->attbyval &&
				att->attlen == sizeof(Datum);
		}
		fcinfo->flinfo->fn_extra = rt;
	}
	return rt;
}

/* Keep tup, just formed, as the template of rows of its kind. */
static void
rfm_result_template(FunctionCallInfo fcinfo, RfmResultType *rt, bool kind,
					HeapTupleHeader tup, const bool *nulls)
{
	Size		off = tup->t_hoff;
	int			i;

	for (i = 0; i < RFM_NATTS; i++)
	{
		if (nulls[i])
			continue;
		off = att_align_nominal(off, TupleDescAttr(rt->td, i)->attalign);
		rt->off[kind][i] = (uint16) off;
		off += sizeof(Datum);
	}
	Assert(off == HeapTupleHeaderGetDatumLength(tup));
	rt->tmpl[kind] = (HeapTupleHeader) MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, off);
	memcpy(rt->tmpl[kind], tup, off);
}

/*
 * Build the rfm / rfm_float8 row; the monetary columns are the caller's.
 * Reads the state and never changes it (window use calls it per row).
 */
static Datum
rfm_form_result(FunctionCallInfo fcinfo, const RfmState *st,
				Datum monetary, Datum avg_value)
{
	RfmResultType *rt = rfm_result_type(fcinfo);
	Datum		values[RFM_NATTS];
	bool		nulls[RFM_NATTS];
	bool		bought = st->frequency > 0;
	HeapTuple	tuple;
	Datum		result;
	int			i;

	memset(nulls, 0, sizeof(nulls));
	values[RFM_ATT_RECENCY] = Float8GetDatum(bought ? memval_days_between(st->last, st->as_of) : 0);
	nulls[RFM_ATT_RECENCY] = !bought;
	values[RFM_ATT_FREQUENCY] = Int64GetDatum(st->frequency);
	values[RFM_ATT_MONETARY] = monetary;
	values[RFM_ATT_AVG_VALUE] = avg_value;
	nulls[RFM_ATT_AVG_VALUE] = !bought;
	values[RFM_ATT_FIRST] = TimestampTzGetDatum(st->first);
	nulls[RFM_ATT_FIRST] = !bought;
	values[RFM_ATT_LAST] = TimestampTzGetDatum(st->last);
	nulls[RFM_ATT_LAST] = !bought;
	values[RFM_ATT_TENURE] = Float8GetDatum(bought ? memval_days_between(st->first, st->as_of) : 0);
	nulls[RFM_ATT_TENURE] = !bought;
	values[RFM_ATT_REFUNDS] = Int64GetDatum(st->refunds);

	if (rt->fixed && rt->tmpl[bought])
	{
		Size		len = HeapTupleHeaderGetDatumLength(rt->tmpl[bought]);
		char	   *row = palloc(len);

		memcpy(row, rt->tmpl[bought], len);
		for (i = 0; i < RFM_NATTS; i++)
			if (!nulls[i])
				memcpy(row + rt->off[bought][i], &values[i], sizeof(Datum));
		return PointerGetDatum(row);
	}
	tuple = heap_form_tuple(rt->td, values, nulls);
	result = HeapTupleGetDatum(tuple);
	if (rt->fixed)
		rfm_result_template(fcinfo, rt, bought, (HeapTupleHeader) DatumGetPointer(result), nulls);
	return result;
}

Datum
rfm_numeric_final(PG_FUNCTION_ARGS)
{
	RfmState   *st;
	Numeric		monetary;
	Datum		avg = (Datum) 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (RfmState *) PG_GETARG_VARLENA_P(0);
	rfm_check_kind(st, RFM_NUMERIC);
	if (!(st->flags & RFM_HAS_AS_OF))
		PG_RETURN_NULL();		/* no row to evaluate */

	monetary = rfm_monetary_numeric(st);
	if (st->frequency > 0)
	{
		/* monetary / frequency, exactly as numeric division gives it */
		AmountSum	sum = rfm_sum_get(st);
		Numeric		q = (st->flags & RFM_OVERFLOW) ? NULL :
			amount_div_int64(&sum, st->frequency);

		avg = q ? NumericGetDatum(q) :
			DirectFunctionCall2(numeric_div, NumericGetDatum(monetary),
								DirectFunctionCall1(int8_numeric, Int64GetDatum(st->frequency)));
	}
	return rfm_form_result(fcinfo, st, NumericGetDatum(monetary), avg);
}

Datum
rfm_float8_final(PG_FUNCTION_ARGS)
{
	RfmState   *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (RfmState *) PG_GETARG_VARLENA_P(0);
	rfm_check_kind(st, RFM_FLOAT8);
	if (!(st->flags & RFM_HAS_AS_OF))
		PG_RETURN_NULL();

	return rfm_form_result(fcinfo, st, Float8GetDatum(st->sum.fsum),
						   Float8GetDatum(st->frequency > 0 ?
										  st->sum.fsum / (float8) st->frequency : 0));
}
