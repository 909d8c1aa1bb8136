/*
 * memval.h
 *	  Declarations shared by every model of memval.
 *
 * memval evaluates member (customer) value inside PostgreSQL: RFM
 * summaries and scores, CLV models, segments and tiers.  Each model lives
 * in its own file under src/ (README, "Architecture"); this header holds
 * the argument checks they share: order rows (README, "Semantics shared by
 * every function"), BTYD histories, and time arithmetic.
 */
#ifndef MEMVAL_H
#define MEMVAL_H

#include "postgres.h"

#include <math.h>

#include "datatype/timestamp.h"
#include "fmgr.h"

/* ----------------------------------------------------------------
 * Validation of order rows
 * ----------------------------------------------------------------
 */

/* Infinite timestamps are errors (22008), never silently ordered. */
static inline void
memval_check_timestamp(TimestampTz ts, const char *what)
{
	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite timestamp", what),
				 errhint("Filter out rows with infinite timestamps.")));
}

/* NaN or infinite float8 amounts are errors (22023), never summed. */
static inline void
memval_check_amount_float8(float8 amount)
{
	if (isnan(amount) || isinf(amount))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount must be finite, got %s", isnan(amount) ? "NaN" :
						amount > 0 ? "Infinity" : "-Infinity")));
}

/* as_of is a required argument: NULL is an error, not "now". */
static inline void
memval_check_as_of_not_null(bool isnull)
{
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be null"),
				 errhint("Pass the instant at which value is evaluated, e.g. '2026-01-01'::timestamptz.")));
}

/* Every row of one group must carry the same as_of. */
static inline void
memval_check_same_as_of(TimestampTz state_as_of, TimestampTz row_as_of)
{
	if (state_as_of != row_as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of differs within one group"),
				 errdetail("Every row of a group must carry the same as_of.")));
}

/* A float8 argument that must be finite (22023). */
static inline void
memval_check_finite(float8 v, const char *what)
{
	if (isnan(v) || isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be finite, got %g", what, v)));
}

/*
 * x, the number of repeat purchases, must be a whole number in [0, 2^53]
 * (22023): beyond 2^53 float8 no longer holds every whole number, and the
 * models' functions would disagree (one defined at the limit, another out
 * of range for the same customer).
 */
#define MEMVAL_MAX_X	9007199254740992.0	/* 2^53 */

static inline void
memval_check_x(float8 x)
{
	memval_check_finite(x, "x");
	if (x < 0 || x != floor(x) || x > MEMVAL_MAX_X)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x must be a whole number in [0, 2^53], got %g", x),
				 errdetail("x counts repeat purchase occasions.")));
}

/* One customer's BTYD history (x, t_x, t): the model functions and fits. */
static inline void
memval_check_history(float8 x, float8 tx, float8 t)
{
	memval_check_x(x);
	memval_check_finite(tx, "t_x");
	memval_check_finite(t, "t");
	if (tx < 0 || tx > t)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t_x must satisfy 0 <= t_x <= t, got t_x = %g, t = %g", tx, t)));
	if (x == 0 && tx != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t_x must be 0 when x = 0, got t_x = %g", tx),
				 errdetail("t_x is the time from the first to the last purchase.")));
}

/* Days (fractional) from a to b. */
static inline float8
memval_days_between(TimestampTz a, TimestampTz b)
{
	return (float8) (b - a) / (float8) USECS_PER_DAY;
}

#endif							/* MEMVAL_H */
