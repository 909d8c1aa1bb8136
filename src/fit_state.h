/*
 * fit_state.h
 *	  fit_state, the transition state of every fit aggregate: its two forms,
 *	  shared by fit_state.c (building, merging and reading states for the
 *	  fits) and fit_state_io.c (text and binary I/O), and the FitData
 *	  (optimize.h) the fits read from it.
 */
#ifndef MEMVAL_FIT_STATE_H
#define MEMVAL_FIT_STATE_H

#include "optimize.h"
#include "utils/expandeddatum.h"

typedef struct FitEntry
{
	float8		x;
	float8		a;
	float8		b;
	int64		count;			/* customers with this row, > 0 */
} FitEntry;

#define FIT_HAS_PENALIZER	0x01

/* What both forms hold besides the entries. */
typedef struct FitInfo
{
	int64		used;			/* entries (distinct rows) */
	int64		skipped;		/* rows skipped (Gamma-Gamma: x = 0, m NULL or <= 0) */
	float8		penalizer;		/* when FIT_HAS_PENALIZER */
	uint8		kind;			/* FitKind */
	uint8		flags;			/* FIT_HAS_PENALIZER */
} FitInfo;

/* The flat form: entries sorted by (x, a, b), each row once. */
typedef struct FitState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* MEMVAL_STATE_VERSION (state_io.h) */
	uint8		pad[3];			/* zero */
	FitInfo		info;			/* padding bytes zero */
	FitEntry	entries[FLEXIBLE_ARRAY_MEMBER];
} FitState;

#define FIT_SIZE(n)			(offsetof(FitState, entries) + (Size) (n) * sizeof(FitEntry))

/*
 * The expanded form: entries appended to blocks of FIT_BLOCK entries and
 * found through an open-addressing index of entry numbers (fit_state.c).
 */
typedef struct FitExpanded
{
	ExpandedObjectHeader hdr;	/* its context holds everything below */
	FitInfo		info;
	FitEntry  **blocks;			/* entry n: blocks[n / FIT_BLOCK][n % FIT_BLOCK] */
	int32		nblocks;		/* blocks allocated */
	int32		maxblocks;		/* length of blocks[] */
	int64		capacity;		/* entries the blocks hold */
	uint32	   *index;			/* open addressing, linear probing, <= 3/4 full */
	uint32		index_size;		/* slots, a power of two */
} FitExpanded;

/* "count" or "spend" */
extern const char *fit_kind_name(int kind);
/* ERROR (22023) unless p is a valid penalizer: finite and >= 0. */
extern void fit_check_penalizer_value(float8 p);
/* An empty expanded state with room for rows entries, under parent. */
extern FitExpanded *fit_expanded_new(MemoryContext parent, const FitInfo *info, int64 rows);
/* Add count customers with the row (x, a, b), already validated. */
extern void fit_insert(FitExpanded *eo, float8 x, float8 a, float8 b, int64 count);
/* The flat form of eo, its entries sorted, in CurrentMemoryContext. */
extern FitState *fit_expanded_flatten(FitExpanded *eo);

/* ----------------------------------------------------------------
 * What the fits read from a state (fit_state.c)
 * ----------------------------------------------------------------
 */

/* The data of a state argument (NULL for a NULL state) */
extern FitData *fit_state_data(FunctionCallInfo fcinfo, FitKind kind);

/*
 * One customer's row as a FitData, so that loglik() runs the fits' own
 * likelihood code: the data and the scratch arrays live in the struct.
 */
typedef struct FitOneRow
{
	FitData		d;
	double		x,
				a,
				b,
				w,
				log_a;
	double		lua[2],
				lub[2];
	int32		zero;
} FitOneRow;

extern void fit_one_row(FitOneRow *o, double x, double a, double b);

#endif							/* MEMVAL_FIT_STATE_H */
