/*
 * breaks.h
 *	  Internals of the rfm_breaks_state type, shared by breaks.c (the
 *	  histograms and the aggregate) and breaks_io.c (its text and binary
 *	  input/output).  See breaks.c for the representation.
 */
#ifndef MEMVAL_BREAKS_H
#define MEMVAL_BREAKS_H

#include "scoring.h"

enum
{
	AX_REC,
	AX_FREQ,
	AX_MON,
	NAXES
};


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

extern const char *const axis_name[NAXES];

extern int64 mon_scale_up(int128 v, int d);
extern BreaksState *bs_build(const BreaksState *proto, const Pairs *p, int64 capbuf);
extern void pairs_merge(const Pairs *a, const Pairs *b, Pairs *out);
extern void pairs_free(Pairs *p);
extern void bs_pairs(const BreaksState *st, int axis, Pairs *out);
extern void bs_check_kind(BreaksState *st, uint8 kind);

#endif							/* MEMVAL_BREAKS_H */
