/*
 * cohort.c
 *	  Cohort retention and AARRR metrics (SPEC §6) in one pass over the
 *	  orders:
 *
 *	   SELECT * FROM cohort_retention((
 *		 SELECT cohort_table(a) FROM (
 *		   SELECT cohort_activity(order_ts, amount, '1 month') AS a
 *		   FROM orders GROUP BY customer_id) s));
 *
 * cohort_activity(order_ts, amount, period [, tz]) is a per-customer
 * aggregate: for every period with a row, the purchases (amount >= 0)
 * and the net amount (purchases plus refunds), exact.  cohort_table(a)
 * aggregates those over the customers: the customer's cohort is the
 * period of their first purchase; for each later period k (k = 0 is the
 * cohort period) it counts the customers with a purchase, their
 * purchases and the net revenue of the cohort; per cohort the size, the
 * purchases and the repeat customers (two purchases or more).  A customer
 * without a purchase (refunds only) is in no cohort; rows in periods
 * before a customer's cohort are ignored.  Both states are real types
 * with combine functions, so either level can run in parallel or on
 * Citus workers; cohort_retention() and cohort_summary() read the table.
 *
 * Periods are taken in local time (the tz argument, or the session's time
 * zone when it is NULL or absent): an interval of months only counts
 * calendar months from January 2000 ('3 months' gives quarters, '1 year'
 * years); an interval without months cuts local time into buckets of its
 * length from Monday 2000-01-03 00:00 ('1 week' gives ISO weeks, '1 day'
 * local days).  An interval with both months and days is refused.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "cohort.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "localday.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(cohort_activity_trans);
PG_FUNCTION_INFO_V1(cohort_activity_combine);
PG_FUNCTION_INFO_V1(cohort_table_trans);
PG_FUNCTION_INFO_V1(cohort_table_combine);
PG_FUNCTION_INFO_V1(cohort_retention);
PG_FUNCTION_INFO_V1(cohort_summary);

/* Monday 2000-01-03 00:00 local: the origin of fixed-length buckets. */
#define COHORT_ORIGIN_USECS		(2 * USECS_PER_DAY)

/* ----------------------------------------------------------------
 * Periods
 * ----------------------------------------------------------------
 */

static inline int64
floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* What one call site of the transition function caches (fn_extra). */
typedef struct CohortCall
{
	LocalZone  *zone;			/* offsets of tz (localday.c) */
	pg_tz	   *tz;
	bool		have;			/* the fields below are set */
	bool		session;		/* tz is the session's (tz argument NULL) */
	text	   *tzarg;			/* the tz argument (not session) */
	Interval	period;			/* the period argument */
	CohortSpec	spec;
} CohortCall;

static void
cohort_spec_of(const Interval *iv, CohortSpec *spec)
{
	if (iv->month != 0 && (iv->day != 0 || iv->time != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be whole months or a fixed length, not both"),
				 errhint("Use e.g. '1 month', '3 months', '1 week' or '12 hours'.")));
	spec->months = iv->month;
	spec->usecs = 0;
	if (iv->month == 0)
	{
		int128		u = (int128) iv->day * USECS_PER_DAY + iv->time;

		if (u > PG_INT64_MAX)
			u = -1;
		spec->usecs = (int64) u;
	}
	if (spec->months < 0 || (spec->months == 0 && spec->usecs <= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be positive")));
}

/*
 * The call's period and zone from the arguments (period at argno, tz at
 * argno + 1 if there is one), cached while they do not change.
 */
static CohortCall *
cohort_call(FunctionCallInfo fcinfo, int argno)
{
	CohortCall *cc = (CohortCall *) fcinfo->flinfo->fn_extra;
	bool		has_tz = PG_NARGS() > argno + 1 && !PG_ARGISNULL(argno + 1);
	Interval   *iv;
	text	   *tzarg = has_tz ? PG_GETARG_TEXT_PP(argno + 1) : NULL;
	const char *name;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("period must not be null")));
	iv = PG_GETARG_INTERVAL_P(argno);
	if (cc == NULL)
		cc = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CohortCall));
	if (cc->have && memcmp(&cc->period, iv, sizeof(Interval)) == 0 &&
		(has_tz ? (!cc->session && VARSIZE_ANY(cc->tzarg) == VARSIZE_ANY(tzarg) &&
				   memcmp(cc->tzarg, tzarg, VARSIZE_ANY(tzarg)) == 0)
		 : (cc->session && cc->tz == session_timezone)))
		return cc;

	cohort_spec_of(iv, &cc->spec);
	cc->period = *iv;
	if (has_tz)
	{
		char	   *s = text_to_cstring(tzarg);

		cc->tz = pg_tzset(s);
		if (cc->tz == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("time zone \"%s\" not recognized", s),
					 errhint("Use a name from pg_timezone_names, e.g. 'Asia/Shanghai', or NULL for the session's.")));
		if (cc->tzarg)
			pfree(cc->tzarg);
		cc->tzarg = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE_ANY(tzarg));
		memcpy(cc->tzarg, tzarg, VARSIZE_ANY(tzarg));
		cc->session = false;
	}
	else
	{
		cc->tz = session_timezone;
		cc->session = true;
	}
	name = pg_get_timezone_name(cc->tz);
	cc->spec.tzhash = hash_bytes((const unsigned char *) name, strlen(name));
	cc->have = true;
	return cc;
}

/* The period number of a timestamptz. */
static int64
cohort_period_of(FunctionCallInfo fcinfo, CohortCall *cc, TimestampTz ts)
{
	Timestamp	local = local_time(&cc->zone, fcinfo->flinfo->fn_mcxt, cc->tz, ts);

	if (cc->spec.months > 0)
	{
		int			y,
					m,
					d;

		j2date((int) floor_div(local, USECS_PER_DAY) + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		return floor_div((int64) (y - 2000) * 12 + (m - 1), cc->spec.months);
	}
	return floor_div(local - COHORT_ORIGIN_USECS, cc->spec.usecs);
}

/* The local start of a period, as a timestamp. */
static Timestamp
cohort_period_start(const CohortSpec *spec, int64 period)
{
	if (spec->months > 0)
	{
		int64		mon = period * spec->months;
		int64		y = 2000 + floor_div(mon, 12);
		int			m = (int) (mon - floor_div(mon, 12) * 12) + 1;

		if (y < -4713 || y > 294276)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamp out of range")));
		return (Timestamp) (date2j((int) y, m, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY;
	}
	return COHORT_ORIGIN_USECS + period * spec->usecs;
}

static void
cohort_check_spec(const CohortSpec *a, const CohortSpec *b)
{
	if (a->months != b->months || a->usecs != b->usecs)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period differs between cohort states"),
				 errdetail("Every row and every merged state must use the same period.")));
	if (a->tzhash != b->tzhash)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone differs between cohort states"),
				 errdetail("Every row and every merged state must use the same time zone."),
				 errhint("Pass the tz argument explicitly where sessions may differ (Citus workers).")));
}

/* ----------------------------------------------------------------
 * Both states
 * ----------------------------------------------------------------
 */

StaticAssertDecl(offsetof(CohortActivity, n) == offsetof(CohortHead, n) &&
				 offsetof(CohortActivity, spec) == offsetof(CohortHead, spec) &&
				 offsetof(CohortActivity, capacity) == offsetof(CohortHead, capacity) &&
				 offsetof(CohortActivity, version) == offsetof(CohortHead, version) &&
				 offsetof(CohortTable, n) == offsetof(CohortHead, n) &&
				 offsetof(CohortTable, spec) == offsetof(CohortHead, spec) &&
				 offsetof(CohortTable, capacity) == offsetof(CohortHead, capacity) &&
				 offsetof(CohortTable, version) == offsetof(CohortHead, version) &&
				 offsetof(CohortActivity, e) == offsetof(CohortTable, c),
				 "cohort_activity and cohort_table share their header");

#define COHORT_ENTRIES(st)	((char *) (st) + offsetof(CohortTable, c))
#define COHORT_WIDTH(table)	((table) ? sizeof(CohortCell) : sizeof(CohortActEntry))

void
cohort_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("cohort sum out of range"),
			 errdetail("Cohort revenues are kept exactly in 128 bits with at most %d decimals.",
					   AMOUNT_MAX_SCALE)));
}

/*
 * A new empty state (CurrentMemoryContext) of the smallest power-of-two
 * size with room for capacity entries, the room beyond used too.  The
 * transition and combine functions make their new states here, in the
 * per-row context, and the executor copies the one they return into the
 * aggregate context (freeing the state it replaces), so a state that grows
 * leaves nothing behind.
 */
void *
cohort_state_make(bool table, const CohortSpec *spec, int32 capacity)
{
	Size		width = COHORT_WIDTH(table);
	Size		head = offsetof(CohortTable, c);
	Size		size = 128;
	CohortHead *h;

	if (capacity < 1)
		capacity = 1;
	if (capacity > COHORT_MAX_ENTRIES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many entries in one %s state",
						table ? "cohort_table" : "cohort_activity")));
	while (size < head + (Size) capacity * width)
		size *= 2;
	if (size > MaxAllocSize)
		size = head + (Size) capacity * width;
	h = (CohortHead *) palloc0(size);
	SET_VARSIZE(h, size);
	h->spec = *spec;
	h->capacity = (int32) ((size - head) / width);
	h->version = MEMVAL_STATE_VERSION;
	return h;
}

/* Adds b's sum (acc, scale) into e's; 22003 when it does not fit. */
static inline void
cohort_add_sum(int128 *acc, int16 *scale, int128 bacc, int16 bscale)
{
	AmountSum	s = {*acc, *scale, 0};
	AmountSum	t = {bacc, bscale, 0};

	if (!amount_merge(&s, &t))
		cohort_overflow();
	*acc = s.acc;
	*scale = (int16) s.scale;
}

static inline int
cell_cmp(const CohortCell *c, int64 cohort, int64 k)
{
	if (c->cohort != cohort)
		return c->cohort < cohort ? -1 : 1;
	if (c->k != k)
		return c->k < k ? -1 : 1;
	return 0;
}

static void
cohort_cell_add(CohortCell *c, const CohortCell *d)
{
	cohort_add_sum(&c->acc, &c->scale, d->acc, d->scale);
	c->customers += d->customers;
	c->purchases += d->purchases;
	c->repeaters += d->repeaters;
}

/* The order of two entries of a state: by period, or by (cohort, k). */
static inline int
cohort_entry_cmp(bool table, const void *x, const void *y)
{
	if (table)
		return cell_cmp((const CohortCell *) x, ((const CohortCell *) y)->cohort,
						((const CohortCell *) y)->k);
	if (((const CohortActEntry *) x)->period != ((const CohortActEntry *) y)->period)
		return ((const CohortActEntry *) x)->period < ((const CohortActEntry *) y)->period ? -1 : 1;
	return 0;
}

/* Adds entry y into x (the same key). */
static inline void
cohort_entry_add(bool table, void *x, const void *y)
{
	if (table)
		cohort_cell_add((CohortCell *) x, (const CohortCell *) y);
	else
	{
		CohortActEntry *o = (CohortActEntry *) x;
		const CohortActEntry *b = (const CohortActEntry *) y;

		cohort_add_sum(&o->acc, &o->scale, b->acc, b->scale);
		if ((int64) o->purchases + b->purchases > PG_INT32_MAX)
			cohort_overflow();
		o->purchases += b->purchases;
	}
}

/*
 * The combine function of both aggregates: the union of the two states'
 * entries, the sums of equal keys added, in a new state (see
 * cohort_state_make); a NULL side gives the other.
 */
static Datum
cohort_combine(FunctionCallInfo fcinfo, bool table)
{
	Size		width = COHORT_WIDTH(table);
	CohortHead *a,
			   *b,
			   *r;
	char	   *ae,
			   *be,
			   *re;
	int32		i = 0,
				j = 0;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called as part of an aggregate",
						table ? "cohort_table_combine" : "cohort_activity_combine")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();	/* still no state: NULL, not a zero pointer */
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = (CohortHead *) PG_GETARG_VARLENA_P(1);
	cohort_check_version(b, table);
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(b);	/* the executor copies it */
	a = (CohortHead *) PG_GETARG_VARLENA_P(0);
	cohort_check_version(a, table);
	cohort_check_spec(&a->spec, &b->spec);
	r = cohort_state_make(table, &a->spec, a->n + b->n);
	ae = COHORT_ENTRIES(a);
	be = COHORT_ENTRIES(b);
	re = COHORT_ENTRIES(r);
	while (i < a->n || j < b->n)
	{
		char	   *o = re + (Size) r->n++ * width;
		int			cmp;

		CHECK_FOR_INTERRUPTS();
		cmp = j >= b->n ? -1 : i >= a->n ? 1 :
			cohort_entry_cmp(table, ae + (Size) i * width, be + (Size) j * width);
		if (cmp <= 0)
			memcpy(o, ae + (Size) i++ * width, width);
		else
			memcpy(o, be + (Size) j++ * width, width);
		if (cmp == 0)
			cohort_entry_add(table, o, be + (Size) j++ * width);
	}
	PG_RETURN_POINTER(r);
}

/* ----------------------------------------------------------------
 * cohort_activity: one customer
 * ----------------------------------------------------------------
 */

/*
 * The entry of period p in a, inserted if new; a new, larger state (see
 * cohort_state_make) when a is full.
 */
static CohortActEntry *
cohort_activity_entry(CohortActivity **ap, int64 p)
{
	CohortActivity *a = *ap;
	int			lo = 0,
				hi = a->n;

	/* orders usually come in time order: try the last entry first */
	if (a->n > 0 && a->e[a->n - 1].period <= p)
		lo = a->n - 1;
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (a->e[mid].period < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < a->n && a->e[lo].period == p)
		return &a->e[lo];
	if (a->n == a->capacity)
	{
		CohortActivity *b = cohort_state_make(false, &a->spec, a->capacity + 1);

		b->n = a->n;
		memcpy(b->e, a->e, a->n * sizeof(CohortActEntry));
		*ap = a = b;
	}
	memmove(&a->e[lo + 1], &a->e[lo], (a->n - lo) * sizeof(CohortActEntry));
	memset(&a->e[lo], 0, sizeof(CohortActEntry));
	a->e[lo].period = p;
	a->n++;
	return &a->e[lo];
}

/*
 * cohort_activity_trans(state, order_ts, amount numeric, period interval
 * [, tz text]).  Rows with a NULL order_ts or amount are skipped.
 */
Datum
cohort_activity_trans(PG_FUNCTION_ARGS)
{
	CohortActivity *a;
	CohortCall *cc;
	CohortActEntry *e;
	AmountSum	s;
	TimestampTz ts;
	int			sign;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cohort_activity_trans can only be called as part of an aggregate")));
	cc = cohort_call(fcinfo, 3);
	if (PG_ARGISNULL(0))
		a = cohort_state_make(false, &cc->spec, 1);
	else
	{
		a = (CohortActivity *) PG_GETARG_POINTER(0);
		cohort_check_spec(&a->spec, &cc->spec);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(a);
	ts = PG_GETARG_TIMESTAMPTZ(1);
	memval_check_timestamp(ts, "order_ts");

	e = cohort_activity_entry(&a, cohort_period_of(fcinfo, cc, ts));
	s.acc = e->acc;
	s.scale = e->scale;
	s.pad = 0;
	if (!amount_add_datum(&s, PG_GETARG_DATUM(2), &sign))
		cohort_overflow();
	e->acc = s.acc;
	e->scale = (int16) s.scale;
	if (sign >= 0)
	{
		if (e->purchases == PG_INT32_MAX)
			cohort_overflow();
		e->purchases++;
	}
	PG_RETURN_POINTER(a);
}

/* Merges two activities of one customer. */
Datum
cohort_activity_combine(PG_FUNCTION_ARGS)
{
	return cohort_combine(fcinfo, false);
}

/* ----------------------------------------------------------------
 * cohort_table: the population
 * ----------------------------------------------------------------
 */

/*
 * Room for extra more cells: a new state (see cohort_state_make) when t
 * is short of room, so a call grows the table at most once.
 */
static CohortTable *
cohort_table_reserve(CohortTable *t, int32 extra)
{
	CohortTable *b;

	if ((int64) t->n + extra <= t->capacity)
		return t;
	if ((int64) t->n + extra > COHORT_MAX_ENTRIES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many entries in one cohort_table state")));
	b = cohort_state_make(true, &t->spec, Max(t->n + extra, t->capacity + 1));
	b->n = t->n;
	memcpy(b->c, t->c, t->n * sizeof(CohortCell));
	return b;
}

/* The cell (cohort, k) of t, inserted if new (room reserved); *hint: search start. */
static CohortCell *
cohort_cell(CohortTable *t, int64 cohort, int64 k, int *hint)
{
	int			lo = 0,
				hi = t->n;

	/* the cells of one customer come in ascending k: try after the last hit */
	if (*hint < t->n && cell_cmp(&t->c[*hint], cohort, k) <= 0)
		lo = *hint;
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (cell_cmp(&t->c[mid], cohort, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*hint = lo;
	if (lo < t->n && cell_cmp(&t->c[lo], cohort, k) == 0)
		return &t->c[lo];
	if (t->n == t->capacity)
		elog(ERROR, "cohort table full: room should have been reserved");
	memmove(&t->c[lo + 1], &t->c[lo], (t->n - lo) * sizeof(CohortCell));
	memset(&t->c[lo], 0, sizeof(CohortCell));
	t->c[lo].cohort = cohort;
	t->c[lo].k = k;
	t->n++;
	return &t->c[lo];
}

/* cohort_table_trans(state, cohort_activity): adds one customer. */
Datum
cohort_table_trans(PG_FUNCTION_ARGS)
{
	CohortTable *t;
	CohortActivity *a;
	CohortCell	tot;
	int			first = -1;
	int			hint = 0;
	CohortCell *c;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cohort_table_trans can only be called as part of an aggregate")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();	/* still no state: NULL, not a zero pointer */
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	a = (CohortActivity *) PG_GETARG_VARLENA_P(1);
	cohort_check_version(a, false);
	if (PG_ARGISNULL(0))
		t = cohort_state_make(true, &a->spec, 16);
	else
	{
		t = (CohortTable *) PG_GETARG_POINTER(0);
		cohort_check_spec(&t->spec, &a->spec);
	}
	for (int i = 0; i < a->n && first < 0; i++)
		if (a->e[i].purchases > 0)
			first = i;
	if (first < 0)
		PG_RETURN_POINTER(t);	/* no purchase: in no cohort */

	memset(&tot, 0, sizeof(tot));
	t = cohort_table_reserve(t, a->n - first + 1);
	for (int i = first; i < a->n; i++)
	{
		const CohortActEntry *e = &a->e[i];
		CohortCell	d;

		memset(&d, 0, sizeof(d));
		d.acc = e->acc;
		d.scale = e->scale;
		d.customers = e->purchases > 0;
		d.purchases = e->purchases;
		c = cohort_cell(t, a->e[first].period, e->period - a->e[first].period, &hint);
		cohort_cell_add(c, &d);
		d.customers = 0;
		cohort_cell_add(&tot, &d);
	}
	tot.customers = 1;
	tot.repeaters = tot.purchases >= 2;
	hint = 0;
	c = cohort_cell(t, a->e[first].period, -1, &hint);
	cohort_cell_add(c, &tot);
	PG_RETURN_POINTER(t);
}

/* Merges two cohort tables. */
Datum
cohort_table_combine(PG_FUNCTION_ARGS)
{
	return cohort_combine(fcinfo, true);
}

/* ----------------------------------------------------------------
 * Reading the table
 * ----------------------------------------------------------------
 */

/*
 * cohort_retention(cohort_table) → (cohort timestamp, period int,
 * cohort_size bigint, customers bigint, retention float8, purchases
 * bigint, revenue numeric), by cohort and period.
 */
Datum
cohort_retention(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CohortTable *t = (CohortTable *) PG_GETARG_VARLENA_P(0);
	int64		size = 0;

	cohort_check_version(t, true);
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < t->n; i++)
	{
		const CohortCell *c = &t->c[i];
		Datum		values[7];
		bool		nulls[7] = {0};

		CHECK_FOR_INTERRUPTS();
		if (c->k < 0)
		{
			size = c->customers;	/* the cohort's totals come first */
			continue;
		}
		if (c->k > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("period index " INT64_FORMAT " out of range", c->k)));
		values[0] = TimestampGetDatum(cohort_period_start(&t->spec, c->cohort));
		values[1] = Int32GetDatum((int32) c->k);
		values[2] = Int64GetDatum(size);
		values[3] = Int64GetDatum(c->customers);
		values[4] = Float8GetDatum(size > 0 ? (float8) c->customers / size : 0);
		values[5] = Int64GetDatum(c->purchases);
		values[6] = NumericGetDatum(cohort_numeric(c->acc, c->scale));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * cohort_summary(cohort_table) → (cohort timestamp, customers bigint,
 * repeat_customers bigint, repurchase_rate float8, purchases bigint,
 * purchases_per_customer float8, revenue numeric), by cohort.
 */
Datum
cohort_summary(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CohortTable *t = (CohortTable *) PG_GETARG_VARLENA_P(0);

	cohort_check_version(t, true);
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < t->n; i++)
	{
		const CohortCell *c = &t->c[i];
		Datum		values[7];
		bool		nulls[7] = {0};

		CHECK_FOR_INTERRUPTS();
		if (c->k >= 0 || c->customers <= 0)
			continue;
		values[0] = TimestampGetDatum(cohort_period_start(&t->spec, c->cohort));
		values[1] = Int64GetDatum(c->customers);
		values[2] = Int64GetDatum(c->repeaters);
		values[3] = Float8GetDatum((float8) c->repeaters / c->customers);
		values[4] = Int64GetDatum(c->purchases);
		values[5] = Float8GetDatum((float8) c->purchases / c->customers);
		values[6] = NumericGetDatum(cohort_numeric(c->acc, c->scale));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
