/*
 * scoring.h
 *	  Declarations shared by the RFM scoring files (SPEC §3, §4):
 *	  rfm_score_type.c (the rfm_score type), breaks.c (exact breakpoints and
 *	  the rfm_breaks aggregate; its state's I/O in breaks_io.c),
 *	  breaks_type.c (the rfm_breaks type), scoring.c (window and scalar
 *	  scoring), scoring_agg.c (the scoring aggregate) and tier_of.c
 *	  (tier_of).
 *
 * The formula (SPEC §3): over the population (customers with frequency
 * > 0), b_k = percentile_disc(k/n) of each axis, k = 1..n-1; with
 * c(v) = #{k : b_k < v}, F and M score 1 + c(v) and R scores n - c(v).
 */
#ifndef MEMVAL_SCORING_H
#define MEMVAL_SCORING_H

#include "memval.h"
#include "access/tupdesc.h"
#include "rfm.h"

#define RFM_SCORE_MIN_N		2
#define RFM_SCORE_MAX_N		100
#define RFM_MAX_BREAKS		(RFM_SCORE_MAX_N - 1)

/*
 * rfm_score: a 4-byte pass-by-value type, n in the high byte, then R, F
 * and M.  Comparing the packed integers orders scores by (n, r, f, m).
 */
typedef uint32 RfmScore;

#define RFM_SCORE_MAKE(n, r, f, m) \
	(((uint32) (n) << 24) | ((uint32) (r) << 16) | ((uint32) (f) << 8) | (uint32) (m))
#define RFM_SCORE_N(s)		((int) (((s) >> 24) & 0xFF))
#define RFM_SCORE_R(s)		((int) (((s) >> 16) & 0xFF))
#define RFM_SCORE_F(s)		((int) (((s) >> 8) & 0xFF))
#define RFM_SCORE_M(s)		((int) ((s) & 0xFF))
#define DatumGetRfmScore(d)	((RfmScore) DatumGetUInt32(d))
#define RfmScoreGetDatum(s)	UInt32GetDatum(s)
#define PG_GETARG_RFM_SCORE(i)	DatumGetRfmScore(PG_GETARG_DATUM(i))
#define PG_RETURN_RFM_SCORE(s)	return RfmScoreGetDatum(s)

/* The scale n of scores must be 2..100 (22023). */
static inline void
rfm_check_scale(int64 n)
{
	if (n < RFM_SCORE_MIN_N || n > RFM_SCORE_MAX_N)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scale n must be between %d and %d, got " INT64_FORMAT,
						RFM_SCORE_MIN_N, RFM_SCORE_MAX_N, n)));
}

/* Strip trailing decimal zeros of a fast-path amount: 12.2500 -> 12.25. */
static inline void
amount_normalize(AmountSum *s)
{
	while (s->scale > 0 && s->acc % 10 == 0)
	{
		s->acc /= 10;
		s->scale--;
	}
}

/* What scoring reads from one customer's rfm / rfm_float8 row. */
typedef struct RfmValues
{
	bool		buyer;			/* in the population: frequency > 0 */
	uint8		kind;			/* RfmKind of monetary */
	float8		recency;		/* days */
	int64		frequency;		/* purchases */
	Datum		monetary;		/* numeric (maybe short header) or float8 */
} RfmValues;

/* Reads rfm / rfm_float8 rows; kept in fn_extra-owned memory. */
typedef struct RfmReader
{
	Oid			typid;			/* row type last seen */
	int32		typmod;
	TupleDesc	tupdesc;		/* its descriptor (copy) */
	uint8		kind;			/* RfmKind of its monetary column */
	char	   *buf;			/* 4-byte-header copy of a short-header row */
	Size		bufsize;
} RfmReader;

extern void rfm_values_read(RfmReader *rd, MemoryContext mcxt, Datum row,
							RfmValues *v);

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

/* scoring.c */
extern RfmScore rfm_score_values(const ScoreBreaks *b, const RfmValues *v);
extern const ScoreBreaks *breaks_cached(FmgrInfo *flinfo, struct varlena *flat,
										RfmReader **reader);

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
extern void breaks_finish(ScoreBreaks *b);
extern void breaks_parse(struct varlena *flat, ScoreBreaks *out);
extern struct varlena *breaks_flatten(const ScoreBreaks *b);

/* breaks_type.c: SQL-callable I/O of rfm_breaks, reused by scoring_agg.c */
extern Datum rfm_breaks_in(PG_FUNCTION_ARGS);
extern Datum rfm_breaks_out(PG_FUNCTION_ARGS);
extern Datum rfm_breaks_send(PG_FUNCTION_ARGS);
extern Datum rfm_breaks_recv(PG_FUNCTION_ARGS);

#endif							/* MEMVAL_SCORING_H */
