/*
 * breaks.h
 *	  Quantile breakpoints of RFM scores: the exact breakpoint state and
 *	  the rfm_breaks aggregate (breaks.c), the state's text and binary I/O
 *	  (breaks_io.c) and the rfm_breaks value type (breaks_type.c).  Scoring
 *	  (scoring.c, scoring_agg.c) reads breakpoints through this header.
 *	  See breaks.c for the representation of the state.
 */
#ifndef MEMVAL_BREAKS_H
#define MEMVAL_BREAKS_H

#include "rfm.h"
#include "rfm_score.h"

/*
 * Breakpoints ready for scoring: parsed from an rfm_breaks value or
 * computed from a population.
 */
typedef struct ScoreBreaks
{
	int			n;				/* scale: n - 1 breakpoints per axis */
	float8		rec[RFM_MAX_BREAKS];	/* recency breakpoints (days) */
	float8		freq[RFM_MAX_BREAKS];	/* frequency breakpoints */
	Numeric		mon[RFM_MAX_BREAKS];	/* monetary breakpoints, exact */
	float8		monf[RFM_MAX_BREAKS];	/* the same as float8 (float8 rows) */
	int64		monkey[RFM_MAX_BREAKS]; /* the same * 10^monscale, if monkey_ok */
	int32		monscale;
	bool		monkey_ok;		/* every mon[k] fits monkey[] exactly */
} ScoreBreaks;

/* breaks.c: exact breakpoints of a population (the rfm_breaks_state) */
typedef struct BreaksState BreaksState;

extern BreaksState *bstate_new(int n);
extern BreaksState *bstate_new_sized(int n, int64 capacity);
extern BreaksState *bstate_add(BreaksState *st, const RfmValues *v);
extern BreaksState *bstate_remove(BreaksState *st, const RfmValues *v);
extern bool bstate_breaks(const BreaksState *st, ScoreBreaks *out);
extern bool bstate_break_keys(const BreaksState *st, int64 bk[][RFM_MAX_BREAKS]);
extern bool bstate_is_raw(const BreaksState *st);
extern RfmScore bstate_score_raw(const BreaksState *st, int64 bk[][RFM_MAX_BREAKS], int64 i);

/* breaks_type.c: the rfm_breaks value */
/* Fill the derived fields of b (monf, monkey) from b->mon. */
extern void breaks_finish(ScoreBreaks *b);
/* The breakpoints of an rfm_breaks value, finished. */
extern void breaks_parse(struct varlena *flat, ScoreBreaks *out);
/* The rfm_breaks value of b. */
extern struct varlena *breaks_flatten(const ScoreBreaks *b);

/* SQL-callable I/O of rfm_breaks, reused by scoring_agg.c */
extern Datum rfm_breaks_in(PG_FUNCTION_ARGS);
extern Datum rfm_breaks_out(PG_FUNCTION_ARGS);
extern Datum rfm_breaks_send(PG_FUNCTION_ARGS);
extern Datum rfm_breaks_recv(PG_FUNCTION_ARGS);


/* Internals shared by breaks.c and breaks_io.c */

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
	uint8		version;		/* MEMVAL_STATE_VERSION (state_io.h) */
	uint8		kind;			/* RfmKind of monetary; 0 before a customer */
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

static inline const char *
axis_name(int axis)
{
	return axis == AX_REC ? "recency" : axis == AX_FREQ ? "frequency" : "monetary";
}

extern int64 mon_scale_up(int128 v, int d);
extern BreaksState *bs_build(const BreaksState *proto, const Pairs *p, int64 capbuf);
extern void pairs_merge(const Pairs *a, const Pairs *b, Pairs *out);
extern void pairs_free(Pairs *p);
extern void bs_pairs(const BreaksState *st, int axis, Pairs *out);
extern void bs_check_kind(BreaksState *st, uint8 kind);

#endif							/* MEMVAL_BREAKS_H */
