/*
 * rfm_state.h
 *	  The transition state of rfm() (rfm.c), shared with the scoring
 *	  aggregate rfm_score(order_ts, amount, as_of, breaks) (scoring_agg.c),
 *	  which embeds an rfm state and drives it through rfm.c's own
 *	  transition and combine functions.
 */
#ifndef MEMVAL_RFM_STATE_H
#define MEMVAL_RFM_STATE_H

#include "memval.h"

typedef enum RfmKind
{
	RFM_NUMERIC = 1,
	RFM_FLOAT8 = 2
} RfmKind;

/* flags */
#define RFM_HAS_AS_OF	0x01	/* a row has been seen: as_of is set */
#define RFM_OVERFLOW	0x02	/* an exact overflow sum follows the struct */

typedef struct RfmState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		kind;			/* RfmKind: the amount type */
	uint8		flags;			/* RFM_HAS_AS_OF, RFM_OVERFLOW */
	uint16		pad;
	TimestampTz as_of;			/* the group's as_of, once a row is seen */
	TimestampTz first;			/* first purchase, when frequency > 0 */
	TimestampTz last;			/* last purchase, when frequency > 0 */
	int64		frequency;		/* purchases: amount >= 0, order_ts <= as_of */
	int64		refunds;		/* refunds: amount < 0, order_ts <= as_of */
	float8		fsum;			/* net amount, float8 kind */
	AmountSum	sum;			/* net amount, numeric kind (fast path) */
	/* numeric kind with RFM_OVERFLOW: a Numeric at RFM_FIXED_SIZE */
} RfmState;

#define RFM_FIXED_SIZE		MAXALIGN(sizeof(RfmState))
#define RFM_OVF(st)			((Numeric) ((char *) (st) + RFM_FIXED_SIZE))

/* rfm.c's SQL-callable functions, called directly by scoring_agg.c */
extern Datum rfm_numeric_trans(PG_FUNCTION_ARGS);
extern Datum rfm_float8_trans(PG_FUNCTION_ARGS);
extern Datum rfm_combine(PG_FUNCTION_ARGS);
extern Datum rfm_state_in(PG_FUNCTION_ARGS);
extern Datum rfm_state_out(PG_FUNCTION_ARGS);
extern Datum rfm_state_send(PG_FUNCTION_ARGS);
extern Datum rfm_state_recv(PG_FUNCTION_ARGS);

/* The exact net amount of a numeric state. */
extern Numeric rfm_monetary_numeric(const RfmState *st);

#endif							/* MEMVAL_RFM_STATE_H */
