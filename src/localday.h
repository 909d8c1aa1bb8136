/*
 * localday.h
 *	  The calendar day of a timestamptz in the session time zone or a named
 *	  one (localday.c).
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
	pg_tz	   *named;			/* the zone of the last tz name seen, or NULL */
	char		name[TZ_STRLEN_MAX + 1];	/* that name */
	pg_time_t	lo;				/* the table covers [lo, hi) (Unix seconds) */
	pg_time_t	hi;
	int			n;				/* intervals: [start[i], start[i+1] or hi) */
	int			last;			/* interval of the previous lookup */
	pg_time_t	start[ZONE_MAX_INTERVALS];
	int64		gmtoff[ZONE_MAX_INTERVALS]; /* seconds east of UTC */
} LocalZone;

/*
 * The local day (PostgreSQL date number: days since 2000-01-01) of a
 * finite timestamptz, as timestamptz::date gives it in the session time
 * zone (tzname NULL) or in the named zone (as `ts AT TIME ZONE tzname`).
 * *cache holds the zone table (NULL at first; allocated in mcxt), e.g. a
 * call's fn_extra.  An unknown zone name is an error (22023).
 */
extern int32 local_day(LocalZone **cache, MemoryContext mcxt, TimestampTz ts,
					   const text *tzname);

extern Timestamp local_time(LocalZone **cache, MemoryContext mcxt, pg_tz *tz,
						    TimestampTz ts);

#endif							/* MEMVAL_LOCALDAY_H */
