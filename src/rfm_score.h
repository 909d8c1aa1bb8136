/*
 * rfm_score.h
 *	  The rfm_score type (rfm_score_type.c): R, F and M scores on a scale n,
 *	  packed in 4 bytes.  Produced by scoring (scoring.c, scoring_agg.c) and
 *	  the breakpoints (breaks*.c), read by tier_of (tier_of.c).
 *
 * The formula (README, "RFM scores"): over the population (customers with
 * frequency > 0), b_k = percentile_disc(k/n) of each axis, k = 1..n-1;
 * with c(v) = #{k : b_k < v}, F and M score 1 + c(v) and R scores
 * n - c(v).
 */
#ifndef MEMVAL_RFM_SCORE_H
#define MEMVAL_RFM_SCORE_H

#include "memval.h"

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

#endif							/* MEMVAL_RFM_SCORE_H */
