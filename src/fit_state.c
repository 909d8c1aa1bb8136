/*
 * fit_state.c
 *	  fit_state: the transition state of every model fit (README, "Models and predictions").
 *
 * A fit needs only the distinct rows and how many customers share each
 * (sufficient statistics): one entry (x, a, b, count) per distinct row, so
 * memory is bounded by the number of distinct rows, not of customers;
 * btyd() output in whole days compresses very well.  The same type serves
 * the count models (a = t_x, b = t) and Gamma-Gamma (a = m, b = 0); its
 * kind says which.  Two forms:
 *
 * - flat, the varlena that is stored, sent between processes and read by
 *	 the I/O and final functions: a header and the entries, dense and
 *	 sorted by (x, a, b), the order a fit sees its rows in;
 *
 * - expanded, while rows are added (under nodeAgg; in a scratch context
 *	 when called directly): entries appended in arrival order to blocks of
 *	 FIT_BLOCK entries, so that growing never moves one, and found through
 *	 an open-addressing index of entry numbers, rebuilt when it doubles.
 *	 Flattening copies the entries into the flat result and sorts them
 *	 there.  Final functions read an expanded state, which they never
 *	 change (aggregates over the same rows share it), through a sorted
 *	 permutation.
 *
 * The two forms are declared in fit_state.h; the text and binary I/O is in
 * fit_state_io.c.
 */
#include "postgres.h"

#include "optimize.h"
#include "fit_state.h"
#include "memval.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"
#include "state_io.h"

/*
 * At most 3 * 2^22 distinct rows: the index then has at most 2^24 slots,
 * and an entry number + 1 fits the low 24 bits of an index slot.
 */
#define FIT_MAX_ROWS		(3 << 22)

/* Entries per block of the expanded form (32 kB); block 0 starts smaller. */
#define FIT_BLOCK_SHIFT		10
#define FIT_BLOCK			(1 << FIT_BLOCK_SHIFT)
#define FIT_FIRST_BLOCK		64
#define FIT_MIN_INDEX		128

/*
 * An index slot: 0 when empty, else entry number + 1 in the low 24 bits
 * and the top 8 bits of the key's hash above them, so that a probe
 * rarely reads an entry that is not the one it looks for.
 */
#define FIT_SLOT_ENTRY		0x00FFFFFF
#define FIT_TAG(h)			((uint32) ((h) >> 56) << 24)

PG_FUNCTION_INFO_V1(fit_count_trans);
PG_FUNCTION_INFO_V1(fit_spend_trans);
PG_FUNCTION_INFO_V1(fit_combine);

const char *
fit_kind_name(int kind)
{
	return kind == FIT_COUNT ? "count" : "spend";
}

static void
fit_check_kind(const FitInfo *info, FitKind kind)
{
	if (info->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fit_state holds %s rows, expected %s rows",
						fit_kind_name(info->kind), fit_kind_name(kind))));
}

static inline uint64
fit_key_bits(float8 v)
{
	uint64		u;

	memcpy(&u, &v, sizeof(u));
	return u;
}

/*
 * Whole-number doubles have all their entropy in the top bits, so every
 * key is run through a full 64-bit finaliser (murmur3's) before mixing.
 * Keys are normalised (no -0) before they are hashed.
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

static inline uint64
fit_hash(float8 x, float8 a, float8 b)
{
	uint64		bb = fit_key_bits(b);

	/* fmix64(0) = 0: Gamma-Gamma rows (b = 0) skip a third of the work */
	uint64		h = bb == 0 ? 0 : fit_fmix64(bb);

	h = fit_fmix64(h ^ fit_key_bits(a));
	return fit_fmix64(h ^ fit_key_bits(x));
}

/* ----------------------------------------------------------------
 * The expanded form
 * ----------------------------------------------------------------
 */

static inline FitEntry *
fit_entry(const FitExpanded *eo, int64 n)
{
	return &eo->blocks[n >> FIT_BLOCK_SHIFT][n & (FIT_BLOCK - 1)];
}

/*
 * The rows of a fit in order (x, a, b), by a least-significant-digit radix
 * sort of entry numbers: every value is a double >= 0 (and never -0), whose
 * bits compare as unsigned integers in the order of the values (x, a whole
 * number <= 2^53, as that integer), so three stable stages, by b, then a,
 * then x, each sorting on the 11-bit digits of its column that are not the
 * same in every row, give the order (x, a, b) with no comparison at all
 * (a comparison sort of 10^4
 * rows spends most of its time in mispredicted branches).  The flat form
 * and every fit see the rows in this order.  After the b
 * and the a stage the rows are in order of that column, which gives its
 * sorted distinct values and each row's index into them on the way.
 */
typedef struct FitSort
{
	const FitExpanded *eo;		/* the entries: of eo, or flat */
	const FitEntry *flat;
	int64		k;
	uint32	   *perm;			/* entry numbers in the current order */
	uint32	   *ptmp;
	uint64	   *key;			/* the keys of the current stage, in perm order */
	uint64	   *ktmp;
} FitSort;

/*
 * The sort key of a column: the bits of a (or b), a double >= 0; x is a
 * whole number (memval_check_x), its value as an integer, whose few low
 * bits vary where the bits of the double vary in two digits.
 */
static inline uint64
fit_column_bits(const FitEntry *e, int col)
{
	float8		v = col == 1 ? e->a : e->b;
	uint64		u;

	if (col == 0)
		return (uint64) e->x;	/* <= 2^53: checked on the way in */
	memcpy(&u, &v, sizeof(u));
	Assert((u >> 63) == 0);
	return u;
}

/* Digits of 11 bits: 6 for 64 bits, 2048 counters each. */
#define FIT_RADIX_BITS		11
#define FIT_RADIX_DIGITS	6
#define FIT_RADIX_SIZE		(1 << FIT_RADIX_BITS)

/* Stable sort of fs->perm by column col (0: x, 1: a, 2: b). */
static void
fit_radix_stage(FitSort *fs, int col)
{
	uint32		counts[FIT_RADIX_DIGITS][FIT_RADIX_SIZE];
	uint64		all_and = ~UINT64CONST(0),
				all_or = 0;
	int64		k = fs->k;

	memset(counts, 0, sizeof(counts));
	for (int64 i = 0; i < k; i++)
	{
		const FitEntry *e = fs->eo ? fit_entry(fs->eo, fs->perm[i]) : &fs->flat[fs->perm[i]];
		uint64		u = fit_column_bits(e, col);

		fs->key[i] = u;
		all_and &= u;
		all_or |= u;
		for (int digit = 0; digit < FIT_RADIX_DIGITS; digit++)
			counts[digit][(u >> (FIT_RADIX_BITS * digit)) & (FIT_RADIX_SIZE - 1)]++;
	}
	for (int digit = 0; digit < FIT_RADIX_DIGITS; digit++)
	{
		int			shift = FIT_RADIX_BITS * digit;
		uint32		sum = 0;
		uint32	   *pos = counts[digit];
		uint32	   *p;
		uint64	   *q;

		if ((((all_and ^ all_or) >> shift) & (FIT_RADIX_SIZE - 1)) == 0)
			continue;			/* the same in every row */
		for (int c = 0; c < FIT_RADIX_SIZE; c++)
		{
			uint32		n = pos[c];

			pos[c] = sum;
			sum += n;
		}
		for (int64 i = 0; i < k; i++)
		{
			uint32		j = pos[(fs->key[i] >> shift) & (FIT_RADIX_SIZE - 1)]++;

			fs->ktmp[j] = fs->key[i];
			fs->ptmp[j] = fs->perm[i];
		}
		p = fs->perm;
		fs->perm = fs->ptmp;
		fs->ptmp = p;
		q = fs->key;
		fs->key = fs->ktmp;
		fs->ktmp = q;
	}
}

/*
 * After a stage: the sorted distinct values of its column into a new
 * array *u, and each entry's index into it in rank[entry number].
 */
static int
fit_radix_distinct(const FitSort *fs, double **u, int32 *rank)
{
	int			n = 0;
	double	   *w;

	for (int64 i = 0; i < fs->k; i++)
		n += i == 0 || fs->key[i] != fs->key[i - 1];
	w = (double *) palloc(sizeof(double) * Max(n, 1));
	n = 0;
	for (int64 i = 0; i < fs->k; i++)
	{
		if (i == 0 || fs->key[i] != fs->key[i - 1])
			memcpy(&w[n++], &fs->key[i], sizeof(double));
		rank[fs->perm[i]] = n - 1;
	}
	*u = w;
	return n;
}

/* The entries of eo in row order into out (n entries). */
static void
fit_sorted_entries(const FitExpanded *eo, FitEntry *out)
{
	int64		n = eo->info.used;
	int64		n1 = Max(n, 1);
	FitSort		fs;
	char	   *scratch = palloc(n1 * (2 * sizeof(uint32) + 2 * sizeof(uint64)));

	fs.eo = eo;
	fs.flat = NULL;
	fs.k = n;
	fs.key = (uint64 *) scratch;
	fs.ktmp = fs.key + n1;
	fs.perm = (uint32 *) (fs.ktmp + n1);
	fs.ptmp = fs.perm + n1;
	for (int64 i = 0; i < n; i++)
		fs.perm[i] = (uint32) i;
	for (int col = 2; col >= 0; col--)
		fit_radix_stage(&fs, col);
	for (int64 i = 0; i < n; i++)
		out[i] = *fit_entry(eo, fs.perm[i]);
	pfree(scratch);
}

static Size
fit_eo_get_flat_size(ExpandedObjectHeader *eohptr)
{
	return FIT_SIZE(((FitExpanded *) eohptr)->info.used);
}

/* The flat form: the header, then the entries in row order. */
static void
fit_eo_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	FitExpanded *eo = (FitExpanded *) eohptr;
	FitState   *st = (FitState *) result;
	int64		n = eo->info.used;

	Assert(allocated_size == FIT_SIZE(n));
	memset(st, 0, offsetof(FitState, entries));
	SET_VARSIZE(st, allocated_size);
	st->version = MEMVAL_STATE_VERSION;
	st->info.used = n;
	st->info.skipped = eo->info.skipped;
	st->info.penalizer = eo->info.penalizer;
	st->info.kind = eo->info.kind;
	st->info.flags = eo->info.flags;
	fit_sorted_entries(eo, st->entries);
}

static const ExpandedObjectMethods fit_eo_methods = {
	fit_eo_get_flat_size,
	fit_eo_flatten_into
};

/*
 * The one allocator: an empty expanded state in a context of its own,
 * child of parent, with the header of info and room for about rows
 * entries without growing.
 */
FitExpanded *
fit_expanded_new(MemoryContext parent, const FitInfo *info, int64 rows)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "fit_state",
											  ALLOCSET_SMALL_SIZES);
	FitExpanded *eo = (FitExpanded *) MemoryContextAllocZero(cxt, sizeof(FitExpanded));
	int64		first = FIT_FIRST_BLOCK;
	int64		slots = FIT_MIN_INDEX;

	EOH_init_header(&eo->hdr, &fit_eo_methods, cxt);
	eo->info.kind = info->kind;
	eo->info.flags = info->flags;
	eo->info.penalizer = info->penalizer;
	eo->info.skipped = info->skipped;
	rows = Min(rows, FIT_MAX_ROWS);
	while (first < rows && first < FIT_BLOCK)
		first *= 2;
	while (slots * 3 < rows * 4)
		slots *= 2;
	eo->maxblocks = Max(8, (rows + FIT_BLOCK - 1) >> FIT_BLOCK_SHIFT);
	eo->blocks = (FitEntry **) MemoryContextAlloc(cxt, sizeof(FitEntry *) * eo->maxblocks);
	eo->blocks[0] = (FitEntry *) MemoryContextAlloc(cxt, sizeof(FitEntry) * first);
	eo->nblocks = 1;
	eo->capacity = first;
	eo->index = (uint32 *) MemoryContextAllocZero(cxt, sizeof(uint32) * slots);
	eo->index_size = (uint32) slots;
	return eo;
}

/* Room for one more entry: block 0 doubles up to FIT_BLOCK, then blocks are added. */
static void
fit_add_block(FitExpanded *eo)
{
	if (eo->capacity < FIT_BLOCK)
	{
		eo->capacity *= 2;
		eo->blocks[0] = (FitEntry *) repalloc(eo->blocks[0],
											  sizeof(FitEntry) * eo->capacity);
		return;
	}
	if (eo->nblocks == eo->maxblocks)
	{
		eo->maxblocks *= 2;
		eo->blocks = (FitEntry **) repalloc(eo->blocks,
											sizeof(FitEntry *) * eo->maxblocks);
	}
	eo->blocks[eo->nblocks++] = (FitEntry *)
		MemoryContextAlloc(eo->hdr.eoh_context, sizeof(FitEntry) * FIT_BLOCK);
	eo->capacity += FIT_BLOCK;
}

/* Double the index, rehashing every entry into it. */
static void
fit_grow_index(FitExpanded *eo)
{
	uint32		size = eo->index_size * 2;
	uint32		mask = size - 1;
	uint32	   *index = (uint32 *) MemoryContextAllocZero(eo->hdr.eoh_context,
														  sizeof(uint32) * size);

	for (int64 n = 0; n < eo->info.used; n++)
	{
		FitEntry   *e = fit_entry(eo, n);
		uint64		h = fit_hash(e->x, e->a, e->b);
		uint32		i = (uint32) h & mask;

		while (index[i] != 0)
			i = (i + 1) & mask;
		index[i] = FIT_TAG(h) | (uint32) (n + 1);
	}
	pfree(eo->index);
	eo->index = index;
	eo->index_size = size;
}

/*
 * Add count customers with row (x, a, b).  Static, so that the transition
 * functions call it directly (fit_insert, the extern one, goes through the
 * PLT of a shared library).
 */
static void
fit_insert_row(FitExpanded *eo, float8 x, float8 a, float8 b, int64 count)
{
	uint64		h;
	uint32		tag,
				mask,
				i;
	int64		n;
	FitEntry   *e;

	/* -0 and 0 are one key */
	x = x == 0 ? 0 : x;
	a = a == 0 ? 0 : a;
	b = b == 0 ? 0 : b;
	h = fit_hash(x, a, b);
	tag = FIT_TAG(h);
	mask = eo->index_size - 1;
	for (i = (uint32) h & mask; eo->index[i] != 0; i = (i + 1) & mask)
	{
		uint32		s = eo->index[i];

		if ((s & ~FIT_SLOT_ENTRY) != tag)
			continue;
		e = fit_entry(eo, (s & FIT_SLOT_ENTRY) - 1);
		if (e->x == x && e->a == a && e->b == b)
		{
			e->count += count;
			return;
		}
	}

	/* a new row: append it, growing the index first if it is 3/4 full */
	n = eo->info.used;
	if (n >= FIT_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct rows for a fit (more than %d)",
						FIT_MAX_ROWS),
				 errhint("Round t_x and t, e.g. to whole days, so that identical rows compress.")));
	if ((n + 1) * 4 > (int64) eo->index_size * 3)
	{
		fit_grow_index(eo);
		mask = eo->index_size - 1;
		for (i = (uint32) h & mask; eo->index[i] != 0; i = (i + 1) & mask)
			;
	}
	if (n == eo->capacity)
		fit_add_block(eo);
	e = fit_entry(eo, n);
	e->x = x;
	e->a = a;
	e->b = b;
	e->count = count;
	eo->index[i] = tag | (uint32) (n + 1);
	eo->info.used++;
}

void
fit_insert(FitExpanded *eo, float8 x, float8 a, float8 b, int64 count)
{
	fit_insert_row(eo, x, a, b, count);
}

/* The flat form of eo in CurrentMemoryContext; eo is deleted. */
FitState *
fit_expanded_flatten(FitExpanded *eo)
{
	Size		size = FIT_SIZE(eo->info.used);
	FitState   *st = (FitState *) palloc(size);

	fit_eo_flatten_into(&eo->hdr, st, size);
	MemoryContextDelete(eo->hdr.eoh_context);
	return st;
}

/*
 * A fit_state datum read in place: flat (entries sorted) or our expanded
 * object (entries in arrival order).
 */
typedef struct FitView
{
	const FitInfo *info;
	const FitEntry *entries;	/* flat */
	const FitExpanded *eo;		/* expanded */
} FitView;

static void
fit_state_peek(Datum d, FitView *v)
{
	FitState   *st;

	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &fit_eo_methods)
		{
			v->eo = (FitExpanded *) eoh;
			v->info = &v->eo->info;
			v->entries = NULL;
			return;
		}
	}
	st = (FitState *) PG_DETOAST_DATUM(d);
	v->eo = NULL;
	v->info = &st->info;
	v->entries = st->entries;
}

static inline const FitEntry *
fit_view_entry(const FitView *v, int64 n)
{
	return v->eo ? fit_entry(v->eo, n) : &v->entries[n];
}

/* Add every entry of v to eo. */
static void
fit_insert_view(FitExpanded *eo, const FitView *v)
{
	for (int64 n = 0; n < v->info->used; n++)
	{
		const FitEntry *e = fit_view_entry(v, n);

		if ((n & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		fit_insert_row(eo, e->x, e->a, e->b, e->count);
	}
}

/*
 * A state being updated: always an expanded object, returned as it is
 * under nodeAgg (a context of its own, child of the aggregate context, so
 * nodeAgg keeps the same read-write pointer every row and never copies
 * it), flattened into CurrentMemoryContext when called directly.
 */
typedef struct FitArg
{
	FitExpanded *eo;
	bool		in_agg;
} FitArg;

static Datum
fit_arg_datum(FitArg *arg)
{
	if (arg->in_agg)
		return EOHPGetRWDatum(&arg->eo->hdr);
	return PointerGetDatum(fit_expanded_flatten(arg->eo));
}

/*
 * A new state under nodeAgg gets room for the planner's estimate of the
 * input rows per group (at most FIT_HINT_ROWS), the distinct rows being at
 * most that many: its index and first block then never grow for a small
 * input, where rehashing every entry at each doubling cost about as much
 * as the inserts themselves (Gamma-Gamma on 25k customers).  An estimate
 * too low only means growing as before; one too high, an index of at most
 * 512 kB per group.
 */
#define FIT_HINT_ROWS		(1 << 13)

static int64
fit_rows_hint(FunctionCallInfo fcinfo, bool in_agg)
{
	PlanState  *agg,
			   *outer;
	double		rows;

	if (!in_agg || fcinfo->context == NULL || !IsA(fcinfo->context, AggState))
		return 0;
	agg = &((AggState *) fcinfo->context)->ss.ps;
	outer = outerPlanState(agg);
	if (outer == NULL || outer->plan == NULL || agg->plan == NULL)
		return 0;
	rows = outer->plan->plan_rows / Max(agg->plan->plan_rows, 1);
	if (!(rows > 0))
		return 0;
	return (int64) Min(rows, (double) FIT_HINT_ROWS);
}

/*
 * The state argument of a transition or combine function, with room for
 * about extra more rows.  Under nodeAgg: our expanded object updated in
 * place, or a new one (from a NULL state, or from a flat state nodeAgg
 * holds, which it frees once we return another pointer).  Called
 * directly: a new one in a scratch context; a NULL state starts empty.
 */
static void fit_state_arg_slow(FunctionCallInfo fcinfo, FitKind kind, int64 extra,
							   FitArg *arg);

static inline void
fit_state_arg(FunctionCallInfo fcinfo, FitKind kind, int64 extra, FitArg *arg)
{
	/*
	 * Every row but the first under nodeAgg (AggCheckCallContext's test):
	 * our own read-write state, returned by the previous row.
	 */
	if (!PG_ARGISNULL(0) && fcinfo->context != NULL &&
		(IsA(fcinfo->context, AggState) || IsA(fcinfo->context, WindowAggState)) &&
		VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))))
	{
		varatt_expanded ptr;	/* DatumGetEOHP, which is not inline */
		ExpandedObjectHeader *eoh;

		memcpy(&ptr, VARDATA_EXTERNAL(DatumGetPointer(PG_GETARG_DATUM(0))), sizeof(ptr));
		eoh = ptr.eohptr;
		if (eoh->eoh_methods == &fit_eo_methods &&
			((FitExpanded *) eoh)->info.kind == kind)
		{
			arg->in_agg = true;
			arg->eo = (FitExpanded *) eoh;
			return;
		}
	}
	fit_state_arg_slow(fcinfo, kind, extra, arg);
}

static pg_noinline void
fit_state_arg_slow(FunctionCallInfo fcinfo, FitKind kind, int64 extra, FitArg *arg)
{
	MemoryContext aggcontext;
	FitView		v;

	arg->in_agg = AggCheckCallContext(fcinfo, &aggcontext);
	if (!arg->in_agg)
		aggcontext = CurrentMemoryContext;
	else if (!PG_ARGISNULL(0) &&
			 DatumIsReadWriteExpandedObject(PG_GETARG_DATUM(0), false, -1))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(PG_GETARG_DATUM(0));

		if (eoh->eoh_methods == &fit_eo_methods)
		{
			arg->eo = (FitExpanded *) eoh;
			fit_check_kind(&arg->eo->info, kind);
			return;
		}
	}
	if (PG_ARGISNULL(0))
	{
		FitInfo		info;

		memset(&info, 0, sizeof(info));
		info.kind = kind;
		arg->eo = fit_expanded_new(aggcontext, &info,
								   Max(extra, fit_rows_hint(fcinfo, arg->in_agg)));
		return;
	}
	fit_state_peek(PG_GETARG_DATUM(0), &v);
	fit_check_kind(v.info, kind);
	arg->eo = fit_expanded_new(aggcontext, v.info, v.info->used + extra);
	fit_insert_view(arg->eo, &v);
}

void
fit_check_penalizer_value(float8 p)
{
	if (isnan(p) || isinf(p) || p < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("penalizer must be a finite number >= 0, got %g", p)));
}

/* Record or check the penalizer of the rows being added (has: given at all). */
static void
fit_set_penalizer(FitInfo *info, bool has, float8 p)
{
	if (has)
		fit_check_penalizer_value(p);
	if (info->used == 0 && info->skipped == 0)
	{
		info->flags = has ? (info->flags | FIT_HAS_PENALIZER) : (info->flags & ~FIT_HAS_PENALIZER);
		info->penalizer = has ? p : 0;
		return;
	}
	if (has != ((info->flags & FIT_HAS_PENALIZER) != 0) || (has && p != info->penalizer))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("penalizer differs within one fit"),
				 errdetail("Every row of a fit must carry the same penalizer.")));
}

/*
 * fit_count_trans(state, x, t_x, t [, penalizer]): rows with a NULL x,
 * t_x or t are skipped, as SQL aggregates skip NULLs.
 */
Datum
fit_count_trans(PG_FUNCTION_ARGS)
{
	FitArg		arg;
	bool		has_pen = PG_NARGS() > 4;
	float8		x,
				tx,
				t;

	if (has_pen && PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("penalizer must not be null")));
	fit_state_arg(fcinfo, FIT_COUNT, 1, &arg);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_DATUM(fit_arg_datum(&arg));
	fit_set_penalizer(&arg.eo->info, has_pen, has_pen ? PG_GETARG_FLOAT8(4) : 0);
	x = PG_GETARG_FLOAT8(1);
	tx = PG_GETARG_FLOAT8(2);
	t = PG_GETARG_FLOAT8(3);
	memval_check_history(x, tx, t);
	fit_insert_row(arg.eo, x, tx, t, 1);
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
	bool		has_pen = PG_NARGS() > 3;

	if (has_pen && PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("penalizer must not be null")));
	fit_state_arg(fcinfo, FIT_SPEND, 1, &arg);
	if (has_pen || (arg.eo->info.flags & FIT_HAS_PENALIZER) != 0)
		fit_set_penalizer(&arg.eo->info, has_pen, has_pen ? PG_GETARG_FLOAT8(3) : 0);
	if (!PG_ARGISNULL(1))
		memval_check_x(PG_GETARG_FLOAT8(1));
	if (!PG_ARGISNULL(2))
		memval_check_finite(PG_GETARG_FLOAT8(2), "m");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
		PG_GETARG_FLOAT8(1) == 0 || PG_GETARG_FLOAT8(2) <= 0)
		arg.eo->info.skipped++;
	else
		fit_insert_row(arg.eo, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), 0, 1);
	PG_RETURN_DATUM(fit_arg_datum(&arg));
}

/* fit_combine(state, state): merge two partial states of one fit. */
Datum
fit_combine(PG_FUNCTION_ARGS)
{
	FitView		b;
	FitArg		arg;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
	{
		/* the first partial state as it is: nodeAgg copies it, no hashing */
		PG_RETURN_DATUM(PG_GETARG_DATUM(1));
	}
	fit_state_peek(PG_GETARG_DATUM(1), &b);
	fit_state_arg(fcinfo, b.info->kind, b.info->used, &arg);
	if (b.info->used == 0 && b.info->skipped == 0)
		PG_RETURN_DATUM(fit_arg_datum(&arg));
	fit_set_penalizer(&arg.eo->info, (b.info->flags & FIT_HAS_PENALIZER) != 0,
					  b.info->penalizer);
	fit_insert_view(arg.eo, &b);
	arg.eo->info.skipped += b.info->skipped;
	PG_RETURN_DATUM(fit_arg_datum(&arg));
}

/* ----------------------------------------------------------------
 * The data a fit sees
 * ----------------------------------------------------------------
 */

/*
 * The FitData of the state argument 0 of a final function, or NULL for a
 * NULL state.  Reads the state and never changes it.  The sort runs in
 * scratch memory (and in the arrays a and b before they are filled).
 * Gamma-Gamma (FIT_SPEND) gets no distinct values (ua, ub, ia, ib, lua,
 * lub), the count models no log_a.
 */
FitData *
fit_state_data(FunctionCallInfo fcinfo, FitKind kind)
{
	FitView		v;
	FitData    *d;
	FitSort		fs;
	int			k1;
	uint32	   *scratch;
	int32	   *rank_a,
			   *rank_b;

	if (PG_ARGISNULL(0))
		return NULL;
	fit_state_peek(PG_GETARG_DATUM(0), &v);
	fit_check_kind(v.info, kind);
	d = (FitData *) palloc0(sizeof(FitData));
	d->k = (int) v.info->used;
	k1 = Max(d->k, 1);
	d->x = (double *) palloc(sizeof(double) * k1 * 5);
	d->a = d->x + k1;
	d->b = d->a + k1;
	d->w = d->b + k1;
	d->log_a = d->w + k1;

	/* perm, ptmp and (count models) the ranks of a and b */
	scratch = (uint32 *) palloc(sizeof(uint32) * k1 * (kind == FIT_COUNT ? 4 : 2));
	fs.eo = v.eo;
	fs.flat = v.entries;
	fs.k = d->k;
	fs.perm = scratch;
	fs.ptmp = scratch + k1;
	rank_a = kind == FIT_COUNT ? (int32 *) scratch + 2 * k1 : NULL;
	rank_b = kind == FIT_COUNT ? (int32 *) scratch + 3 * k1 : NULL;
	fs.key = (uint64 *) d->a;
	fs.ktmp = (uint64 *) d->b;
	for (int i = 0; i < d->k; i++)
		fs.perm[i] = i;
	if (kind == FIT_COUNT)
	{
		/* (Gamma-Gamma rows all have b = 0: nothing to sort by) */
		fit_radix_stage(&fs, 2);
		d->nub = fit_radix_distinct(&fs, &d->ub, rank_b);
	}
	fit_radix_stage(&fs, 1);
	if (kind == FIT_COUNT)
		d->nua = fit_radix_distinct(&fs, &d->ua, rank_a);
	fit_radix_stage(&fs, 0);

	if (kind == FIT_COUNT)
	{
		d->ia = (int32 *) palloc(sizeof(int32) * k1 * 2);
		d->ib = d->ia + k1;
		d->lua = (double *) palloc(sizeof(double) * 2 * Max(d->nua, 1));
		d->lub = (double *) palloc(sizeof(double) * 2 * Max(d->nub, 1));
	}
	for (int i = 0; i < d->k; i++)
	{
		const FitEntry *e = fit_view_entry(&v, fs.perm[i]);

		d->x[i] = e->x;
		d->a[i] = e->a;
		d->b[i] = e->b;
		d->w[i] = (double) e->count;
		d->n += d->w[i];
		d->max_b = Max(d->max_b, e->b);
		if (kind == FIT_COUNT)
		{
			d->ia[i] = rank_a[fs.perm[i]];
			d->ib[i] = rank_b[fs.perm[i]];
		}
		if (kind == FIT_SPEND)
			d->log_a[i] = log(e->a);	/* m > 0 */
	}
	pfree(scratch);
	d->skipped = v.info->skipped;
	d->has_penalizer = (v.info->flags & FIT_HAS_PENALIZER) != 0;
	d->penalizer = v.info->penalizer;
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
