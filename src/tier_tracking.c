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
 *	   tier_track_scheme(value numeric, scheme text, grace int DEFAULT 1,
 *						 max_drop int DEFAULT 1, lang text DEFAULT 'en') → text
 *	   tier_track_scheme(value numeric, scheme tier_rules, grace int DEFAULT 1,
 *						 max_drop int DEFAULT 1) → text
 *
 * The scheme forms take the thresholds and labels of a value scheme: by
 * name, looked up as tier_of(value, scheme) does (a row set of the table
 * tier_scheme in memval's own schema, else a built-in; STABLE), or as a
 * tier_rules value from tier_scheme_value() (IMMUTABLE, no table lookup:
 * what Citus workers need).  Tier 1 is the scheme's fallback, tier i + 1
 * its i-th threshold.  (Not overloads of tier_track: an untyped literal
 * such as '{100,500}' would then resolve to the text form.)
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
#include "tier_scheme.h"
#include "utils/numeric.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/fmgrprotos.h"
#include "windowapi.h"

PG_FUNCTION_INFO_V1(tier_track);
PG_FUNCTION_INFO_V1(tier_track_labels);
PG_FUNCTION_INFO_V1(tier_track_scheme);
PG_FUNCTION_INFO_V1(tier_track_rules);

/* How the thresholds and labels are given. */
typedef enum TierTrackForm
{
	TT_ARRAY,					/* thresholds numeric[] (and labels text[]) */
	TT_SCHEME,					/* a scheme name and lang */
	TT_RULES					/* a tier_rules value */
} TierTrackForm;

/*
 * A value scheme's thresholds and labels, kept per call site (fn_extra)
 * across partitions, so a scheme is looked up once per query, not once
 * per customer.  key: the name or the tier_rules bytes it was read from.
 */
typedef struct TierTrackScheme
{
	MemoryContext cxt;			/* holds everything below */
	struct varlena *key;		/* NULL until complete */
	int			lang;
	int			nthr;
	Numeric    *thr;
	text	  **labels;			/* nthr + 1, the first NULL without fallback */
} TierTrackScheme;

typedef struct TierTrackPart
{
	bool		started;		/* thresholds read */
	int64		next_pos;		/* the row expected next */
	int			nthr;
	Numeric    *thr;			/* ascending thresholds */
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

/* The thresholds (and labels) of the array forms, into tp. */
static void
tier_track_arrays(WindowObject winobj, TierTrackPart *tp, bool with_labels)
{
	ArrayType  *ta = DatumGetArrayTypeP(arg_current(winobj, 1, "thresholds"));
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
}

/*
 * The value scheme of argument 1 (a name, with lang in argument 4, or a
 * tier_rules value), from the call site's cache or read into it.
 */
static const TierTrackScheme *
tier_track_scheme_of(FunctionCallInfo fcinfo, WindowObject winobj, TierTrackForm form)
{
	TierTrackScheme *ts = (TierTrackScheme *) fcinfo->flinfo->fn_extra;
	struct varlena *key = PG_DETOAST_DATUM_PACKED(arg_current(winobj, 1, "scheme"));
	int			lang = LANG_EN;
	TierScheme	sc;
	MemoryContext old;

	if (form == TT_SCHEME)
		lang = tier_lang(DatumGetTextPP(arg_current(winobj, 4, "lang")));
	if (ts != NULL && ts->key != NULL && ts->lang == lang &&
		VARSIZE_ANY_EXHDR(ts->key) == VARSIZE_ANY_EXHDR(key) &&
		memcmp(VARDATA_ANY(ts->key), VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key)) == 0)
		return ts;
	if (ts == NULL)
	{
		ts = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(TierTrackScheme));
		ts->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "tier_track scheme",
										ALLOCSET_SMALL_SIZES);
		fcinfo->flinfo->fn_extra = ts;
	}
	ts->key = NULL;				/* incomplete until the end */
	MemoryContextReset(ts->cxt);
	old = MemoryContextSwitchTo(ts->cxt);
	if (form == TT_SCHEME)
		tier_scheme_resolve(&sc, text_to_cstring((text *) key), lang, fcinfo->flinfo->fn_oid);
	else
		tier_rules_read(&sc, key);
	if (sc.kind != SCHEME_VALUE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tier_track_scheme needs a value scheme, not one that classifies rfm scores")));
	ts->nthr = sc.nrules;
	ts->thr = palloc(sizeof(Numeric) * Max(sc.nrules, 1));
	ts->labels = palloc(sizeof(text *) * (sc.nrules + 1));
	ts->labels[0] = sc.fallback ? cstring_to_text(sc.fallback) : NULL;
	for (int i = 0; i < sc.nrules; i++)
	{
		ts->thr[i] = sc.rules[i].value_min;
		ts->labels[i + 1] = cstring_to_text(sc.rules[i].label);
	}
	ts->lang = lang;
	ts->key = palloc(VARSIZE_ANY(key));
	memcpy(ts->key, key, VARSIZE_ANY(key));
	MemoryContextSwitchTo(old);
	return ts;
}

/* The partition's parameters, from the first row's arguments. */
static void
tier_track_start(FunctionCallInfo fcinfo, WindowObject winobj, TierTrackPart *tp,
				 TierTrackForm form, bool with_labels)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(tp));
	int			argno = form == TT_ARRAY && with_labels ? 3 : 2;

	if (form == TT_ARRAY)
		tier_track_arrays(winobj, tp, with_labels);
	else
	{
		/* the scheme outlives the partition: point into it */
		const TierTrackScheme *ts = tier_track_scheme_of(fcinfo, winobj, form);

		tp->nthr = ts->nthr;
		tp->thr = ts->thr;
		tp->labels = ts->labels;
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
tier_track_step(FunctionCallInfo fcinfo, WindowObject winobj, TierTrackForm form,
				bool with_labels)
{
	TierTrackPart *tp = (TierTrackPart *) WinGetPartitionLocalMemory(winobj, sizeof(TierTrackPart));
	int64		pos = WinGetCurrentPosition(winobj);
	bool		isnull;
	Datum		v;
	int			raw = 1;

	if (!tp->started)
		tier_track_start(fcinfo, winobj, tp, form, with_labels);
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
	int			tier = tier_track_step(fcinfo, PG_WINDOW_OBJECT(), TT_ARRAY, false);

	if (tier == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(tier);
}

/* The label of the current row's tier (NULL before the first evaluation). */
static Datum
tier_track_label_of(FunctionCallInfo fcinfo, TierTrackForm form)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int			tier = tier_track_step(fcinfo, winobj, form, true);
	TierTrackPart *tp = (TierTrackPart *) WinGetPartitionLocalMemory(winobj, sizeof(TierTrackPart));

	if (tier == 0 || tp->labels[tier - 1] == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(tp->labels[tier - 1]);
}

/* tier_track_label(value, thresholds numeric[], labels text[], grace, max_drop) */
Datum
tier_track_labels(PG_FUNCTION_ARGS)
{
	return tier_track_label_of(fcinfo, TT_ARRAY);
}

/* tier_track_scheme(value, scheme text, grace, max_drop, lang) */
Datum
tier_track_scheme(PG_FUNCTION_ARGS)
{
	return tier_track_label_of(fcinfo, TT_SCHEME);
}

/* tier_track_scheme(value, scheme tier_rules, grace, max_drop) */
Datum
tier_track_rules(PG_FUNCTION_ARGS)
{
	return tier_track_label_of(fcinfo, TT_RULES);
}
