/*
 * cohort.h
 *	  Cohort retention (SPEC §6): the per-customer state cohort_activity
 *	  and the population state cohort_table (cohort.c), shared with their
 *	  text and binary I/O (cohort_io.c).
 *
 * Both are varlenas whose entries are kept sorted, so that the flat form
 * is also the in-memory form and a state is updated in place.
 */
#ifndef MEMVAL_COHORT_H
#define MEMVAL_COHORT_H

#include "amount.h"
#include "memval.h"
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

typedef struct CohortActivity
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		n;				/* entries in use, ascending by period */
	CohortSpec	spec;
	int32		capacity;		/* room for entries */
	int32		pad;
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
	int32		vl_len_;
	int32		n;				/* cells in use, ascending by (cohort, k) */
	CohortSpec	spec;
	int32		capacity;
	int32		pad;
	CohortCell	c[FLEXIBLE_ARRAY_MEMBER];
} CohortTable;

#define COHORT_TABLE_SIZE(cap)	(offsetof(CohortTable, c) + (Size) (cap) * sizeof(CohortCell))
#define COHORT_MAX_ENTRIES		((int32) ((MaxAllocSize - 1024) / sizeof(CohortCell)))

/* cohort.c: the one allocator of each state (CurrentMemoryContext) */
extern CohortActivity *cohort_activity_make(const CohortSpec *spec, int32 capacity);
extern CohortTable *cohort_table_make(const CohortSpec *spec, int32 capacity);

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
