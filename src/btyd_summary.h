/*
 * btyd_summary.h
 *	  The transition state of btyd() (btyd_summary.c), shared with its text
 *	  and binary I/O (btyd_summary_io.c).
 */
#ifndef MEMVAL_BTYD_SUMMARY_H
#define MEMVAL_BTYD_SUMMARY_H

#include "amount.h"
#include "memval.h"
#include "utils/memutils.h"

typedef enum BtydKind
{
	BTYD_NUMERIC = AMOUNT_KIND_NUMERIC,
	BTYD_FLOAT8 = AMOUNT_KIND_FLOAT8
} BtydKind;

#define BTYD_HAS_AS_OF		0x01	/* a row has been seen: as_of, unit set */

/* Room for this many days in a fresh state: most customers never grow. */
#define BTYD_MIN_CAPACITY	12
#define BTYD_MAX_DAYS		((int32) ((MaxAllocSize - 1024) / sizeof(int32)))

/* the two sums: amounts on the first purchase day, on the later days */
#define BTYD_FIRST		0
#define BTYD_REPEAT		1

typedef struct BtydState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* MEMVAL_STATE_VERSION (state_io.h) */
	uint8		kind;			/* BtydKind: the amount type */
	uint8		flags;			/* BTYD_HAS_AS_OF */
	uint8		pad;
	int16		scale[2];		/* numeric: display scales of sum.acc[] */
	int32		ndays;			/* distinct purchase days held in days[] */
	int32		capacity;		/* room in days[] */
	int32		as_of_day;		/* local day of as_of */
	TimestampTz as_of;			/* the group's as_of, once a row is seen */
	int64		unit;			/* the unit in microseconds, > 0 */
	int64		purchases;		/* purchase rows (amount >= 0, <= as_of) */
	union
	{
		int128		acc[2];		/* numeric: sums * 10^scale[] */
		float8		f[2];		/* float8: sums */
	}			sum;			/* [BTYD_FIRST], [BTYD_REPEAT] */
	int32		days[FLEXIBLE_ARRAY_MEMBER];	/* ascending, distinct */
} BtydState;

/*
 * 80 bytes before the days: a fresh state with room for 12 days is one
 * 128-byte AllocSet chunk, and growing doubles the chunk.
 */
StaticAssertDecl(offsetof(BtydState, days) == 80, "BtydState header should stay 80 bytes");

#define BTYD_SIZE(cap)		(offsetof(BtydState, days) + (Size) (cap) * sizeof(int32))

/* The numeric sums of a state as AmountSums, and back. */
static inline AmountSum
btyd_sum_get(const BtydState *st, int k)
{
	AmountSum	s;

	s.acc = st->sum.acc[k];
	s.scale = st->scale[k];
	s.pad = 0;
	return s;
}

static inline void
btyd_sum_put(BtydState *st, int k, const AmountSum *s)
{
	st->sum.acc[k] = s->acc;
	st->scale[k] = (int16) s->scale;
}

/* A copy of proto with room for capacity days, in CurrentMemoryContext. */
extern BtydState *btyd_state_make(const BtydState *proto, int32 capacity);
/* The capacity a state with n days is made with. */
extern int32 btyd_capacity_for(int32 n);
/* ERROR (22023) unless st holds amounts of the given kind. */
extern void btyd_check_kind(const BtydState *st, BtydKind kind);
/* ERROR (22003): a numeric sum does not fit 128 bits. */
extern void btyd_sum_overflow(void) pg_attribute_noreturn();
/* The numeric sum k of st as a Numeric. */
extern Numeric btyd_numeric(const BtydState *st, int k);

#endif							/* MEMVAL_BTYD_SUMMARY_H */
