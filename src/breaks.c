/*
 * breaks.c
 *	  Exact quantile breakpoints of an RFM population (README, "RFM scores"): the
 *	  rfm_breaks type, its custom-interval constructor, and the mergeable
 *	  aggregate rfm_breaks(r rfm, n) with its state type rfm_breaks_state.
 *
 * The state keeps, per axis (recency, frequency, monetary), the sorted
 * distinct values with their counts (a counting histogram), plus a buffer
 * of raw customers that is sorted and merged in when full.  Every value
 * is kept as a 64-bit key whose integer order is the value order:
 * recency (and float8 monetary) are doubles mapped to an order-preserving
 * integer; numeric monetary values are integers scaled by 10^mscale, the
 * largest decimal scale seen (exact; values beyond 18 significant digits
 * are an error, 22003).  So breakpoints are exact, ties cost nothing, and
 * two states merge by merging sorted lists.
 *
 * Breakpoint k of an axis is the value at 1-based rank ceil((k/n) * N) in
 * the sorted population, which is what percentile_disc(k/n) returns.
 *
 * rfm_breaks_state text form (exact, canonical; breaks_io.c):
 *
 *	 (kind,n,mscale,R,F,M)
 *
 * kind is numeric, float8 or none (no customer yet); R, F and M are
 * space-separated value:count pairs in ascending order; recency (and
 * float8 monetary) values are the shortest exact float8 text, numeric
 * monetary values are integers in units of 10^-mscale.
 *
 * The rfm_breaks type itself lives in breaks_type.c.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "breaks.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "state_io.h"

#define ST_SORT sort_int64
#define ST_ELEMENT_TYPE int64
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

static void
mon_range_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("monetary value is out of range for rfm_breaks"),
			 errdetail("rfm_breaks keeps numeric monetary values exactly as 64-bit integers at the largest decimal scale seen (at most 18 significant digits).")));
}

/* v * 10^d as an int64, or an error. */
int64
mon_scale_up(int128 v, int d)
{
	int64		r;

	if (!amount_scale_int64(v, d, &r))
		mon_range_error();
	return r;
}

static Size
bs_size(int64 ndtotal, int64 capbuf)
{
	Size		size = BS_HDR + sizeof(int64) * (2 * ndtotal + 3 * capbuf);

	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("rfm_breaks state too large: " INT64_FORMAT " distinct values",
						ndtotal)));
	return size;
}

/*
 * The one allocator of states: header from proto, the given histograms,
 * an empty buffer of capbuf customers, in CurrentMemoryContext.
 */
BreaksState *
bs_build(const BreaksState *proto, const Pairs *p, int64 capbuf)
{
	int64		tot = p[0].nd + p[1].nd + p[2].nd;
	Size		size = bs_size(tot, capbuf);
	BreaksState *st = (BreaksState *) palloc(size);
	int			a;

	/* the buffer is written before it is read: only the header is zeroed */
	memset(st, 0, BS_HDR);
	SET_VARSIZE(st, size);
	st->version = MEMVAL_STATE_VERSION;
	st->kind = proto->kind;
	st->n = proto->n;
	st->mscale = proto->mscale;
	st->count = proto->count;
	st->capbuf = capbuf;
	for (a = 0; a < NAXES; a++)
		st->nd[a] = p[a].nd;
	for (a = 0; a < NAXES; a++)
	{
		memcpy(bs_keys(st, a), p[a].keys, sizeof(int64) * p[a].nd);
		memcpy(bs_counts(st, a), p[a].counts, sizeof(int64) * p[a].nd);
	}
	return st;
}

/*
 * A new empty state with room for capacity raw customers before the first
 * compaction (the window function knows its partition size: one sort per
 * axis at the end).
 */
BreaksState *
bstate_new_sized(int n, int64 capacity)
{
	BreaksState proto;
	Pairs		p[NAXES];

	rfm_check_scale(n);
	memset(&proto, 0, sizeof(proto));
	memset(p, 0, sizeof(p));
	proto.n = n;
	return bs_build(&proto, p, Max(1, Min(capacity, (int64) (MaxAllocSize / 32))));
}

BreaksState *
bstate_new(int n)
{
	return bstate_new_sized(n, BS_FIRST_BUF);
}

/* out = a + b (sorted merge, equal keys add their counts) */
void
pairs_merge(const Pairs *a, const Pairs *b, Pairs *out)
{
	int64		i = 0,
				j = 0,
				k = 0;
	int64		cap = Max(a->nd + b->nd, 1);

	out->keys = palloc(sizeof(int64) * cap);
	out->counts = palloc(sizeof(int64) * cap);
	while (i < a->nd || j < b->nd)
	{
		if (j >= b->nd || (i < a->nd && a->keys[i] < b->keys[j]))
		{
			out->keys[k] = a->keys[i];
			out->counts[k++] = a->counts[i++];
		}
		else if (i >= a->nd || b->keys[j] < a->keys[i])
		{
			out->keys[k] = b->keys[j];
			out->counts[k++] = b->counts[j++];
		}
		else
		{
			out->keys[k] = a->keys[i];
			out->counts[k++] = a->counts[i++] + b->counts[j++];
		}
		if (out->counts[k - 1] == 0)
			k--;				/* emptied by the inverse transition */
	}
	out->nd = k;
}

void
pairs_free(Pairs *p)
{
	if (p->keys)
		pfree(p->keys);
	if (p->counts)
		pfree(p->counts);
}

/* The whole histogram of one axis: sorted part merged with the buffer. */
void
bs_pairs(const BreaksState *st, int axis, Pairs *out)
{
	int64		nb = st->nbuf;
	int64	   *buf = bs_buf(st);
	Pairs		b,
				s;
	int64		i;

	b.keys = palloc(sizeof(int64) * Max(nb, 1));
	b.counts = palloc(sizeof(int64) * Max(nb, 1));
	for (i = 0; i < nb; i++)
		b.keys[i] = buf[3 * i + axis];
	sort_int64(b.keys, nb);
	b.nd = 0;
	for (i = 0; i < nb; i++)
	{
		if (b.nd > 0 && b.keys[b.nd - 1] == b.keys[i])
			b.counts[b.nd - 1]++;
		else
		{
			b.keys[b.nd] = b.keys[i];
			b.counts[b.nd++] = 1;
		}
	}
	s.keys = bs_keys(st, axis);
	s.counts = bs_counts(st, axis);
	s.nd = st->nd[axis];
	pairs_merge(&s, &b, out);
	pairs_free(&b);
}

/* A compacted copy with a buffer sized to the histograms. */
static BreaksState *
bs_compact(const BreaksState *st)
{
	Pairs		p[NAXES];
	int64		maxnd = 0;
	BreaksState *res;
	int			a;

	for (a = 0; a < NAXES; a++)
	{
		bs_pairs(st, a, &p[a]);
		maxnd = Max(maxnd, p[a].nd);
	}
	res = bs_build(st, p, Max(BS_MIN_BUF, Min(maxnd, MaxAllocSize / 48)));
	for (a = 0; a < NAXES; a++)
		pairs_free(&p[a]);
	return res;
}

/* Raise the decimal scale of the numeric monetary keys, in place. */
static void
bs_rescale(BreaksState *st, int newscale)
{
	int			d = newscale - st->mscale;
	int64	   *keys = bs_keys(st, AX_MON);
	int64	   *buf = bs_buf(st);
	int64		i;

	for (i = 0; i < st->nd[AX_MON]; i++)
		keys[i] = mon_scale_up(keys[i], d);
	for (i = 0; i < st->nbuf; i++)
		buf[3 * i + AX_MON] = mon_scale_up(buf[3 * i + AX_MON], d);
	st->mscale = newscale;
}

void
bs_check_kind(BreaksState *st, uint8 kind)
{
	if (st->kind == 0)
		st->kind = kind;
	else if (st->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot mix numeric and float8 monetary values in one population")));
}

/*
 * Add one customer to st (modified in place, which the caller must own);
 * returns st or, when the buffer was full, a compacted copy made in
 * CurrentMemoryContext.  Customers outside the population are ignored.
 */
/*
 * The keys of one customer.  A numeric monetary value with more decimals
 * than the state's scale raises the scale (add) or must reduce to it
 * (remove: the value was added before).
 */
static void
bs_row_keys(BreaksState *st, const RfmValues *v, int64 *keys, bool adding)
{
	if (v->kind == RFM_FLOAT8)
		keys[AX_MON] = f8_key(DatumGetFloat8(v->monetary));
	else
	{
		AmountSum	s;
		int			sign;

		memset(&s, 0, sizeof(s));
		if (!amount_add_datum(&s, v->monetary, &sign))
			mon_range_error();
		if (s.scale > st->mscale)
		{
			amount_normalize(&s);	/* 12.50 is 12.5: keep mscale small */
			if (s.scale > st->mscale)
			{
				if (!adding)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("rfm_breaks: removing a value that was never added")));
				bs_rescale(st, s.scale);
			}
		}
		keys[AX_MON] = mon_scale_up(s.acc, st->mscale - s.scale);
	}
	keys[AX_REC] = f8_key(v->recency);
	keys[AX_FREQ] = v->frequency;
}

/*
 * Add one customer to st (modified in place, which the caller must own);
 * returns st or, when the buffer was full, a compacted copy made in
 * CurrentMemoryContext.  Customers outside the population are ignored.
 */
BreaksState *
bstate_add(BreaksState *st, const RfmValues *v)
{
	int64		keys[NAXES];
	int64	   *slot;

	if (!v->buyer)
		return st;
	bs_check_kind(st, v->kind);
	bs_row_keys(st, v, keys, true);
	if (st->nbuf >= st->capbuf)
		st = bs_compact(st);	/* buffer full: merge it into the histograms */
	slot = bs_buf(st) + 3 * (int64) st->nbuf;
	memcpy(slot, keys, sizeof(keys));
	st->nbuf++;
	st->count++;
	return st;
}

/* Index of key in the sorted histogram of axis a with a positive count, or -1. */
static int64
bs_find(const BreaksState *st, int a, int64 key)
{
	const int64 *keys = bs_keys(st, a);
	int64		lo = 0,
				hi = st->nd[a];

	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < st->nd[a] && keys[lo] == key && bs_counts(st, a)[lo] > 0) ? lo : -1;
}

/*
 * The inverse of bstate_add (moving-window aggregation): remove one
 * customer.  Values still in the raw buffer are merged into the
 * histograms first (a compacted copy in CurrentMemoryContext).
 */
BreaksState *
bstate_remove(BreaksState *st, const RfmValues *v)
{
	int64		keys[NAXES];
	int64		idx[NAXES];
	int			a;
	bool		compacted = false;

	if (!v->buyer)
		return st;
	bs_check_kind(st, v->kind);
	bs_row_keys(st, v, keys, false);
	for (;;)
	{
		bool		found = true;

		for (a = 0; a < NAXES; a++)
			found = (idx[a] = bs_find(st, a, keys[a])) >= 0 && found;
		if (found)
			break;
		if (compacted || st->nbuf == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("rfm_breaks: removing a value that was never added")));
		st = bs_compact(st);
		compacted = true;
	}
	for (a = 0; a < NAXES; a++)
		bs_counts(st, a)[idx[a]]--;
	st->count--;
	return st;
}

/*
 * The breakpoints of the population in st (false if it is empty).  Reads
 * st and never changes it; allocates in CurrentMemoryContext.
 */
bool
bstate_breaks(const BreaksState *st, ScoreBreaks *out)
{
	int64		bk[NAXES][RFM_MAX_BREAKS];
	int			k;

	if (!bstate_break_keys(st, bk))
		return false;
	memset(out, 0, sizeof(*out));
	out->n = st->n;
	for (k = 0; k < st->n - 1; k++)
	{
		out->rec[k] = key_f8(bk[AX_REC][k]);
		out->freq[k] = (float8) bk[AX_FREQ][k];
		if (st->kind == RFM_FLOAT8)
			out->mon[k] = amount_float8_numeric(key_f8(bk[AX_MON][k]));
		else
			out->mon[k] = amount_int64_numeric(bk[AX_MON][k], st->mscale);
	}
	breaks_finish(out);
	return true;
}

/*
 * Multi-rank selection: out[i] = the value at 0-based position pos[i] of
 * a[lo..hi) once sorted, for ascending pos[0..npos) inside [lo, hi).
 * Quickselect with a three-way partition (ties cost nothing), falling
 * back to a full sort of the range when the recursion gets too deep.
 */
static void
select_ranks(int64 *a, int64 lo, int64 hi, const int64 *pos, int npos, int64 *out, int depth)
{
	while (npos > 0)
	{
		int64		lt,
					gt,
					i,
					pivot;
		int			nl,
					ne;

		CHECK_FOR_INTERRUPTS();
		if (hi - lo <= 32 || depth <= 0)
		{
			sort_int64(a + lo, hi - lo);
			for (i = 0; i < npos; i++)
				out[i] = a[pos[i]];
			return;
		}
		depth--;
		{
			int64		x = a[lo],
						y = a[lo + (hi - lo) / 2],
						z = a[hi - 1];

			pivot = Max(Min(x, y), Min(Max(x, y), z));	/* median of three */
		}
		/* a[lo..lt) < pivot, a[lt..i) == pivot, a[gt..hi) > pivot */
		lt = lo;
		i = lo;
		gt = hi;
		while (i < gt)
		{
			int64		v = a[i];

			if (v < pivot)
			{
				a[i++] = a[lt];
				a[lt++] = v;
			}
			else if (v > pivot)
			{
				a[i] = a[--gt];
				a[gt] = v;
			}
			else
				i++;
		}
		for (nl = 0; nl < npos && pos[nl] < lt; nl++)
			;
		select_ranks(a, lo, lt, pos, nl, out, depth);
		for (ne = nl; ne < npos && pos[ne] < gt; ne++)
			out[ne] = pivot;
		pos += ne;
		out += ne;
		npos -= ne;
		lo = gt;
	}
}

/*
 * The breakpoints of st as keys (false if the population is empty):
 * bk[axis][k - 1] is the key at rank ceil((k/n) * N) of the axis.
 */
bool
bstate_break_keys(const BreaksState *st, int64 bk[][RFM_MAX_BREAKS])
{
	int			a,
				k;

	if (st->count == 0)
		return false;
	if (bstate_is_raw(st))
	{
		/* every customer is in the buffer: select the ranks, no full sort */
		int64		pos[RFM_MAX_BREAKS];
		int64	   *col = palloc(sizeof(int64) * st->nbuf);
		int64	   *buf = bs_buf(st);
		int64		i;
		int			depth = 64;

		for (k = 1; k < st->n; k++)
			pos[k - 1] = (int64) ceil(((float8) k / (float8) st->n) * (float8) st->count) - 1;
		for (a = 0; a < NAXES; a++)
		{
			for (i = 0; i < st->nbuf; i++)
				col[i] = buf[3 * i + a];
			select_ranks(col, 0, st->nbuf, pos, st->n - 1, bk[a], depth);
		}
		pfree(col);
		return true;
	}
	for (a = 0; a < NAXES; a++)
	{
		Pairs		p;
		int64		idx = 0;
		int64		cum = 0;

		bs_pairs(st, a, &p);
		for (k = 1; k < st->n; k++)
		{
			int64		rank = (int64) ceil(((float8) k / (float8) st->n) * (float8) st->count);

			while (idx < p.nd - 1 && cum + p.counts[idx] < rank)
				cum += p.counts[idx++];
			bk[a][k - 1] = p.keys[idx];
		}
		pairs_free(&p);
	}
	return true;
}

/*
 * Score raw customer i of a state that was never compacted (its buffer
 * still holds every customer in arrival order) against break keys bk:
 * the formula of README, "RFM scores", in key space, where the order is the value order.
 */
RfmScore
bstate_score_raw(const BreaksState *st, int64 bk[][RFM_MAX_BREAKS], int64 i)
{
	const int64 *row = bs_buf(st) + 3 * i;
	int			nb = st->n - 1;
	int			c[NAXES];
	int			a;

	Assert(st->nd[0] == 0 && i < st->nbuf);
	for (a = 0; a < NAXES; a++)
	{
		c[a] = 0;
		while (c[a] < nb && bk[a][c[a]] < row[a])
			c[a]++;
	}
	return RFM_SCORE_MAKE(st->n, st->n - c[AX_REC], 1 + c[AX_FREQ], 1 + c[AX_MON]);
}

/* True if st still holds every customer raw (never compacted). */
bool
bstate_is_raw(const BreaksState *st)
{
	return st->nd[AX_REC] == 0 && st->nd[AX_FREQ] == 0 && st->nd[AX_MON] == 0;
}

/* ----------------------------------------------------------------
 * The aggregate rfm_breaks(r rfm, n int) and its state type
 * ----------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(rfm_breaks_trans);
PG_FUNCTION_INFO_V1(rfm_breaks_combine);
PG_FUNCTION_INFO_V1(rfm_breaks_final);
PG_FUNCTION_INFO_V1(rfm_breaks_inv);

/* The reader of rfm rows kept in fn_extra of the transition function. */
static RfmReader *
reader_of(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
														  sizeof(RfmReader));
	return (RfmReader *) fcinfo->flinfo->fn_extra;
}

/* rfm_breaks_trans(state, r rfm|rfm_float8 [, n int]) */
Datum
rfm_breaks_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	MemoryContext old;
	BreaksState *st;
	RfmValues	v;
	int32		n;

	bool		in_agg = AggCheckCallContext(fcinfo, &aggcxt) != 0;

	if (!in_agg)
		aggcxt = CurrentMemoryContext;
	if (PG_NARGS() < 3)
		n = 5;					/* rfm_breaks(r): the default scale */
	else if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("scale n must not be null")));
	else
		n = PG_GETARG_INT32(2);
	rfm_check_scale(n);
	if (PG_ARGISNULL(0))
	{
		old = MemoryContextSwitchTo(aggcxt);
		st = bstate_new(n);
		MemoryContextSwitchTo(old);
	}
	else
	{
		st = (BreaksState *) (in_agg ? (void *) PG_GETARG_POINTER(0) :
							  (void *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0)));
		if (st->n != n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("scale n differs within one rfm_breaks aggregate: %d and %d",
							st->n, n)));
	}
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	rfm_values_read(reader_of(fcinfo), fcinfo->flinfo->fn_mcxt, PG_GETARG_DATUM(1), &v);
	old = MemoryContextSwitchTo(aggcxt);
	st = bstate_add(st, &v);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

/* rfm_breaks_inv(state, r rfm|rfm_float8 [, n int]): moving-window inverse */
Datum
rfm_breaks_inv(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	MemoryContext old;
	BreaksState *st;
	RfmValues	v;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("rfm_breaks_inv can only be called by rfm_breaks() as a moving-frame window aggregate")));
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("rfm_breaks_inv: the state must not be null")));
	st = (BreaksState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	rfm_values_read(reader_of(fcinfo), fcinfo->flinfo->fn_mcxt, PG_GETARG_DATUM(1), &v);
	old = MemoryContextSwitchTo(aggcxt);
	st = bstate_remove(st, &v);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

/* Merge two histograms of the monetary axis at a common scale. */
static void
mon_pairs_rescaled(const BreaksState *st, int32 mscale, Pairs *p)
{
	int64		i;

	bs_pairs(st, AX_MON, p);
	if (st->kind == RFM_NUMERIC && mscale > st->mscale)
		for (i = 0; i < p->nd; i++)
			p->keys[i] = mon_scale_up(p->keys[i], mscale - st->mscale);
}

Datum
rfm_breaks_combine(PG_FUNCTION_ARGS)
{
	BreaksState *a = (BreaksState *) PG_GETARG_VARLENA_P(0);
	BreaksState *b = (BreaksState *) PG_GETARG_VARLENA_P(1);
	MemoryContext aggcxt;
	MemoryContext old;
	BreaksState proto;
	Pairs		pa,
				pb,
				p[NAXES];
	BreaksState *res;
	int			ax;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		aggcxt = CurrentMemoryContext;
	if (a->n != b->n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge rfm_breaks states with different scale n: %d and %d",
						a->n, b->n)));
	memcpy(&proto, a, sizeof(proto));
	if (b->kind != 0)
		bs_check_kind(&proto, b->kind);
	proto.mscale = Max(a->mscale, b->mscale);
	proto.count = a->count + b->count;
	old = MemoryContextSwitchTo(aggcxt);
	for (ax = 0; ax < NAXES; ax++)
	{
		if (ax == AX_MON)
		{
			mon_pairs_rescaled(a, proto.mscale, &pa);
			mon_pairs_rescaled(b, proto.mscale, &pb);
		}
		else
		{
			bs_pairs(a, ax, &pa);
			bs_pairs(b, ax, &pb);
		}
		pairs_merge(&pa, &pb, &p[ax]);
		pairs_free(&pa);
		pairs_free(&pb);
	}
	res = bs_build(&proto, p, 0);
	for (ax = 0; ax < NAXES; ax++)
		pairs_free(&p[ax]);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(res);
}

Datum
rfm_breaks_final(PG_FUNCTION_ARGS)
{
	BreaksState *st = (BreaksState *) PG_GETARG_VARLENA_P(0);
	ScoreBreaks b;

	if (!bstate_breaks(st, &b))
		PG_RETURN_NULL();		/* no customer with a purchase */
	PG_RETURN_POINTER(breaks_flatten(&b));
}

