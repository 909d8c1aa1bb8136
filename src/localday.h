/*
 * localday.h
 *	  The calendar day of a timestamptz in the session time zone (localday.c).
 */
#ifndef MEMVAL_LOCALDAY_H
#define MEMVAL_LOCALDAY_H

#include "datatype/timestamp.h"
#include "pgtime.h"

#define ZONE_MAX_INTERVALS	1024

/* The session time zone's UTC offsets over a range of instants. */
typedef struct LocalZone
{
	pg_tz	   *tz;				/* the zone the table was built for */
	pg_time_t	lo;				/* the table covers [lo, hi) (Unix seconds) */
	pg_time_t	hi;
	int			n;				/* intervals: [start[i], start[i+1] or hi) */
	int			last;			/* interval of the previous lookup */
	pg_time_t	start[ZONE_MAX_INTERVALS];
	int64		gmtoff[ZONE_MAX_INTERVALS]; /* seconds east of UTC */
} LocalZone;

/*
 * The local day (PostgreSQL date number: days since 2000-01-01) of a
 * finite timestamptz, as timestamptz::date gives it.  *cache holds the
 * zone table (NULL at first; allocated in mcxt), e.g. a call's fn_extra.
 */
extern int32 local_day(LocalZone **cache, MemoryContext mcxt, TimestampTz ts);

/* The local wall-clock time of a finite timestamptz in zone tz (same cache). */
extern Timestamp local_time(LocalZone **cache, MemoryContext mcxt, pg_tz *tz, TimestampTz ts);

#endif							/* MEMVAL_LOCALDAY_H */
