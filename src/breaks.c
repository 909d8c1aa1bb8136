/*
 * breaks.c
 *	  Exact quantile breakpoints of an RFM population (SPEC §3): the
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
 * rfm_breaks_state text form (exact, canonical):
 *
 *	 (kind,n,mscale,R,F,M)
 *
 * kind is numeric, float8 or none (no customer yet); R, F and M are
 * space-separated value:count pairs in ascending order; recency (and
 * float8 monetary) values are the shortest exact float8 text, numeric
 * monetary values are integers in units of 10^-mscale.
 *
 * rfm_breaks text form: n=5 recency={..} frequency={..} monetary={..}
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "scoring.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

#define ST_SORT sort_int64
#define ST_ELEMENT_TYPE int64
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

enum
{
	AX_REC,
	AX_FREQ,
	AX_MON,
	NAXES
};

static const char *const axis_name[NAXES] = {"recency", "frequency", "monetary"};

/* Raw buffer of a new state, and the smallest after a compaction. */
#define BS_FIRST_BUF	64
#define BS_MIN_BUF		1024

struct BreaksState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		kind;			/* RfmKind of monetary; 0 before a customer */
	uint8		pad;
	int16		n;				/* scale: n - 1 breakpoints per axis */
	int32		mscale;			/* numeric monetary keys are value * 10^mscale */
	int32		nbuf;			/* raw customers in the buffer */
	int32		capbuf;			/* capacity of the buffer, in customers */
	int32		nd[NAXES];		/* distinct values per axis, sorted part */
	int64		count;			/* customers: sorted part plus buffer */
	/* then per axis int64 keys[nd], int64 counts[nd]; then int64 buf[capbuf][3] */
};

#define BS_HDR			MAXALIGN(sizeof(BreaksState))
#define BS_DATA(st)		((int64 *) ((char *) (st) + BS_HDR))

static inline int64 *
bs_keys(const BreaksState *st, int axis)
{
	int64	   *p = BS_DATA(st);
	int			i;

	for (i = 0; i < axis; i++)
		p += 2 * (int64) st->nd[i];
	return p;
}

#define bs_counts(st, a)	(bs_keys(st, a) + (st)->nd[a])
#define bs_buf(st)			bs_keys(st, NAXES)

/* A sorted histogram: distinct keys ascending, each with its count. */
typedef struct Pairs
{
	int64	   *keys;
	int64	   *counts;
	int64		nd;
} Pairs;

/* Order-preserving map of a double (not NaN) to an int64 key; -0 is 0. */
static inline int64
f8_key(float8 d)
{
	int64		b;

	if (d == 0)
		d = 0.0;
	memcpy(&b, &d, sizeof(b));
	return b < 0 ? b ^ PG_INT64_MAX : b;
}

static inline float8
key_f8(int64 k)
{
	float8		d;

	if (k < 0)
		k ^= PG_INT64_MAX;
	memcpy(&d, &k, sizeof(d));
	return d;
}

static inline bool
axis_is_f8(uint8 kind, int axis)
{
	return axis == AX_REC || (axis == AX_MON && kind == RFM_FLOAT8);
}

static void
mon_range_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("monetary value is out of range for rfm_breaks"),
			 errdetail("rfm_breaks keeps numeric monetary values exactly as 64-bit integers at the largest decimal scale seen (at most 18 significant digits).")));
}

/* v * 10^d as an int64, or an error. */
static int64
mon_scale_up(int128 v, int d)
{
	while (d-- > 0)
	{
		v *= 10;
		if (v > PG_INT64_MAX || v < PG_INT64_MIN)
			mon_range_error();
	}
	if (v > PG_INT64_MAX || v < PG_INT64_MIN)
		mon_range_error();
	return (int64) v;
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
static BreaksState *
bs_build(const BreaksState *proto, const Pairs *p, int64 capbuf)
{
	int64		tot = p[0].nd + p[1].nd + p[2].nd;
	Size		size = bs_size(tot, capbuf);
	BreaksState *st = (BreaksState *) palloc(size);
	int			a;

	/* the buffer is written before it is read: only the header is zeroed */
	memset(st, 0, BS_HDR);
	SET_VARSIZE(st, size);
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
static void
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
	}
	out->nd = k;
}

static void
pairs_free(Pairs *p)
{
	if (p->keys)
		pfree(p->keys);
	if (p->counts)
		pfree(p->counts);
}

/* The whole histogram of one axis: sorted part merged with the buffer. */
static void
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

static inline void
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
BreaksState *
bstate_add(BreaksState *st, const RfmValues *v)
{
	int64		mkey;
	int64	   *slot;

	if (!v->buyer)
		return st;
	bs_check_kind(st, v->kind);
	if (v->kind == RFM_FLOAT8)
		mkey = f8_key(DatumGetFloat8(v->monetary));
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
				bs_rescale(st, s.scale);
		}
		mkey = mon_scale_up(s.acc, st->mscale - s.scale);
	}
	if (st->nbuf >= st->capbuf)
		st = bs_compact(st);	/* buffer full: merge it into the histograms */
	slot = bs_buf(st) + 3 * (int64) st->nbuf;
	slot[AX_REC] = f8_key(v->recency);
	slot[AX_FREQ] = v->frequency;
	slot[AX_MON] = mkey;
	st->nbuf++;
	st->count++;
	return st;
}

/* Exact numeric of a double: its shortest text reads back to it. */
static Numeric
f8_numeric(float8 d)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(d, buf);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

static Numeric
mon_key_numeric(int64 key, int32 mscale)
{
	AmountSum	s;

	s.acc = key;
	s.scale = mscale;
	s.pad = 0;
	return amount_to_numeric(&s);
}

/* Fill the derived fields of b (monf, monkey) from b->mon. */
void
breaks_finish(ScoreBreaks *b)
{
	AmountSum	s[RFM_MAX_BREAKS];
	int			k;
	int			nb = b->n - 1;
	int32		scale = 0;
	bool		ok = true;

	for (k = 0; k < nb; k++)
	{
		int			sign;

		b->monf[k] = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
														NumericGetDatum(b->mon[k])));
		memset(&s[k], 0, sizeof(s[k]));
		if (!amount_add_datum(&s[k], NumericGetDatum(b->mon[k]), &sign))
			ok = false;
		else
		{
			amount_normalize(&s[k]);
			scale = Max(scale, s[k].scale);
		}
	}
	for (k = 0; ok && k < nb; k++)
	{
		int128		v = s[k].acc;
		int			d = scale - s[k].scale;

		while (d-- > 0 && ok)
		{
			v *= 10;
			ok = v <= PG_INT64_MAX && v >= PG_INT64_MIN;
		}
		ok = ok && v <= PG_INT64_MAX && v >= PG_INT64_MIN;
		if (ok)
			b->monkey[k] = (int64) v;
	}
	b->monscale = scale;
	b->monkey_ok = ok;
}

/*
 * The breakpoints of the population in st (false if it is empty).  Reads
 * st and never changes it; allocates in CurrentMemoryContext.
 */
bool
bstate_breaks(const BreaksState *st, ScoreBreaks *out)
{
	int			a,
				k;

	if (st->count == 0)
		return false;
	memset(out, 0, sizeof(*out));
	out->n = st->n;
	for (a = 0; a < NAXES; a++)
	{
		Pairs		p;
		int64		idx = 0;
		int64		cum = 0;

		bs_pairs(st, a, &p);
		for (k = 1; k < st->n; k++)
		{
			int64		rank = (int64) ceil(((float8) k / (float8) st->n) * (float8) st->count);
			int64		key;

			while (idx < p.nd - 1 && cum + p.counts[idx] < rank)
				cum += p.counts[idx++];
			key = p.keys[idx];
			if (a == AX_REC)
				out->rec[k - 1] = key_f8(key);
			else if (a == AX_FREQ)
				out->freq[k - 1] = (float8) key;
			else if (st->kind == RFM_FLOAT8)
				out->mon[k - 1] = f8_numeric(key_f8(key));
			else
				out->mon[k - 1] = mon_key_numeric(key, st->mscale);
		}
		pairs_free(&p);
	}
	breaks_finish(out);
	return true;
}

/* ----------------------------------------------------------------
 * The aggregate rfm_breaks(r rfm, n int) and its state type
 * ----------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(rfm_breaks_state_in);
PG_FUNCTION_INFO_V1(rfm_breaks_state_out);
PG_FUNCTION_INFO_V1(rfm_breaks_state_recv);
PG_FUNCTION_INFO_V1(rfm_breaks_state_send);
PG_FUNCTION_INFO_V1(rfm_breaks_trans);
PG_FUNCTION_INFO_V1(rfm_breaks_combine);
PG_FUNCTION_INFO_V1(rfm_breaks_final);

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

static const char *
kind_name(uint8 kind)
{
	return kind == RFM_NUMERIC ? "numeric" : kind == RFM_FLOAT8 ? "float8" : "none";
}

Datum
rfm_breaks_state_out(PG_FUNCTION_ARGS)
{
	BreaksState *st = (BreaksState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;
	int			a;
	int64		i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(%s,%d,%d", kind_name(st->kind), st->n, st->mscale);
	for (a = 0; a < NAXES; a++)
	{
		Pairs		p;

		bs_pairs(st, a, &p);
		appendStringInfoChar(&buf, ',');
		for (i = 0; i < p.nd; i++)
		{
			if (i)
				appendStringInfoChar(&buf, ' ');
			if (axis_is_f8(st->kind, a))
			{
				char		s[DOUBLE_SHORTEST_DECIMAL_LEN];

				double_to_shortest_decimal_buf(key_f8(p.keys[i]), s);
				appendStringInfoString(&buf, s);
			}
			else
				appendStringInfo(&buf, INT64_FORMAT, p.keys[i]);
			appendStringInfo(&buf, ":" INT64_FORMAT, p.counts[i]);
		}
		pairs_free(&p);
	}
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

static void
bs_syntax_error(const char *input, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type rfm_breaks_state: \"%s\"", input),
			 errdetail("%s", why)));
}

/*
 * A state from parsed histograms, after checking every invariant the code
 * relies on; errors use sqlstate (text or binary input).
 */
static BreaksState *
bs_from_pairs(BreaksState *proto, Pairs *p, const char *input, int sqlstate)
{
	int			a;
	int64		i;

	if (proto->n < RFM_SCORE_MIN_N || proto->n > RFM_SCORE_MAX_N)
		ereport(ERROR, (errcode(sqlstate), errmsg("invalid scale n %d in \"%s\"", proto->n, input)));
	if (proto->mscale < 0 || proto->mscale > AMOUNT_MAX_SCALE)
		ereport(ERROR, (errcode(sqlstate), errmsg("invalid monetary scale %d in \"%s\"", proto->mscale, input)));
	proto->count = 0;
	for (a = 0; a < NAXES; a++)
	{
		int64		total = 0;

		if (p[a].nd > PG_INT32_MAX)
			ereport(ERROR, (errcode(sqlstate), errmsg("too many distinct values in \"%s\"", input)));
		for (i = 0; i < p[a].nd; i++)
		{
			if (p[a].counts[i] <= 0 || (i > 0 && p[a].keys[i] <= p[a].keys[i - 1]))
				ereport(ERROR,
						(errcode(sqlstate),
						 errmsg("invalid %s histogram in \"%s\"", axis_name[a], input),
						 errdetail("Values must be strictly ascending with positive counts.")));
			if (axis_is_f8(proto->kind, a))
			{
				float8		d = key_f8(p[a].keys[i]);

				if (isnan(d) || isinf(d))
					ereport(ERROR, (errcode(sqlstate), errmsg("%s values must be finite", axis_name[a])));
			}
			else if (a == AX_FREQ && p[a].keys[i] <= 0)
				ereport(ERROR, (errcode(sqlstate), errmsg("frequency values must be positive")));
			if (pg_add_s64_overflow(total, p[a].counts[i], &total))
				ereport(ERROR, (errcode(sqlstate), errmsg("count overflow in \"%s\"", input)));
		}
		if (a == 0)
			proto->count = total;
		else if (total != proto->count)
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("histograms of \"%s\" count different numbers of customers", input)));
	}
	if (proto->count > 0 && proto->kind == 0)
		ereport(ERROR, (errcode(sqlstate), errmsg("a state with customers needs a kind")));
	return bs_build(proto, p, 0);
}

/* One "value:count value:count ..." field of the text form. */
static void
bs_parse_axis(char *field, uint8 kind, int axis, Pairs *p, const char *input)
{
	int64		cap = 16;
	char	   *tok;
	char	   *save = NULL;

	p->keys = palloc(sizeof(int64) * cap);
	p->counts = palloc(sizeof(int64) * cap);
	p->nd = 0;
	for (tok = strtok_r(field, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
	{
		char	   *colon = strchr(tok, ':');
		char	   *end;
		int64		key;

		if (colon == NULL)
			bs_syntax_error(input, "Expected value:count pairs.");
		*colon = '\0';
		if (axis_is_f8(kind, axis))
			key = f8_key(float8in_internal(tok, NULL, "double precision", input));
		else
		{
			errno = 0;
			key = strtoll(tok, &end, 10);
			if (*tok == '\0' || *end != '\0' || errno != 0)
				bs_syntax_error(input, "Expected an integer value.");
		}
		errno = 0;
		if (p->nd == cap)
		{
			cap *= 2;
			p->keys = repalloc_huge(p->keys, sizeof(int64) * cap);
			p->counts = repalloc_huge(p->counts, sizeof(int64) * cap);
		}
		p->keys[p->nd] = key;
		p->counts[p->nd] = strtoll(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || errno != 0)
			bs_syntax_error(input, "Expected an integer count.");
		p->nd++;
	}
}

Datum
rfm_breaks_state_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *s = pstrdup(input);
	char	   *field[6];
	char	   *p;
	BreaksState proto;
	Pairs		pairs[NAXES];
	int			i;

	p = s;
	while (isspace((unsigned char) *p))
		p++;
	if (*p++ != '(')
		bs_syntax_error(input, "Expected \"(\".");
	for (i = 0; i < 6; i++)
	{
		char	   *end = strchr(p, i < 5 ? ',' : ')');

		if (end == NULL)
			bs_syntax_error(input, "Expected 6 comma-separated fields in parentheses.");
		*end = '\0';
		field[i] = p;
		p = end + 1;
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		bs_syntax_error(input, "Unexpected text after \")\".");
	memset(&proto, 0, sizeof(proto));
	if (strcmp(field[0], "numeric") == 0)
		proto.kind = RFM_NUMERIC;
	else if (strcmp(field[0], "float8") == 0)
		proto.kind = RFM_FLOAT8;
	else if (strcmp(field[0], "none") != 0)
		bs_syntax_error(input, "The kind must be numeric, float8 or none.");
	proto.n = pg_strtoint32(field[1]);
	proto.mscale = pg_strtoint32(field[2]);
	for (i = 0; i < NAXES; i++)
		bs_parse_axis(field[3 + i], proto.kind, i, &pairs[i], input);
	PG_RETURN_POINTER(bs_from_pairs(&proto, pairs, input, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

Datum
rfm_breaks_state_send(PG_FUNCTION_ARGS)
{
	BreaksState *st = (BreaksState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;
	int			a;
	int64		i;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, MEMVAL_STATE_VERSION);
	pq_sendint8(&buf, st->kind);
	pq_sendint32(&buf, st->n);
	pq_sendint32(&buf, st->mscale);
	for (a = 0; a < NAXES; a++)
	{
		Pairs		p;

		bs_pairs(st, a, &p);
		pq_sendint64(&buf, p.nd);
		for (i = 0; i < p.nd; i++)
		{
			if (axis_is_f8(st->kind, a))
				pq_sendfloat8(&buf, key_f8(p.keys[i]));
			else
				pq_sendint64(&buf, p.keys[i]);
			pq_sendint64(&buf, p.counts[i]);
		}
		pairs_free(&p);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_breaks_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	BreaksState proto;
	Pairs		pairs[NAXES];
	int			version = pq_getmsgint(buf, 1);
	int			a;
	int64		i;

	if (version != MEMVAL_STATE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported rfm_breaks_state binary format version %d", version)));
	memset(&proto, 0, sizeof(proto));
	proto.kind = pq_getmsgint(buf, 1);
	if (proto.kind > RFM_FLOAT8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid rfm_breaks_state kind %d", proto.kind)));
	proto.n = pq_getmsgint(buf, 4);
	proto.mscale = pq_getmsgint(buf, 4);
	for (a = 0; a < NAXES; a++)
	{
		int64		nd = pq_getmsgint64(buf);

		if (nd < 0 || nd > (buf->len - buf->cursor) / 16)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("truncated rfm_breaks_state")));
		pairs[a].nd = nd;
		pairs[a].keys = palloc(sizeof(int64) * Max(nd, 1));
		pairs[a].counts = palloc(sizeof(int64) * Max(nd, 1));
		for (i = 0; i < nd; i++)
		{
			if (axis_is_f8(proto.kind, a))
				pairs[a].keys[i] = f8_key(pq_getmsgfloat8(buf));
			else
				pairs[a].keys[i] = pq_getmsgint64(buf);
			pairs[a].counts[i] = pq_getmsgint64(buf);
		}
	}
	pq_getmsgend(buf);
	PG_RETURN_POINTER(bs_from_pairs(&proto, pairs, "(binary)", ERRCODE_INVALID_BINARY_REPRESENTATION));
}
