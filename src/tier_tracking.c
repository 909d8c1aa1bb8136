/*
 * tier_tracking.c
 *	  Member tiers re-evaluated every period with hysteresis (SPEC §6,
 *	  seed 002), a window function over (PARTITION BY customer ORDER BY
 *	  period):
 *
 *	   tier_track(value numeric, thresholds numeric[], grace int DEFAULT 1,
 *				  max_drop int DEFAULT 1) → int
 *	   tier_track_label(value numeric, thresholds numeric[], labels text[],
 *						grace int DEFAULT 1, max_drop int DEFAULT 1) → text
 *
 * The raw tier of a value is 1 + the number of thresholds <= value (as
 * tier_of's ad hoc form).  Per customer, in period order:
 *	 - the first evaluation gives the raw tier;
 *	 - raw >= current: the member moves up at once (or stays), and the
 *	   count of evaluations below is reset;
 *	 - raw < current: the count goes up; while it is <= grace the member
 *	   keeps the tier, afterwards every evaluation below drops the member
 *	   by at most max_drop levels, never below the raw tier;
 *	 - a NULL value is no evaluation: the current tier is returned as is
 *	   (NULL before the first evaluation).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "memval.h"
#include "utils/numeric.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/fmgrprotos.h"
#include "windowapi.h"

PG_FUNCTION_INFO_V1(tier_track);
PG_FUNCTION_INFO_V1(tier_track_labels);

typedef struct TierTrackPart
{
	bool		started;		/* thresholds read */
	int64		next_pos;		/* the row expected next */
	int			nthr;
	Numeric    *thr;			/* ascending thresholds */
	int			nlabels;
	text	  **labels;			/* nthr + 1 labels, or NULL */
	int32		grace;
	int32		max_drop;
	int			tier;			/* current tier, 0 before the first evaluation */
	int32		below;			/* consecutive evaluations below the current tier */
} TierTrackPart;

static Datum
arg_current(WindowObject winobj, int argno, const char *what)
{
	bool		isnull;
	Datum		d = WinGetFuncArgCurrent(winobj, argno, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", what)));
	return d;
}

static void
tier_track_start(WindowObject winobj, TierTrackPart *tp, bool with_labels)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(tp));
	ArrayType  *ta = DatumGetArrayTypeP(arg_current(winobj, 1, "thresholds"));
	int			argno = with_labels ? 3 : 2;
	Datum	   *d;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(ta) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("thresholds must be a one-dimensional array")));
	deconstruct_array(ta, NUMERICOID, -1, false, TYPALIGN_INT, &d, &nulls, &n);
	tp->nthr = n;
	tp->thr = palloc(sizeof(Numeric) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("threshold %d is null", i + 1)));
		tp->thr[i] = DatumGetNumericCopy(d[i]);
		if (numeric_is_nan(tp->thr[i]) || numeric_is_inf(tp->thr[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("threshold %d must be finite", i + 1)));
		if (i > 0 && DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(tp->thr[i - 1]),
													   NumericGetDatum(tp->thr[i]))) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("thresholds must be strictly ascending"),
					 errdetail("Threshold %d is not greater than threshold %d.", i + 1, i)));
	}
	if (with_labels)
	{
		ArrayType  *la = DatumGetArrayTypeP(arg_current(winobj, 2, "labels"));

		if (ARR_NDIM(la) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("labels must be a one-dimensional array")));
		deconstruct_array(la, TEXTOID, -1, false, TYPALIGN_INT, &d, &nulls, &n);
		if (n != tp->nthr + 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tier_track needs one more label than thresholds, got %d thresholds and %d labels",
							tp->nthr, n)));
		tp->labels = palloc(sizeof(text *) * n);
		for (int i = 0; i < n; i++)
		{
			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("label %d is null", i + 1)));
			tp->labels[i] = DatumGetTextPCopy(d[i]);
		}
	}
	tp->grace = DatumGetInt32(arg_current(winobj, argno, "grace"));
	tp->max_drop = DatumGetInt32(arg_current(winobj, argno + 1, "max_drop"));
	if (tp->grace < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grace must be >= 0, got %d", tp->grace)));
	if (tp->max_drop < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_drop must be >= 1, got %d", tp->max_drop)));
	MemoryContextSwitchTo(old);
	tp->started = true;
}

/* One evaluation: the current row's value against the current tier. */
static int
tier_track_step(WindowObject winobj, bool with_labels)
{
	TierTrackPart *tp = (TierTrackPart *) WinGetPartitionLocalMemory(winobj, sizeof(TierTrackPart));
	int64		pos = WinGetCurrentPosition(winobj);
	bool		isnull;
	Datum		v;
	int			raw = 1;

	if (!tp->started)
		tier_track_start(winobj, tp, with_labels);
	if (pos != tp->next_pos)
		elog(ERROR, "tier_track: rows out of order (row " INT64_FORMAT ", expected " INT64_FORMAT ")",
			 pos, tp->next_pos);
	tp->next_pos++;

	v = WinGetFuncArgCurrent(winobj, 0, &isnull);
	if (isnull)
		return tp->tier;
	{
		Numeric		num = DatumGetNumeric(v);

		if (numeric_is_nan(num) || numeric_is_inf(num))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value must be finite")));
		for (int i = 0; i < tp->nthr; i++)
			if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(tp->thr[i]), v)) <= 0)
				raw = i + 2;
	}
	if (tp->tier == 0 || raw >= tp->tier)
	{
		tp->tier = raw;
		tp->below = 0;
	}
	else if (++tp->below > tp->grace)
		tp->tier = Max(raw, tp->tier - tp->max_drop);
	return tp->tier;
}

Datum
tier_track(PG_FUNCTION_ARGS)
{
	int			tier = tier_track_step(PG_WINDOW_OBJECT(), false);

	if (tier == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(tier);
}

Datum
tier_track_labels(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int			tier = tier_track_step(winobj, true);
	TierTrackPart *tp = (TierTrackPart *) WinGetPartitionLocalMemory(winobj, sizeof(TierTrackPart));

	if (tier == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(tp->labels[tier - 1]);
}
