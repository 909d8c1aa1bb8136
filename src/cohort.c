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
#include "utils/expandeddatum.h"
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
 * input functions make their values here, and cohort_activity's
 * transition and combine functions their new states, in the per-row
 * context, and the executor copies the one they return into the
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

/*
 * The combine function of cohort_activity: the union of the two states'
 * periods, the sums of equal periods added, in a new state (see
 * cohort_state_make); a NULL side gives the other.  (cohort_table has its
 * own, below: it adds into the table being built.)
 */
static Datum
cohort_activity_merge(FunctionCallInfo fcinfo)
{
	CohortActivity *a,
			   *b,
			   *r;
	int32		i = 0,
				j = 0;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cohort_activity_combine can only be called as part of an aggregate")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();	/* still no state: NULL, not a zero pointer */
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = (CohortActivity *) PG_GETARG_VARLENA_P(1);
	cohort_check_version(b, false);
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(b);	/* the executor copies it */
	a = (CohortActivity *) PG_GETARG_VARLENA_P(0);
	cohort_check_version(a, false);
	cohort_check_spec(&a->spec, &b->spec);
	r = cohort_state_make(false, &a->spec, a->n + b->n);
	while (i < a->n || j < b->n)
	{
		CohortActEntry *o = &r->e[r->n++];

		CHECK_FOR_INTERRUPTS();
		if (j >= b->n || (i < a->n && a->e[i].period < b->e[j].period))
			*o = a->e[i++];
		else if (i >= a->n || b->e[j].period < a->e[i].period)
			*o = b->e[j++];
		else
		{
			*o = a->e[i++];
			cohort_add_sum(&o->acc, &o->scale, b->e[j].acc, b->e[j].scale);
			if ((int64) o->purchases + b->e[j].purchases > PG_INT32_MAX)
				cohort_overflow();
			o->purchases += b->e[j++].purchases;
		}
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
	return cohort_activity_merge(fcinfo);
}

/* ----------------------------------------------------------------
 * cohort_table: the population
 * ----------------------------------------------------------------
 */

/*
 * While the aggregate builds it, a cohort_table is an expanded object (as
 * PostgreSQL's expanded arrays; utils/expandeddatum.h): the cells in the
 * order they came, with an open-addressing index on (cohort, k), so a new
 * cell costs O(1) whatever the size of the table.  (A sorted flat state
 * moved every later cell for each new one: with daily periods over a few
 * years, hundreds of thousands of cells, that was quadratic.)  The
 * executor flattens it, sorted by (cohort, k), wherever it needs the
 * varlena: the aggregate's result passed on, a parallel worker's partial
 * state, a stored value.  Its memory context is a child of the aggregate
 * context, so the executor keeps it from row to row without copying.
 */
typedef struct CohortBuild
{
	ExpandedObjectHeader hdr;
	CohortSpec	spec;
	int32		n;				/* cells in use */
	int32		capacity;		/* room in cells */
	CohortCell *cells;			/* in arrival order */
	int32	   *slots;			/* 1 + the index of a cell; 0: empty */
	uint32		mask;			/* number of slots - 1 (a power of two) */
} CohortBuild;

static Size cohort_build_flat_size(ExpandedObjectHeader *eohptr);
static void cohort_build_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods cohort_build_methods = {
	cohort_build_flat_size,
	cohort_build_flatten
};

static inline uint32
cell_hash(int64 cohort, int64 k)
{
	uint64		h = (uint64) cohort * UINT64CONST(0x9E3779B97F4A7C15) ^ (uint64) k;

	h ^= h >> 31;
	h *= UINT64CONST(0xD6E8FEB86659FD93);
	h ^= h >> 32;
	return (uint32) h;
}

/* (Re)builds the index of b with room for twice its capacity. */
static void
cohort_build_index(CohortBuild *b)
{
	Size		nslots = 16;

	while (nslots < 2 * (Size) b->capacity)
		nslots *= 2;
	if (b->slots)
		pfree(b->slots);
	b->slots = MemoryContextAllocZero(b->hdr.eoh_context, nslots * sizeof(int32));
	b->mask = (uint32) (nslots - 1);
	for (int32 i = 0; i < b->n; i++)
	{
		uint32		h = cell_hash(b->cells[i].cohort, b->cells[i].k) & b->mask;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		while (b->slots[h] != 0)
			h = (h + 1) & b->mask;
		b->slots[h] = i + 1;
	}
}

static CohortBuild *
cohort_build_new(MemoryContext parent, const CohortSpec *spec, int32 capacity)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "cohort_table", ALLOCSET_DEFAULT_SIZES);
	CohortBuild *b = MemoryContextAllocZero(cxt, sizeof(CohortBuild));

	EOH_init_header(&b->hdr, &cohort_build_methods, cxt);
	b->spec = *spec;
	b->capacity = Min(Max(capacity, 64), COHORT_MAX_ENTRIES);
	b->cells = MemoryContextAlloc(cxt, (Size) b->capacity * sizeof(CohortCell));
	cohort_build_index(b);
	return b;
}

/* The cell (cohort, k) of b, added (zero) if new. */
static CohortCell *
cohort_build_cell(CohortBuild *b, int64 cohort, int64 k)
{
	uint32		h = cell_hash(cohort, k) & b->mask;
	CohortCell *c;

	for (; b->slots[h] != 0; h = (h + 1) & b->mask)
	{
		c = &b->cells[b->slots[h] - 1];
		if (c->cohort == cohort && c->k == k)
			return c;
	}
	if (b->n == b->capacity)
	{
		if (b->n >= COHORT_MAX_ENTRIES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many entries in one cohort_table state")));
		b->capacity = (int32) Min((int64) b->capacity * 2, (int64) COHORT_MAX_ENTRIES);
		b->cells = repalloc(b->cells, (Size) b->capacity * sizeof(CohortCell));
		cohort_build_index(b);
		return cohort_build_cell(b, cohort, k);
	}
	c = &b->cells[b->n];
	memset(c, 0, sizeof(CohortCell));
	c->cohort = cohort;
	c->k = k;
	b->slots[h] = ++b->n;
	return c;
}

static void
cohort_build_add_table(CohortBuild *b, const CohortTable *t)
{
	for (int32 i = 0; i < t->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		cohort_cell_add(cohort_build_cell(b, t->c[i].cohort, t->c[i].k), &t->c[i]);
	}
}

static Size
cohort_build_flat_size(ExpandedObjectHeader *eohptr)
{
	return COHORT_TABLE_SIZE(((CohortBuild *) eohptr)->n);
}

static int
cell_qsort_cmp(const void *x, const void *y)
{
	return cell_cmp((const CohortCell *) x, ((const CohortCell *) y)->cohort,
					((const CohortCell *) y)->k);
}

/* The flat cohort_table: the cells sorted by (cohort, k). */
static void
cohort_build_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	CohortBuild *b = (CohortBuild *) eohptr;
	CohortTable *t = (CohortTable *) result;

	Assert(allocated_size == COHORT_TABLE_SIZE(b->n));
	memset(t, 0, offsetof(CohortTable, c));
	SET_VARSIZE(t, allocated_size);
	t->n = b->n;
	t->spec = b->spec;
	t->capacity = b->n;
	t->version = MEMVAL_STATE_VERSION;
	memcpy(t->c, b->cells, (Size) b->n * sizeof(CohortCell));
	qsort(t->c, b->n, sizeof(CohortCell), cell_qsort_cmp);
}

/*
 * The state of argument 0 as a CohortBuild to add to: a new one when it
 * is NULL, itself when it is one (read-write, in the aggregate context),
 * else (a flat state) a new one with its cells.
 */
static CohortBuild *
cohort_build_arg(FunctionCallInfo fcinfo, MemoryContext aggcxt, const CohortSpec *spec)
{
	CohortBuild *b;
	CohortTable *t;

	if (PG_ARGISNULL(0))
		return cohort_build_new(aggcxt, spec, 64);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))) &&
		DatumGetEOHP(PG_GETARG_DATUM(0))->eoh_methods == &cohort_build_methods)
	{
		b = (CohortBuild *) DatumGetEOHP(PG_GETARG_DATUM(0));
		cohort_check_spec(&b->spec, spec);
		return b;
	}
	t = (CohortTable *) PG_GETARG_VARLENA_P(0);
	cohort_check_version(t, true);
	cohort_check_spec(&t->spec, spec);
	b = cohort_build_new(aggcxt, &t->spec, t->n);
	cohort_build_add_table(b, t);
	return b;
}

/* cohort_table_trans(state, cohort_activity): adds one customer. */
Datum
cohort_table_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	CohortBuild *b;
	CohortActivity *a;
	CohortCell	tot;
	CohortCell *c;
	int			first = -1;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
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
	b = cohort_build_arg(fcinfo, aggcxt, &a->spec);
	for (int i = 0; i < a->n && first < 0; i++)
		if (a->e[i].purchases > 0)
			first = i;
	if (first < 0)
		PG_RETURN_DATUM(EOHPGetRWDatum(&b->hdr));	/* no purchase: in no cohort */

	memset(&tot, 0, sizeof(tot));
	for (int i = first; i < a->n; i++)
	{
		const CohortActEntry *e = &a->e[i];
		CohortCell	d;

		memset(&d, 0, sizeof(d));
		d.acc = e->acc;
		d.scale = e->scale;
		d.customers = e->purchases > 0;
		d.purchases = e->purchases;
		c = cohort_build_cell(b, a->e[first].period, e->period - a->e[first].period);
		cohort_cell_add(c, &d);
		d.customers = 0;
		cohort_cell_add(&tot, &d);
	}
	tot.customers = 1;
	tot.repeaters = tot.purchases >= 2;
	cohort_cell_add(cohort_build_cell(b, a->e[first].period, -1), &tot);
	PG_RETURN_DATUM(EOHPGetRWDatum(&b->hdr));
}

/*
 * Merges two cohort tables: the combine function of both cohort_table
 * aggregates and the transition function of cohort_table(cohort_table).
 */
Datum
cohort_table_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	CohortTable *t;
	CohortBuild *b;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cohort_table_combine can only be called as part of an aggregate")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();	/* still no state: NULL, not a zero pointer */
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	t = (CohortTable *) PG_GETARG_VARLENA_P(1);
	cohort_check_version(t, true);
	b = cohort_build_arg(fcinfo, aggcxt, &t->spec);
	cohort_build_add_table(b, t);
	PG_RETURN_DATUM(EOHPGetRWDatum(&b->hdr));
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
