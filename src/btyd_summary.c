/*
 * btyd_summary.c
 *	  The BTYD summary aggregate btyd(order_ts, amount, as_of [, unit])
 *	  (README, "BTYD summary: btyd()") and its transition state type btyd_state.
 *
 * The summary is lifetimes' summary_data_from_transaction_data with daily
 * periods: purchase occasions are the distinct calendar days (in the
 * session time zone, or in the zone of the tz argument) with at least one purchase, same-day purchases merge
 * and their amounts add up.  With d_1 < ... < d_n the purchase days and
 * d_as_of the day of as_of:
 *
 *	 x   = n - 1
 *	 t_x = (d_n - d_1) / unit_days
 *	 t   = (d_as_of - d_1) / unit_days
 *	 m   = (sum of the amounts on d_2 .. d_n) / x     (NULL when x = 0)
 *
 * Refunds (amount < 0) are not purchases: they enter neither the days nor
 * m.  Rows after the as_of instant are ignored.
 *
 * The state keeps the sorted set of distinct purchase days (int32 day
 * numbers, PostgreSQL's date numbering) in a buffer that grows by
 * doubling, the exact sum of the first day's amounts and the exact sum of
 * the other days' amounts: when an earlier day arrives, the old first
 * day's sum moves to the repeat sum (btyd_summary.h; its text and binary
 * forms are in btyd_summary_io.c).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "btyd_summary.h"
#include "common/int.h"
#include "funcapi.h"
#include "localday.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"
#include "state_io.h"

PG_FUNCTION_INFO_V1(btyd_numeric_trans);
PG_FUNCTION_INFO_V1(btyd_float8_trans);
PG_FUNCTION_INFO_V1(btyd_combine);
PG_FUNCTION_INFO_V1(btyd_final);
PG_FUNCTION_INFO_V1(btyd_state_advance);

/*
 * The local day of ts, with the zone table cached in the call's fn_extra:
 * in the time zone of argument tzarg when the call has it and it is not
 * NULL, otherwise in the session's.
 */
static inline int32
btyd_local_day(FunctionCallInfo fcinfo, TimestampTz ts, int tzarg)
{
	const text *tzname = NULL;

	if (PG_NARGS() > tzarg && !PG_ARGISNULL(tzarg))
		tzname = PG_GETARG_TEXT_PP(tzarg);
	return local_day((LocalZone **) &fcinfo->flinfo->fn_extra, fcinfo->flinfo->fn_mcxt,
					 ts, tzname);
}

/* the tz argument of the transition functions (state, ts, amount, as_of, unit, tz) */
#define BTYD_TRANS_TZ_ARG	5

/* ----------------------------------------------------------------
 * The state
 * ----------------------------------------------------------------
 */

/*
 * The one allocator of states: a copy of proto's fixed part and of its
 * first ndays days, with room for capacity days, in CurrentMemoryContext.
 */
BtydState *
btyd_state_make(const BtydState *proto, int32 capacity)
{
	BtydState  *st;

	if (capacity < BTYD_MIN_CAPACITY)
		capacity = BTYD_MIN_CAPACITY;
	if (capacity < proto->ndays || capacity > BTYD_MAX_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct purchase days in one btyd() group")));
	st = (BtydState *) palloc0(BTYD_SIZE(capacity));
	memcpy(st, proto, offsetof(BtydState, days));
	memcpy(st->days, proto->days, proto->ndays * sizeof(int32));
	SET_VARSIZE(st, BTYD_SIZE(capacity));
	st->version = MEMVAL_STATE_VERSION;
	st->capacity = capacity;
	return st;
}

void
btyd_check_kind(const BtydState *st, BtydKind kind)
{
	if (st->kind != kind)
		state_kind_error("btyd_state", st->kind, kind);
}

/*
 * The state argument of a transition or combine function: updated in place
 * when called as an aggregate, copied otherwise; a NULL state starts empty.
 */
static BtydState *
btyd_state_arg(FunctionCallInfo fcinfo, BtydKind kind)
{
	BtydState  *st;

	if (PG_ARGISNULL(0))
	{
		BtydState	proto;

		memset(&proto, 0, sizeof(proto));
		proto.kind = kind;
		return btyd_state_make(&proto, BTYD_MIN_CAPACITY);
	}
	st = (BtydState *) state_arg_writable(fcinfo);
	btyd_check_kind(st, kind);
	return st;
}

/* Room for more days: the state's chunk doubles (128, 256, 512 ... bytes). */
static int32
btyd_grown_capacity(int32 capacity)
{
	Size		size = BTYD_SIZE(capacity) * 2;

	if (size > (Size) BTYD_SIZE(BTYD_MAX_DAYS))
		return BTYD_MAX_DAYS;
	return (int32) ((size - offsetof(BtydState, days)) / sizeof(int32));
}

/* Capacity for n days (state input, combine). */
int32
btyd_capacity_for(int32 n)
{
	int32		cap = BTYD_MIN_CAPACITY;

	while (cap < n && cap < BTYD_MAX_DAYS)
		cap = btyd_grown_capacity(cap);
	return cap;
}

/* The unit in microseconds: positive, finite, without months. */
static int64
btyd_unit_usecs(const Interval *unit)
{
	int64		usecs;

	if (unit->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("btyd() unit must not contain months or years"),
				 errhint("Months differ in length; use a fixed unit such as '30 days'.")));
	if (pg_mul_s64_overflow((int64) unit->day, USECS_PER_DAY, &usecs) ||
		pg_add_s64_overflow(usecs, unit->time, &usecs) || usecs <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("btyd() unit must be a positive interval")));
	return usecs;
}

/* Set or check the group's as_of and unit. */
static void
btyd_set_as_of(FunctionCallInfo fcinfo, BtydState *st, TimestampTz as_of, int64 unit)
{
	memval_check_timestamp(as_of, "as_of");
	if (st->flags & BTYD_HAS_AS_OF)
	{
		memval_check_same_as_of(st->as_of, as_of);
		if (st->unit != unit)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("btyd() unit differs within one group"),
					 errdetail("Every row of a group must carry the same unit.")));
	}
	else
	{
		st->as_of = as_of;
		st->as_of_day = btyd_local_day(fcinfo, as_of, BTYD_TRANS_TZ_ARG);
		st->unit = unit;
		st->flags |= BTYD_HAS_AS_OF;
	}
}

/*
 * Add purchase day d to the day set.  Returns the state (a new one when it
 * had to grow) and sets *where: -1 if d is a new first day, 0 if d is the
 * first day, 1 if d is a later day.
 */
static BtydState *
btyd_add_day(BtydState *st, int32 d, int *where)
{
	int32		n = st->ndays;
	int			lo,
				hi;

	if (n > 0 && d == st->days[n - 1])
	{
		*where = n == 1 ? 0 : 1;
		return st;
	}
	if (n > 0 && d > st->days[n - 1])
	{
		*where = 1;
		lo = n;
	}
	else if (n == 0 || d < st->days[0])
	{
		*where = -1;
		lo = 0;
	}
	else if (d == st->days[0])
	{
		*where = 0;
		return st;
	}
	else
	{
		/* days[0] < d < days[n-1]: find the first element >= d */
		*where = 1;
		lo = 1;
		hi = n - 1;
		while (lo < hi)
		{
			int			mid = (lo + hi) / 2;

			if (st->days[mid] < d)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (st->days[lo] == d)
			return st;
	}
	if (n == st->capacity)
		st = btyd_state_make(st, btyd_grown_capacity(st->capacity));
	memmove(st->days + lo + 1, st->days + lo, (n - lo) * sizeof(int32));
	st->days[lo] = d;
	st->ndays = n + 1;
	return st;
}

void
btyd_sum_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("amount is out of range for btyd()"),
			 errdetail("btyd() sums numeric amounts exactly in 128 bits: up to about 10^36 with at most %d decimals.",
					   AMOUNT_MAX_SCALE)));
}

/* Add v to the numeric sum k of st. */
static void
btyd_add_numeric(BtydState *st, int k, const AmountSum *v)
{
	AmountSum	s = btyd_sum_get(st, k);

	if (!amount_merge(&s, v))
		btyd_sum_overflow();
	btyd_sum_put(st, k, &s);
}

/* Common head of both transition functions: false if the row is ignored. */
static inline bool
btyd_row_counts(FunctionCallInfo fcinfo, BtydState *st, TimestampTz *ts)
{
	int64		unit = USECS_PER_DAY;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return false;
	memval_check_as_of_not_null(PG_ARGISNULL(3));
	*ts = PG_GETARG_TIMESTAMPTZ(1);
	memval_check_timestamp(*ts, "order_ts");
	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("btyd() unit must not be null")));
		if (st->flags & BTYD_HAS_AS_OF)
		{
			/* cheap check of the common case: the same unit again */
			Interval   *u = PG_GETARG_INTERVAL_P(4);

			unit = (u->month == 0 && u->day == st->unit / USECS_PER_DAY &&
					u->time == st->unit % USECS_PER_DAY) ? st->unit : btyd_unit_usecs(u);
		}
		else
			unit = btyd_unit_usecs(PG_GETARG_INTERVAL_P(4));
	}
	btyd_set_as_of(fcinfo, st, PG_GETARG_TIMESTAMPTZ(3), unit);
	return *ts <= st->as_of;
}

/*
 * btyd_numeric_trans(state, order_ts, amount numeric, as_of [, unit [, tz]])
 */
Datum
btyd_numeric_trans(PG_FUNCTION_ARGS)
{
	BtydState  *st = btyd_state_arg(fcinfo, BTYD_NUMERIC);
	TimestampTz ts;
	AmountSum	v;
	int			sign;
	int			where;

	if (!btyd_row_counts(fcinfo, st, &ts))
	{
		/* rows after as_of are ignored, but a NaN is never accepted */
		if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
			(void) amount_sign_datum(PG_GETARG_DATUM(2));
		PG_RETURN_POINTER(st);
	}

	memset(&v, 0, sizeof(v));
	if (!amount_add_datum(&v, PG_GETARG_DATUM(2), &sign))
	{
		if (amount_sign_datum(PG_GETARG_DATUM(2)) < 0)
			PG_RETURN_POINTER(st);	/* a refund: not summed here */
		btyd_sum_overflow();
	}
	if (sign < 0)
		PG_RETURN_POINTER(st);	/* refunds are not purchases */

	st = btyd_add_day(st, btyd_local_day(fcinfo, ts, BTYD_TRANS_TZ_ARG), &where);
	if (where < 0)
	{
		AmountSum	first = btyd_sum_get(st, BTYD_FIRST);

		btyd_add_numeric(st, BTYD_REPEAT, &first);
		btyd_sum_put(st, BTYD_FIRST, &v);
	}
	else
		btyd_add_numeric(st, where == 0 ? BTYD_FIRST : BTYD_REPEAT, &v);
	st->purchases++;
	PG_RETURN_POINTER(st);
}

static inline void
btyd_check_float8_sum(float8 s)
{
	if (unlikely(isinf(s)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("purchase amount sum is out of range for type double precision")));
}

/*
 * btyd_float8_trans(state, order_ts, amount float8, as_of [, unit [, tz]])
 */
Datum
btyd_float8_trans(PG_FUNCTION_ARGS)
{
	BtydState  *st = btyd_state_arg(fcinfo, BTYD_FLOAT8);
	TimestampTz ts;
	float8		amount;
	bool		counts;
	int			where;

	counts = btyd_row_counts(fcinfo, st, &ts);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	amount = PG_GETARG_FLOAT8(2);
	memval_check_amount_float8(amount);
	if (!counts || amount < 0)
		PG_RETURN_POINTER(st);

	st = btyd_add_day(st, btyd_local_day(fcinfo, ts, BTYD_TRANS_TZ_ARG), &where);
	if (where < 0)
	{
		st->sum.f[BTYD_REPEAT] += st->sum.f[BTYD_FIRST];
		st->sum.f[BTYD_FIRST] = amount;
	}
	else
		st->sum.f[where == 0 ? BTYD_FIRST : BTYD_REPEAT] += amount;
	btyd_check_float8_sum(st->sum.f[BTYD_REPEAT]);
	btyd_check_float8_sum(st->sum.f[BTYD_FIRST]);
	st->purchases++;
	PG_RETURN_POINTER(st);
}

/*
 * btyd_combine(state, state): merge two partial states of one group.
 */
Datum
btyd_combine(PG_FUNCTION_ARGS)
{
	BtydState  *b = (BtydState *) PG_GETARG_VARLENA_P(1);
	BtydState  *a = btyd_state_arg(fcinfo, b->kind);
	int32	   *merged;
	int32		n = 0;
	int32		i = 0,
				j = 0;

	if (!(b->flags & BTYD_HAS_AS_OF))
		PG_RETURN_POINTER(a);
	if (!(a->flags & BTYD_HAS_AS_OF))
	{
		a->as_of = b->as_of;
		a->as_of_day = b->as_of_day;
		a->unit = b->unit;
		a->flags |= BTYD_HAS_AS_OF;
	}
	else
	{
		memval_check_same_as_of(a->as_of, b->as_of);
		if (a->unit != b->unit)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("btyd() unit differs within one group"),
					 errdetail("Every row of a group must carry the same unit.")));
	}
	if (b->ndays == 0)
		PG_RETURN_POINTER(a);

	/* the sums: whichever first day is later becomes a repeat day */
	if (a->kind == BTYD_FLOAT8)
	{
		a->sum.f[BTYD_REPEAT] += b->sum.f[BTYD_REPEAT];
		if (a->ndays == 0 || b->days[0] < a->days[0])
		{
			a->sum.f[BTYD_REPEAT] += a->sum.f[BTYD_FIRST];
			a->sum.f[BTYD_FIRST] = b->sum.f[BTYD_FIRST];
		}
		else
			a->sum.f[b->days[0] == a->days[0] ? BTYD_FIRST : BTYD_REPEAT] += b->sum.f[BTYD_FIRST];
		btyd_check_float8_sum(a->sum.f[BTYD_REPEAT]);
		btyd_check_float8_sum(a->sum.f[BTYD_FIRST]);
	}
	else
	{
		AmountSum	bfirst = btyd_sum_get(b, BTYD_FIRST);
		AmountSum	brepeat = btyd_sum_get(b, BTYD_REPEAT);

		btyd_add_numeric(a, BTYD_REPEAT, &brepeat);
		if (a->ndays == 0 || b->days[0] < a->days[0])
		{
			AmountSum	afirst = btyd_sum_get(a, BTYD_FIRST);

			btyd_add_numeric(a, BTYD_REPEAT, &afirst);
			btyd_sum_put(a, BTYD_FIRST, &bfirst);
		}
		else
			btyd_add_numeric(a, b->days[0] == a->days[0] ? BTYD_FIRST : BTYD_REPEAT, &bfirst);
	}
	a->purchases += b->purchases;

	/* the day sets: a sorted union */
	merged = palloc((Size) (a->ndays + b->ndays) * sizeof(int32));
	while (i < a->ndays || j < b->ndays)
	{
		int32		d;

		if (j >= b->ndays || (i < a->ndays && a->days[i] < b->days[j]))
			d = a->days[i++];
		else if (i >= a->ndays || b->days[j] < a->days[i])
			d = b->days[j++];
		else
		{
			d = a->days[i++];
			j++;
		}
		merged[n++] = d;
	}
	if (n > a->capacity)
		a = btyd_state_make(a, btyd_capacity_for(n));
	memcpy(a->days, merged, n * sizeof(int32));
	a->ndays = n;
	pfree(merged);
	PG_RETURN_POINTER(a);
}

/*
 * btyd_state_advance(state, as_of [, tz]): the same state evaluated at a later
 * instant (incremental refresh: yesterday's stored state, advanced to
 * today, merges with the state of today's orders).  Only as_of and its
 * day change; moving back in time would need orders the state no longer
 * has: an error.
 */
Datum
btyd_state_advance(PG_FUNCTION_ARGS)
{
	BtydState  *st;
	TimestampTz as_of;

	/* the tz form is not STRICT (a NULL tz is the session's) */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	st = (BtydState *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
	as_of = PG_GETARG_TIMESTAMPTZ(1);

	memval_check_timestamp(as_of, "as_of");
	if (st->flags & BTYD_HAS_AS_OF)
	{
		if (as_of < st->as_of)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot move a btyd_state back in time"),
					 errdetail("The state is as of %s; the new as_of is earlier.",
							   timestamptz_to_str(st->as_of))));
		st->as_of = as_of;
		st->as_of_day = btyd_local_day(fcinfo, as_of, 2);
	}
	PG_RETURN_POINTER(st);
}

/* The numeric sum k of st as a Numeric. */
Numeric
btyd_numeric(const BtydState *st, int k)
{
	AmountSum	s = btyd_sum_get(st, k);

	return amount_to_numeric(&s);
}

enum
{
	BTYD_ATT_X,
	BTYD_ATT_T_X,
	BTYD_ATT_T,
	BTYD_ATT_M,
	BTYD_ATT_PURCHASES,
	BTYD_NATTS
};

/*
 * btyd_final(state) → btyd: reads the state, never changes it.
 */
Datum
btyd_final(PG_FUNCTION_ARGS)
{
	BtydState  *st;
	TupleDesc	td;
	Datum		values[BTYD_NATTS];
	bool		nulls[BTYD_NATTS];
	float8		unit_days;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (BtydState *) PG_GETARG_VARLENA_P(0);
	if (!(st->flags & BTYD_HAS_AS_OF))
		PG_RETURN_NULL();		/* no row to evaluate */

	td = (TupleDesc) fcinfo->flinfo->fn_extra;
	if (td == NULL)
	{
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "btyd final function must return a composite type");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		td = BlessTupleDesc(CreateTupleDescCopy(td));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = td;
	}

	memset(nulls, 0, sizeof(nulls));
	memset(values, 0, sizeof(values));
	values[BTYD_ATT_PURCHASES] = Int64GetDatum(st->purchases);
	if (st->ndays == 0)
	{
		nulls[BTYD_ATT_X] = nulls[BTYD_ATT_T_X] = nulls[BTYD_ATT_T] = true;
		nulls[BTYD_ATT_M] = true;
	}
	else
	{
		int32		x = st->ndays - 1;

		unit_days = (float8) st->unit / (float8) USECS_PER_DAY;
		values[BTYD_ATT_X] = Float8GetDatum((float8) x);
		values[BTYD_ATT_T_X] = Float8GetDatum((float8) (st->days[x] - st->days[0]) / unit_days);
		values[BTYD_ATT_T] = Float8GetDatum((float8) (st->as_of_day - st->days[0]) / unit_days);
		if (x == 0)
			nulls[BTYD_ATT_M] = true;
		else if (st->kind == BTYD_FLOAT8)
			values[BTYD_ATT_M] = Float8GetDatum(st->sum.f[BTYD_REPEAT] / (float8) x);
		else
		{
			/* exactly as avg(numeric) divides, then to float8 */
			Datum		q = DirectFunctionCall2(numeric_div,
												NumericGetDatum(btyd_numeric(st, BTYD_REPEAT)),
												DirectFunctionCall1(int4_numeric, Int32GetDatum(x)));

			values[BTYD_ATT_M] = DirectFunctionCall1(numeric_float8, q);
		}
	}
	return HeapTupleGetDatum(heap_form_tuple(td, values, nulls));
}
