/*
 * fit_state.c
 *	  fit_state: the transition state of every model fit (SPEC §5, §7).
 *
 * A fit needs only the distinct rows and how many customers share each
 * (sufficient statistics): the state is an open-addressing hash table of
 * (x, a, b) keys with counts, held in one varlena that is updated in
 * place in aggregate context and doubles when it fills up.  Memory is
 * therefore bounded by the number of distinct rows, not by the number of
 * customers; btyd() output in whole days compresses very well.
 *
 * The same type serves the count models (a = t_x, b = t) and Gamma-Gamma
 * (a = m, b = 0); its kind says which.  Text form (exact, sorted):
 *
 *	 count pen=<p|none> skipped=<k> <x>:<a>:<b>*<count> ...
 *
 * with shortest round-trip float8 text, so partial states can travel
 * between Citus nodes; the binary form starts with a version byte.
 */
#include "postgres.h"

#include "common/shortest_dec.h"
#include "fit.h"
#include "libpq/pqformat.h"
#include "memval.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/float.h"
#include "utils/memutils.h"

typedef struct FitEntry
{
	float8		x;
	float8		a;
	float8		b;
	int64		count;			/* 0: empty slot */
} FitEntry;

#define FIT_HAS_PENALIZER	0x01

typedef struct FitState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		kind;			/* FitKind */
	uint8		flags;			/* FIT_HAS_PENALIZER */
	uint16		pad;
	int32		capacity;		/* slots, a power of two */
	int64		used;			/* occupied slots (distinct rows) */
	int64		skipped;		/* rows skipped (Gamma-Gamma: x = 0, m NULL or <= 0) */
	float8		penalizer;		/* when FIT_HAS_PENALIZER */
	FitEntry	slots[FLEXIBLE_ARRAY_MEMBER];
} FitState;

#define FIT_MIN_CAPACITY	64
/* the largest table that fits a varlena (1 GB): 2^24 slots of 32 bytes */
#define FIT_MAX_CAPACITY	(1 << 24)
#define FIT_SIZE(cap)		(offsetof(FitState, slots) + (Size) (cap) * sizeof(FitEntry))

PG_FUNCTION_INFO_V1(fit_state_in);
PG_FUNCTION_INFO_V1(fit_state_out);
PG_FUNCTION_INFO_V1(fit_state_recv);
PG_FUNCTION_INFO_V1(fit_state_send);
PG_FUNCTION_INFO_V1(fit_count_trans);
PG_FUNCTION_INFO_V1(fit_spend_trans);
PG_FUNCTION_INFO_V1(fit_combine);

static const char *
fit_kind_name(int kind)
{
	return kind == FIT_COUNT ? "count" : "spend";
}

/* The one allocator: an empty table with the given header and capacity. */
static FitState *
fit_state_make(const FitState *proto, int32 capacity)
{
	FitState   *st = (FitState *) palloc0(FIT_SIZE(capacity));

	SET_VARSIZE(st, FIT_SIZE(capacity));
	st->kind = proto->kind;
	st->flags = proto->flags;
	st->penalizer = proto->penalizer;
	st->skipped = proto->skipped;
	st->capacity = capacity;
	return st;
}

static inline uint64
fit_key_bits(float8 v)
{
	uint64		u;

	if (v == 0)
		v = 0;					/* -0 and 0 are one key */
	memcpy(&u, &v, sizeof(u));
	return u;
}

/*
 * Whole-number doubles have all their entropy in the top bits, so every
 * key is run through a full 64-bit finaliser (murmur3's) before mixing.
 */
static inline uint64
fit_fmix64(uint64 h)
{
	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

static inline uint32
fit_hash(float8 x, float8 a, float8 b)
{
	uint64		h = fit_fmix64(fit_key_bits(b));

	h = fit_fmix64(h ^ fit_key_bits(a));
	h = fit_fmix64(h ^ fit_key_bits(x));
	return (uint32) h;
}

/* Add count customers with row (x, a, b); st must have a free slot. */
static void
fit_insert(FitState *st, float8 x, float8 a, float8 b, int64 count)
{
	uint32		mask = st->capacity - 1;
	uint32		i = fit_hash(x, a, b) & mask;

	for (;;)
	{
		FitEntry   *e = &st->slots[i];

		if (e->count == 0)
		{
			e->x = x == 0 ? 0 : x;
			e->a = a == 0 ? 0 : a;
			e->b = b == 0 ? 0 : b;
			e->count = count;
			st->used++;
			return;
		}
		if (e->x == x && e->a == a && e->b == b)
		{
			e->count += count;
			return;
		}
		i = (i + 1) & mask;
	}
}

/* Make room for more distinct rows: grows (a new palloc) when 3/4 full. */
static FitState *
fit_reserve(FitState *st, int64 extra)
{
	int64		cap = st->capacity;
	FitState   *nst;

	/* quadruple while small: each growth costs an allocation and a copy */
	while ((st->used + extra) * 4 >= cap * 3)
		cap *= cap < (1 << 16) ? 4 : 2;
	if (cap == st->capacity)
		return st;
	if (cap > FIT_MAX_CAPACITY)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct rows for a fit (more than %d)",
						FIT_MAX_CAPACITY / 4 * 3),
				 errhint("Round t_x and t, e.g. to whole days, so that identical rows compress.")));
	nst = fit_state_make(st, (int32) cap);
	for (int32 i = 0; i < st->capacity; i++)
	{
		FitEntry   *e = &st->slots[i];

		if (e->count > 0)
			fit_insert(nst, e->x, e->a, e->b, e->count);
	}
	return nst;
}

static FitState *
fit_state_empty(FitKind kind)
{
	FitState	proto;

	memset(&proto, 0, sizeof(proto));
	proto.kind = kind;
	return fit_state_make(&proto, FIT_MIN_CAPACITY);
}

static void
fit_check_kind(const FitState *st, FitKind kind)
{
	if (st->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fit_state holds %s rows, expected %s rows",
						fit_kind_name(st->kind), fit_kind_name(kind))));
}

/*
 * Under nodeAgg the state lives in an expanded object (a context of its
 * own, child of the aggregate context, holding the flat table): growing
 * the table then replaces it inside the object, and nodeAgg, which sees
 * the same read-write pointer every row, never copies it (a grown flat
 * varlena would be copied into the aggregate context at each growth).
 * Whoever needs the flat form (output, send, parallel transfer,
 * pg_column_size) gets it by flattening, a plain copy of the table.
 */
typedef struct FitExpanded
{
	ExpandedObjectHeader hdr;
	FitState   *st;				/* flat state, allocated in hdr.eoh_context */
} FitExpanded;

static Size
fit_eo_get_flat_size(ExpandedObjectHeader *eohptr)
{
	return VARSIZE(((FitExpanded *) eohptr)->st);
}

static void
fit_eo_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	FitState   *st = ((FitExpanded *) eohptr)->st;

	Assert(allocated_size == VARSIZE(st));
	memcpy(result, st, allocated_size);
}

static const ExpandedObjectMethods fit_eo_methods = {
	fit_eo_get_flat_size,
	fit_eo_flatten_into
};

/* The flat table behind a fit_state datum, read-only (never a copy of ours). */
static FitState *
fit_state_peek(Datum d)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &fit_eo_methods)
			return ((FitExpanded *) eoh)->st;
	}
	return (FitState *) PG_DETOAST_DATUM(d);
}

/*
 * A state being updated: the expanded object (under nodeAgg) or a flat
 * state in CurrentMemoryContext (called directly).
 */
typedef struct FitArg
{
	FitExpanded *eo;			/* NULL: st is a flat palloc'd state */
	FitState   *st;
} FitArg;

/* A new expanded object in aggcontext holding a copy of st, or an empty state. */
static void
fit_arg_expand(FitArg *arg, const FitState *st, FitKind kind, MemoryContext aggcontext)
{
	MemoryContext cxt = AllocSetContextCreate(aggcontext, "fit_state",
											  ALLOCSET_SMALL_SIZES);
	FitExpanded *eo = (FitExpanded *) MemoryContextAlloc(cxt, sizeof(FitExpanded));

	EOH_init_header(&eo->hdr, &fit_eo_methods, cxt);
	if (st)
	{
		eo->st = (FitState *) MemoryContextAlloc(cxt, VARSIZE(st));
		memcpy(eo->st, st, VARSIZE(st));
	}
	else
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		eo->st = fit_state_empty(kind);
		MemoryContextSwitchTo(old);
	}
	arg->eo = eo;
	arg->st = eo->st;
}

static Datum
fit_arg_datum(FitArg *arg)
{
	if (arg->eo)
		return EOHPGetRWDatum(&arg->eo->hdr);
	return PointerGetDatum(arg->st);
}

/* Room for extra more distinct rows in arg's state. */
static void
fit_arg_reserve(FitArg *arg, int64 extra)
{
	MemoryContext old;
	FitState   *nst;

	if (arg->eo == NULL)
	{
		arg->st = fit_reserve(arg->st, extra);
		return;
	}
	old = MemoryContextSwitchTo(arg->eo->hdr.eoh_context);
	nst = fit_reserve(arg->st, extra);
	MemoryContextSwitchTo(old);
	if (nst != arg->st)
	{
		pfree(arg->st);
		arg->eo->st = arg->st = nst;
	}
}

/*
 * The state argument of a transition or combine function.  Under nodeAgg:
 * our expanded object updated in place, or a new one (from a NULL state,
 * or from a flat state nodeAgg holds, which it frees once we return
 * another pointer).  Called directly: a copy; a NULL state starts empty.
 */
static void
fit_state_arg(FunctionCallInfo fcinfo, FitKind kind, FitArg *arg)
{
	MemoryContext aggcontext;
	FitState   *st;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
	{
		arg->eo = NULL;
		if (PG_ARGISNULL(0))
			arg->st = fit_state_empty(kind);
		else
		{
			arg->st = (FitState *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
			fit_check_kind(arg->st, kind);
		}
		return;
	}
	if (PG_ARGISNULL(0))
	{
		fit_arg_expand(arg, NULL, kind, aggcontext);
		return;
	}
	if (DatumIsReadWriteExpandedObject(PG_GETARG_DATUM(0), false, -1))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(PG_GETARG_DATUM(0));

		if (eoh->eoh_methods == &fit_eo_methods)
		{
			arg->eo = (FitExpanded *) eoh;
			arg->st = arg->eo->st;
			fit_check_kind(arg->st, kind);
			return;
		}
	}
	st = fit_state_peek(PG_GETARG_DATUM(0));
	fit_check_kind(st, kind);
	fit_arg_expand(arg, st, kind, aggcontext);
}

static void
fit_check_penalizer_value(float8 p)
{
	if (isnan(p) || isinf(p) || p < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("penalizer must be a finite number >= 0, got %g", p)));
}

/* Record or check the penalizer argument (argument argno, may be absent). */
static void
fit_set_penalizer(FitState *st, bool has, float8 p)
{
	if (has)
		fit_check_penalizer_value(p);
	if (st->used == 0 && st->skipped == 0)
	{
		st->flags = has ? (st->flags | FIT_HAS_PENALIZER) : (st->flags & ~FIT_HAS_PENALIZER);
		st->penalizer = has ? p : 0;
		return;
	}
	if (has != ((st->flags & FIT_HAS_PENALIZER) != 0) || (has && p != st->penalizer))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("penalizer differs within one fit"),
				 errdetail("Every row of a fit must carry the same penalizer.")));
}

static inline void
fit_check_finite(float8 v, const char *what)
{
	if (isnan(v) || isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be finite, got %g", what, v)));
}

/* x must be a whole number of repeat purchases >= 0. */
static inline void
fit_check_x(float8 x)
{
	fit_check_finite(x, "x");
	if (x < 0 || x != floor(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x must be a whole number >= 0, got %g", x),
				 errdetail("x counts repeat purchase occasions.")));
}

/*
 * fit_count_trans(state, x, t_x, t [, penalizer]): rows with a NULL x,
 * t_x or t are skipped, as SQL aggregates skip NULLs.
 */
Datum
fit_count_trans(PG_FUNCTION_ARGS)
{
	FitArg		arg;
	FitState   *st;
	bool		has_pen = PG_NARGS() > 4;
	float8		x,
				tx,
				t;

	if (has_pen && PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("penalizer must not be null")));
	fit_state_arg(fcinfo, FIT_COUNT, &arg);
	st = arg.st;
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_DATUM(fit_arg_datum(&arg));
	fit_set_penalizer(st, has_pen, has_pen ? PG_GETARG_FLOAT8(4) : 0);
	x = PG_GETARG_FLOAT8(1);
	tx = PG_GETARG_FLOAT8(2);
	t = PG_GETARG_FLOAT8(3);
	fit_check_x(x);
	fit_check_finite(tx, "t_x");
	fit_check_finite(t, "t");
	if (tx < 0 || tx > t)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t_x must satisfy 0 <= t_x <= t, got t_x = %g, t = %g", tx, t)));
	if (x == 0 && tx != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t_x must be 0 when x = 0, got t_x = %g", tx),
				 errdetail("t_x is the time from the first to the last purchase.")));

	fit_arg_reserve(&arg, 1);
	fit_insert(arg.st, x, tx, t, 1);
	PG_RETURN_DATUM(fit_arg_datum(&arg));
}

/*
 * fit_spend_trans(state, x, m [, penalizer]): Gamma-Gamma rows.  Rows with
 * x = 0, NULL x or m, or m <= 0 are counted in skipped.
 */
Datum
fit_spend_trans(PG_FUNCTION_ARGS)
{
	FitArg		arg;
	FitState   *st;
	bool		has_pen = PG_NARGS() > 3;
	float8		x,
				m;

	if (has_pen && PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("penalizer must not be null")));
	fit_state_arg(fcinfo, FIT_SPEND, &arg);
	st = arg.st;
	fit_set_penalizer(st, has_pen, has_pen ? PG_GETARG_FLOAT8(3) : 0);
	if (!PG_ARGISNULL(1))
		fit_check_x(PG_GETARG_FLOAT8(1));
	if (!PG_ARGISNULL(2))
		fit_check_finite(PG_GETARG_FLOAT8(2), "m");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
		PG_GETARG_FLOAT8(1) == 0 || PG_GETARG_FLOAT8(2) <= 0)
	{
		st->skipped++;
		PG_RETURN_DATUM(fit_arg_datum(&arg));
	}
	x = PG_GETARG_FLOAT8(1);
	m = PG_GETARG_FLOAT8(2);
	fit_arg_reserve(&arg, 1);
	fit_insert(arg.st, x, m, 0, 1);
	PG_RETURN_DATUM(fit_arg_datum(&arg));
}

/* fit_combine(state, state): merge two partial states of one fit. */
Datum
fit_combine(PG_FUNCTION_ARGS)
{
	FitState   *b;
	FitArg		arg;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
	{
		/* the first partial state as it is: nodeAgg copies it, no rehashing */
		PG_RETURN_DATUM(PG_GETARG_DATUM(1));
	}
	b = fit_state_peek(PG_GETARG_DATUM(1));
	fit_state_arg(fcinfo, b->kind, &arg);
	if (b->used == 0 && b->skipped == 0)
		PG_RETURN_DATUM(fit_arg_datum(&arg));
	fit_set_penalizer(arg.st, (b->flags & FIT_HAS_PENALIZER) != 0, b->penalizer);
	fit_arg_reserve(&arg, b->used);
	for (int32 i = 0; i < b->capacity; i++)
	{
		FitEntry   *e = &b->slots[i];

		if (e->count > 0)
			fit_insert(arg.st, e->x, e->a, e->b, e->count);
	}
	arg.st->skipped += b->skipped;
	PG_RETURN_DATUM(fit_arg_datum(&arg));
}

/* Row order of a fit (x, a, b): the fit sees its rows in this order. */
static inline int
fit_entry_cmp(const FitEntry *a, const FitEntry *b)
{
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return 0;
}

/* fit_sort_entries(): an inlined sort (lib/sort_template.h), no qsort callbacks */
#define ST_SORT fit_sort_entries
#define ST_ELEMENT_TYPE FitEntry
#define ST_COMPARE(a, b) fit_entry_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* The occupied entries, sorted, in a palloc'd array. */
static FitEntry *
fit_sorted_entries(const FitState *st)
{
	FitEntry   *out = (FitEntry *) palloc(sizeof(FitEntry) * Max(st->used, 1));
	int64		n = 0;

	for (int32 i = 0; i < st->capacity; i++)
		if (st->slots[i].count > 0)
			out[n++] = st->slots[i];
	Assert(n == st->used);
	fit_sort_entries(out, n);
	return out;
}

typedef struct FitValue
{
	double		v;
	int32		i;				/* row */
} FitValue;

#define ST_SORT fit_sort_values
#define ST_ELEMENT_TYPE FitValue
#define ST_COMPARE(a, b) ((a)->v < (b)->v ? -1 : (a)->v > (b)->v ? 1 : 0)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* The sorted distinct values of v[0..k-1] into *u, and each value's index. */
static int
fit_index_values(const double *v, int k, double **u, int32 **idx)
{
	FitValue   *p = (FitValue *) palloc(sizeof(FitValue) * Max(k, 1));
	double	   *w = (double *) palloc(sizeof(double) * Max(k, 1));
	int32	   *ix = (int32 *) palloc(sizeof(int32) * Max(k, 1));
	int			n = 0;

	for (int i = 0; i < k; i++)
	{
		p[i].v = v[i];
		p[i].i = i;
	}
	fit_sort_values(p, k);
	for (int j = 0; j < k; j++)
	{
		if (n == 0 || p[j].v != w[n - 1])
			w[n++] = p[j].v;
		ix[p[j].i] = n - 1;
	}
	pfree(p);
	*u = w;
	*idx = ix;
	return n;
}

/*
 * The FitData of the state argument 0 of a final function, or NULL for a
 * NULL state.  Reads the state and never changes it.
 */
FitData *
fit_state_data(FunctionCallInfo fcinfo, FitKind kind)
{
	FitState   *st;
	FitEntry   *e;
	FitData    *d;

	if (PG_ARGISNULL(0))
		return NULL;
	st = fit_state_peek(PG_GETARG_DATUM(0));
	fit_check_kind(st, kind);
	e = fit_sorted_entries(st);
	d = (FitData *) palloc0(sizeof(FitData));
	d->k = (int) st->used;
	d->x = (double *) palloc(sizeof(double) * Max(d->k, 1) * 4);
	d->a = d->x + Max(d->k, 1);
	d->b = d->a + Max(d->k, 1);
	d->w = d->b + Max(d->k, 1);
	for (int i = 0; i < d->k; i++)
	{
		d->x[i] = e[i].x;
		d->a[i] = e[i].a;
		d->b[i] = e[i].b;
		d->w[i] = (double) e[i].count;
		d->n += d->w[i];
		d->max_b = Max(d->max_b, e[i].b);
	}
	d->nua = fit_index_values(d->a, d->k, &d->ua, &d->ia);
	d->nub = fit_index_values(d->b, d->k, &d->ub, &d->ib);
	d->lua = (double *) palloc(sizeof(double) * 2 * Max(d->nua, 1));
	d->lub = (double *) palloc(sizeof(double) * 2 * Max(d->nub, 1));
	d->log_a = (double *) palloc(sizeof(double) * Max(d->k, 1));
	for (int i = 0; i < d->k; i++)
		d->log_a[i] = d->a[i] > 0 ? log(d->a[i]) : 0;
	d->skipped = st->skipped;
	d->has_penalizer = (st->flags & FIT_HAS_PENALIZER) != 0;
	d->penalizer = st->penalizer;
	pfree(e);
	return d;
}

/* The FitData of the single row (x, a, b) with weight 1, in o. */
void
fit_one_row(FitOneRow *o, double x, double a, double b)
{
	FitData    *d = &o->d;

	memset(o, 0, sizeof(*o));
	o->x = x;
	o->a = a;
	o->b = b;
	o->w = 1;
	o->log_a = a > 0 ? log(a) : 0;
	d->k = 1;
	d->x = &o->x;
	d->a = &o->a;
	d->b = &o->b;
	d->w = &o->w;
	d->n = 1;
	d->max_b = b;
	d->nua = d->nub = 1;
	d->ua = &o->a;
	d->ub = &o->b;
	d->ia = d->ib = &o->zero;
	d->lua = o->lua;
	d->lub = o->lub;
	d->log_a = &o->log_a;
}

/* ----------------------------------------------------------------
 * Text and binary I/O of fit_state
 * ----------------------------------------------------------------
 */

static void
fit_append_float(StringInfo buf, float8 v)
{
	char		f[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, f);
	appendStringInfoString(buf, f);
}

Datum
fit_state_out(PG_FUNCTION_ARGS)
{
	FitState   *st = (FitState *) PG_GETARG_VARLENA_P(0);
	FitEntry   *e = fit_sorted_entries(st);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%s pen=", fit_kind_name(st->kind));
	if (st->flags & FIT_HAS_PENALIZER)
		fit_append_float(&buf, st->penalizer);
	else
		appendStringInfoString(&buf, "none");
	appendStringInfo(&buf, " skipped=" INT64_FORMAT, st->skipped);
	for (int64 i = 0; i < st->used; i++)
	{
		appendStringInfoChar(&buf, ' ');
		fit_append_float(&buf, e[i].x);
		appendStringInfoChar(&buf, ':');
		fit_append_float(&buf, e[i].a);
		appendStringInfoChar(&buf, ':');
		fit_append_float(&buf, e[i].b);
		appendStringInfo(&buf, "*" INT64_FORMAT, e[i].count);
	}
	PG_RETURN_CSTRING(buf.data);
}

static void pg_attribute_noreturn()
fit_syntax_error(const char *input, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type fit_state: \"%s\"", input),
			 errdetail("%s", why)));
}

/* Validate one entry read from outside and add it. */
static FitState *
fit_add_checked(FitState *st, float8 x, float8 a, float8 b, int64 count,
				const char *input)
{
	if (count <= 0)
		fit_syntax_error(input, "Counts must be positive.");
	if (isnan(x) || isinf(x) || x < 0 || x != floor(x) ||
		isnan(a) || isinf(a) || isnan(b) || isinf(b))
		fit_syntax_error(input, "x must be a whole number >= 0 and every value finite.");
	if (st->kind == FIT_COUNT ? (a < 0 || a > b || (x == 0 && a != 0))
		: (x == 0 || a <= 0 || b != 0))
		fit_syntax_error(input, "A row violates the invariants of its kind.");
	st = fit_reserve(st, 1);
	fit_insert(st, x, a, b, count);
	return st;
}

static float8
fit_parse_float(char **p, char stop, const char *input)
{
	char	   *start = *p;
	char	   *end = strchr(start, stop);
	float8		v;

	if (end == NULL)
		fit_syntax_error(input, "Expected x:a:b*count.");
	*end = '\0';
	v = float8in_internal(start, NULL, "double precision", input);
	*p = end + 1;
	return v;
}

Datum
fit_state_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *s = pstrdup(input);
	char	   *tok;
	char	   *save = NULL;
	FitState	proto;
	FitState   *st;

	memset(&proto, 0, sizeof(proto));
	tok = strtok_r(s, " ", &save);
	if (tok && strcmp(tok, "count") == 0)
		proto.kind = FIT_COUNT;
	else if (tok && strcmp(tok, "spend") == 0)
		proto.kind = FIT_SPEND;
	else
		fit_syntax_error(input, "The kind must be \"count\" or \"spend\".");

	tok = strtok_r(NULL, " ", &save);
	if (tok == NULL || strncmp(tok, "pen=", 4) != 0)
		fit_syntax_error(input, "Expected pen=<penalizer|none>.");
	if (strcmp(tok + 4, "none") != 0)
	{
		proto.penalizer = float8in_internal(tok + 4, NULL, "double precision", input);
		fit_check_penalizer_value(proto.penalizer);
		proto.flags |= FIT_HAS_PENALIZER;
	}
	tok = strtok_r(NULL, " ", &save);
	if (tok == NULL || strncmp(tok, "skipped=", 8) != 0)
		fit_syntax_error(input, "Expected skipped=<count>.");
	{
		char	   *end;

		errno = 0;
		proto.skipped = strtoll(tok + 8, &end, 10);
		if (tok[8] == '\0' || *end != '\0' || errno != 0 || proto.skipped < 0)
			fit_syntax_error(input, "skipped must be an integer >= 0.");
	}
	st = fit_state_make(&proto, FIT_MIN_CAPACITY);
	while ((tok = strtok_r(NULL, " ", &save)) != NULL)
	{
		char	   *p = tok;
		float8		x = fit_parse_float(&p, ':', input);
		float8		a = fit_parse_float(&p, ':', input);
		float8		b = fit_parse_float(&p, '*', input);
		char	   *end;
		long long	c;

		errno = 0;
		c = strtoll(p, &end, 10);
		if (*p == '\0' || *end != '\0' || errno != 0)
			fit_syntax_error(input, "Expected an integer count after \"*\".");
		st = fit_add_checked(st, x, a, b, (int64) c, input);
	}
	PG_RETURN_POINTER(st);
}

Datum
fit_state_send(PG_FUNCTION_ARGS)
{
	FitState   *st = (FitState *) PG_GETARG_VARLENA_P(0);
	FitEntry   *e = fit_sorted_entries(st);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, MEMVAL_STATE_VERSION);
	pq_sendint8(&buf, st->kind);
	pq_sendint8(&buf, st->flags & FIT_HAS_PENALIZER);
	pq_sendfloat8(&buf, st->penalizer);
	pq_sendint64(&buf, st->skipped);
	pq_sendint64(&buf, st->used);
	for (int64 i = 0; i < st->used; i++)
	{
		pq_sendfloat8(&buf, e[i].x);
		pq_sendfloat8(&buf, e[i].a);
		pq_sendfloat8(&buf, e[i].b);
		pq_sendint64(&buf, e[i].count);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
fit_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgint(buf, 1);
	FitState	proto;
	FitState   *st;
	int64		used;

	if (version != MEMVAL_STATE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported fit_state binary format version %d", version)));
	memset(&proto, 0, sizeof(proto));
	proto.kind = pq_getmsgint(buf, 1);
	if (proto.kind != FIT_COUNT && proto.kind != FIT_SPEND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid fit_state kind %d", proto.kind)));
	proto.flags = pq_getmsgint(buf, 1) & FIT_HAS_PENALIZER;
	proto.penalizer = pq_getmsgfloat8(buf);
	if (proto.flags & FIT_HAS_PENALIZER)
		fit_check_penalizer_value(proto.penalizer);
	else
		proto.penalizer = 0;
	proto.skipped = pq_getmsgint64(buf);
	used = pq_getmsgint64(buf);
	if (proto.skipped < 0 || used < 0 || used > (buf->len - buf->cursor) / 32)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("truncated or invalid fit_state")));
	st = fit_state_make(&proto, FIT_MIN_CAPACITY);
	for (int64 i = 0; i < used; i++)
	{
		float8		x = pq_getmsgfloat8(buf);
		float8		a = pq_getmsgfloat8(buf);
		float8		b = pq_getmsgfloat8(buf);
		int64		c = pq_getmsgint64(buf);

		st = fit_add_checked(st, x, a, b, c, "(binary)");
	}
	pq_getmsgend(buf);
	PG_RETURN_POINTER(st);
}
