/*
 * scoring.h
 *	  RFM scoring against breakpoints, shared by the window and scalar
 *	  forms (scoring.c) and the scoring aggregate (scoring_agg.c).
 */
#ifndef MEMVAL_SCORING_H
#define MEMVAL_SCORING_H

#include "breaks.h"

/* The score of one customer's values against breakpoints b. */
extern RfmScore rfm_score_values(const ScoreBreaks *b, const RfmValues *v);

/*
 * The parsed breakpoints of the rfm_breaks value flat, cached in
 * flinfo->fn_extra (one parse per query) with a row reader beside them.
 */
extern const ScoreBreaks *breaks_cached(FmgrInfo *flinfo, struct varlena *flat,
										RfmReader **reader);

#endif							/* MEMVAL_SCORING_H */
