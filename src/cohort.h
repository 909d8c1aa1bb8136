/*
 * cohort.h
 *	  Cohort retention (SPEC §6): the per-customer state cohort_activity
 *	  and the population state cohort_table (cohort.c), shared with their
 *	  text and binary I/O (cohort_io.c).
 *
 * Both are varlenas whose entries are kept sorted.  A cohort_activity's
 * flat form is also its in-memory form, updated in place; its size is a
 * power of two (the allocator's chunk sizes), so the room it has is used
 * for entries.  A cohort_table is built as an expanded object (cohort.c)
 * with an index on its cells and flattened, sorted, when a value is
 * needed.  Both start with the same header (CohortHead) and carry the
 * format version in the stored value (state_io.h).
 */
#ifndef MEMVAL_COHORT_H
#define MEMVAL_COHORT_H

#include "amount.h"
#include "memval.h"
#include "state_io.h"
#include "utils/memutils.h"

/*
 * The period: calendar months (months > 0, usecs = 0) or fixed buckets of
 * usecs microseconds of local time (months = 0, usecs > 0), and the time
 * zone the local times were taken in (a hash of its name: a combine
 * refuses states of different zones).
 */
typedef struct CohortSpec
{
	int32		months;
	uint32		tzhash;
	int64		usecs;
} CohortSpec;

/* One period of one customer's activity. */
typedef struct CohortActEntry
{
	int128		acc;			/* net amount (purchases + refunds) * 10^scale */
	int64		period;			/* period number (see cohort.c) */
	int32		purchases;		/* rows with amount >= 0 */
	int16		scale;			/* display scale of acc */
	int16		pad;
} CohortActEntry;

/*
 * The header both states start with (the same fields in the same places,
 * checked in cohort.c), so the code they share takes either.
 */
typedef struct CohortHead
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		n;				/* entries in use, ascending by key */
	CohortSpec	spec;
	int32		capacity;		/* room for entries */
	uint8		version;		/* MEMVAL_STATE_VERSION (state_io.h) */
	uint8		pad[3];
} CohortHead;

typedef struct CohortActivity
{
	int32		vl_len_;		/* as CohortHead */
	int32		n;				/* entries in use, ascending by period */
	CohortSpec	spec;
	int32		capacity;
	uint8		version;
	uint8		pad[3];
	CohortActEntry e[FLEXIBLE_ARRAY_MEMBER];
} CohortActivity;

#define COHORT_ACT_SIZE(cap)	(offsetof(CohortActivity, e) + (Size) (cap) * sizeof(CohortActEntry))

/*
 * One cell of the cohort table: the customers whose first purchase fell
 * in period `cohort`, in the period `k` periods later (k >= 0), or the
 * cohort's totals (k = -1: customers = cohort size, purchases = all
 * purchases, repeaters = customers with two or more purchases).
 */
typedef struct CohortCell
{
	int128		acc;			/* net revenue * 10^scale */
	int64		cohort;
	int64		k;
	int64		customers;		/* k >= 0: customers with a purchase in the period */
	int64		purchases;
	int64		repeaters;		/* k = -1 only */
	int16		scale;
	int16		pad[3];
} CohortCell;

typedef struct CohortTable
{
	int32		vl_len_;		/* as CohortHead */
	int32		n;				/* cells in use, ascending by (cohort, k) */
	CohortSpec	spec;
	int32		capacity;
	uint8		version;
	uint8		pad[3];
	CohortCell	c[FLEXIBLE_ARRAY_MEMBER];
} CohortTable;

#define COHORT_TABLE_SIZE(cap)	(offsetof(CohortTable, c) + (Size) (cap) * sizeof(CohortCell))
#define COHORT_MAX_ENTRIES		((int32) ((MaxAllocSize - 1024) / sizeof(CohortCell)))

/*
 * cohort.c: the one allocator of both states, in CurrentMemoryContext,
 * with room for at least capacity entries (table: cells, else activity
 * entries).
 */
extern void *cohort_state_make(bool table, const CohortSpec *spec, int32 capacity);

/* XX001 unless a stored state (either type) has this release's format. */
static inline void
cohort_check_version(const void *st, bool table)
{
	int			version = ((const CohortHead *) st)->version;

	if (unlikely(version != MEMVAL_STATE_VERSION))
		state_check_stored_version(version, table ? "cohort_table" : "cohort_activity");
}

/* the sum of an entry as a numeric (amount.c) */
static inline Numeric
cohort_numeric(int128 acc, int scale)
{
	AmountSum	s = {acc, scale, 0};

	return amount_to_numeric(&s);
}

/* cohort.c: 22003 for a revenue sum beyond 128 bits */
extern void cohort_overflow(void) pg_attribute_noreturn();

#endif							/* MEMVAL_COHORT_H */
