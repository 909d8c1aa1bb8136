/*
 * localday.c
 *	  The calendar day of a timestamptz in the session time zone, or in a
 *	  time zone named by the caller (the tz argument of btyd()), fast.
 *
 * timestamptz::date asks pg_localtime() for every value.  We read the
 * session time zone's UTC offset transitions once into a table covering a
 * century either side of the first timestamp seen, and find the offset of
 * a timestamp by checking the interval of the previous hit, then by binary
 * search.  Offsets come from pg_localtime() at each interval's start, so
 * days agree with timestamptz::date; outside the table we call it.  The
 * table is rebuilt when the zone changes (session TimeZone, or the name).
 */
#include "postgres.h"

#include "localday.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#define ZONE_SPAN_SECS		((pg_time_t) 100 * 366 * SECS_PER_DAY)
#define EPOCH_DIFF_SECS		((pg_time_t) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)


static int64
zone_offset_at(pg_time_t t, pg_tz *tz)
{
	struct pg_tm *tm = pg_localtime(&t, tz);

	if (tm == NULL)
		elog(ERROR, "could not determine the UTC offset of a timestamp");
	return tm->tm_gmtoff;
}

static void
zone_build(LocalZone *z, pg_tz *tz, pg_time_t around)
{
	pg_time_t	t = around - ZONE_SPAN_SECS;
	pg_time_t	end = around + ZONE_SPAN_SECS;

	z->tz = tz;
	z->lo = t;
	z->n = 0;
	z->last = 0;
	for (;;)
	{
		long		before_off;
		long		after_off;
		int			before_dst;
		int			after_dst;
		pg_time_t	boundary;
		int			r;

		z->start[z->n] = t;
		z->gmtoff[z->n] = zone_offset_at(t, tz);
		z->n++;
		r = pg_next_dst_boundary(&t, &before_off, &before_dst, &boundary,
								 &after_off, &after_dst, tz);
		if (r == 0)
		{
			z->hi = PG_INT64_MAX;	/* no more transitions */
			break;
		}
		if (r < 0 || boundary <= t)
		{
			z->hi = t + 1;		/* only t itself is known */
			break;
		}
		if (boundary >= end || z->n == ZONE_MAX_INTERVALS)
		{
			z->hi = boundary;
			break;
		}
		t = boundary;
	}
}

/* The zone named by tzname; the previous lookup is kept in z. */
static pg_tz *
zone_named(LocalZone *z, const text *tzname)
{
	const char *s = VARDATA_ANY(tzname);
	Size		len = VARSIZE_ANY_EXHDR(tzname);
	pg_tz	   *tz;

	if (z->named != NULL && len == strlen(z->name) && memcmp(s, z->name, len) == 0)
		return z->named;
	if (len == 0 || len > TZ_STRLEN_MAX || memchr(s, '\0', len) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", text_to_cstring(tzname))));
	memcpy(z->name, s, len);
	z->name[len] = '\0';
	tz = pg_tzset(z->name);
	if (tz == NULL)
	{
		z->named = NULL;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", z->name),
				 errhint("Use a name from pg_timezone_names, e.g. 'UTC' or 'Asia/Tokyo'.")));
	}
	z->named = tz;
	return tz;
}

/* The offset from UTC (seconds) of a timestamp outside the table. */
static int64
zone_offset_slow(TimestampTz ts, pg_tz *tz)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tzoff;

	if (timestamp2tm(ts, &tzoff, &tm, &fsec, NULL, tz) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return -(int64) tzoff;
}

/*
 * The UTC offset (seconds east) of sec (Unix seconds) in zone tz, from the
 * table in *cache (rebuilt when tz changes); false when sec lies outside it.
 */
static bool
zone_lookup(LocalZone **cache, MemoryContext mcxt, pg_tz *tz, pg_time_t sec,
			int64 *off)
{
	LocalZone  *z = *cache;
	int			i;

	if (z == NULL || z->tz != tz)
	{
		if (z == NULL)
		{
			z = MemoryContextAllocZero(mcxt, sizeof(LocalZone));
			*cache = z;
		}
		zone_build(z, tz, sec);
	}

	i = z->last;
	if (sec >= z->start[i] && (i + 1 < z->n ? sec < z->start[i + 1] : sec < z->hi))
		*off = z->gmtoff[i];
	else if (sec >= z->lo && sec < z->hi)
	{
		int			lo = 0,
					hi = z->n - 1;

		/* the last interval whose start is <= sec */
		while (lo < hi)
		{
			int			mid = (lo + hi + 1) / 2;

			if (z->start[mid] <= sec)
				lo = mid;
			else
				hi = mid - 1;
		}
		z->last = lo;
		*off = z->gmtoff[lo];
	}
	else
		return false;
	return true;
}

/* Unix seconds of a timestamptz, rounded down as timestamp2tm() does. */
static inline pg_time_t
unix_seconds(TimestampTz ts)
{
	pg_time_t	sec = ts / USECS_PER_SEC;

	if (ts < 0 && sec * USECS_PER_SEC != ts)
		sec--;
	return sec + EPOCH_DIFF_SECS;
}

/*
 * The local day (PostgreSQL date number) of a finite timestamptz in the
 * zone named tzname, or the session's when tzname is NULL.
 */
int32
local_day(LocalZone **cache, MemoryContext mcxt, TimestampTz ts, const text *tzname)
{
	pg_tz	   *tz = session_timezone;
	int64		off;

	if (tzname != NULL)
	{
		if (*cache == NULL)
			*cache = MemoryContextAllocZero(mcxt, sizeof(LocalZone));
		tz = zone_named(*cache, tzname);
	}
	if (!zone_lookup(cache, mcxt, tz, unix_seconds(ts), &off))
		off = zone_offset_slow(ts, tz);

	{
		int64		local = ts + off * USECS_PER_SEC;
		int64		day = local / USECS_PER_DAY;

		if (local < 0 && day * USECS_PER_DAY != local)
			day--;
		return (int32) day;
	}
}

/* The local wall-clock time in zone tz of a finite timestamptz. */
Timestamp
local_time(LocalZone **cache, MemoryContext mcxt, pg_tz *tz, TimestampTz ts)
{
	int64		off;

	if (!zone_lookup(cache, mcxt, tz, unix_seconds(ts), &off))
		off = zone_offset_slow(ts, tz);
	return ts + off * USECS_PER_SEC;
}
