/*
 * rfm.h
 *	  The RFM summary: the transition state of rfm() (rfm.c, its I/O in
 *	  rfm_io.c), shared with the aggregates that accumulate the same summary
 *	  under other parameters (clv_historical.c, scoring_agg.c), and the
 *	  reader of rfm() result rows (rfm_row.c).
 */
#ifndef MEMVAL_RFM_H
#define MEMVAL_RFM_H

#include "amount.h"
#include "memval.h"
#include "access/tupdesc.h"

typedef enum RfmKind
{
	RFM_NUMERIC = AMOUNT_KIND_NUMERIC,
	RFM_FLOAT8 = AMOUNT_KIND_FLOAT8
} RfmKind;

/* flags */
#define RFM_HAS_AS_OF	0x01	/* a row has been seen: as_of is set */
#define RFM_OVERFLOW	0x02	/* an exact overflow sum follows the struct */

typedef struct RfmState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* MEMVAL_STATE_VERSION (state_io.h) */
	uint8		kind;			/* RfmKind: the amount type */
	uint8		flags;			/* RFM_HAS_AS_OF, RFM_OVERFLOW */
	int8		scale;			/* numeric kind: display scale of acc, <= AMOUNT_MAX_SCALE */
	/* read or written for every purchase: */
	TimestampTz last;			/* last purchase, when frequency > 0 */
	int64		frequency;		/* purchases: amount >= 0, order_ts <= as_of */
	union
	{
		int128		acc;		/* numeric kind: net amount * 10^scale */
		float8		fsum;		/* float8 kind: net amount */
	}			sum;
	/* read per row only when as_of is not fixed by the plan: */
	TimestampTz as_of;			/* the group's as_of, once a row is seen */
	/* read only for an order older than the last one, or a refund: */
	TimestampTz first;			/* first purchase, when frequency > 0 */
	int64		refunds;		/* refunds: amount < 0, order_ts <= as_of */
	/* numeric kind with RFM_OVERFLOW: a Numeric at RFM_FIXED_SIZE */
} RfmState;

/*
 * 64 bytes: the state fits one AllocSet chunk of 64 bytes.  A hash
 * aggregate over millions of customers misses the cache on every row, and
 * PostgreSQL allocates a group's key, its per-group data and this state
 * one after the other: the fields a purchase touches come first, in the
 * first 40 bytes, so that for about half of the groups they share a cache
 * line the executor has already loaded.
 */
StaticAssertDecl(sizeof(RfmState) == 64, "RfmState should stay 64 bytes");
StaticAssertDecl(offsetof(RfmState, as_of) == 40, "hot fields of RfmState should fill 40 bytes");
StaticAssertDecl(AMOUNT_MAX_SCALE <= PG_INT8_MAX, "RfmState.scale should hold every scale");

/* The numeric sum of a state as an AmountSum, and back. */
static inline AmountSum
rfm_sum_get(const RfmState *st)
{
	AmountSum	s;

	s.acc = st->sum.acc;
	s.scale = st->scale;
	s.pad = 0;
	return s;
}

static inline void
rfm_sum_put(RfmState *st, const AmountSum *s)
{
	st->sum.acc = s->acc;
	st->scale = (int8) s->scale;
}

#define RFM_FIXED_SIZE		MAXALIGN(sizeof(RfmState))
#define RFM_OVF(st)			((Numeric) ((char *) (st) + RFM_FIXED_SIZE))

/*
 * The one allocator of states: a copy of proto (header fields and sums)
 * with the given overflow sum (or none), in CurrentMemoryContext.
 */
extern RfmState *rfm_state_make(const RfmState *proto, Numeric ovf);
/* An empty state of the given kind, in CurrentMemoryContext. */
extern RfmState *rfm_state_empty(RfmKind kind);
/* ERROR (22023) unless st holds amounts of the given kind. */
extern void rfm_check_kind(const RfmState *st, RfmKind kind);

/*
 * Add the row in fcinfo's arguments 1..3 (order_ts, amount, as_of) to st,
 * which the caller owns; return st or a new state (numeric overflow).
 * as_of_fixed: every state this call site sees started without an as_of
 * and every row has the same as_of (see rfm_as_of_fixed() in rfm.c), so a
 * state's as_of, set by its first row, needs no check on the others.
 */
extern RfmState *rfm_accum_numeric(FunctionCallInfo fcinfo, RfmState *st, bool as_of_fixed);
extern RfmState *rfm_accum_float8(FunctionCallInfo fcinfo, RfmState *st, bool as_of_fixed);
/* Merge b into a (a owned by the caller); returns a or a new state. */
extern RfmState *rfm_state_merge(RfmState *a, const RfmState *b);
/* The exact net amount of a numeric state. */
extern Numeric rfm_monetary_numeric(const RfmState *st);

/* Columns of the rfm and rfm_float8 result rows (0-based). */
typedef enum RfmAttribute
{
	RFM_ATT_RECENCY,
	RFM_ATT_FREQUENCY,
	RFM_ATT_MONETARY,
	RFM_ATT_AVG_VALUE,
	RFM_ATT_FIRST,
	RFM_ATT_LAST,
	RFM_ATT_TENURE,
	RFM_ATT_REFUNDS,
	RFM_NATTS
} RfmAttribute;

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

/*
 * rfm_row.c: read recency, frequency and monetary from an rfm or
 * rfm_float8 row (v->buyer false when frequency is 0); the row type's
 * descriptor is cached in rd, allocated in mcxt.
 */
extern void rfm_values_read(RfmReader *rd, MemoryContext mcxt, Datum row,
							RfmValues *v);

/* SQL-callable functions of rfm.c and rfm_io.c that other aggregates call directly */
extern Datum rfm_numeric_trans(PG_FUNCTION_ARGS);
extern Datum rfm_float8_trans(PG_FUNCTION_ARGS);
extern Datum rfm_combine(PG_FUNCTION_ARGS);
extern Datum rfm_state_in(PG_FUNCTION_ARGS);
extern Datum rfm_state_out(PG_FUNCTION_ARGS);
extern Datum rfm_state_recv(PG_FUNCTION_ARGS);
extern Datum rfm_state_send(PG_FUNCTION_ARGS);

#endif							/* MEMVAL_RFM_H */
