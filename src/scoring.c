/*
 * scoring.c
 *	  RFM scores (README, "RFM scores"): the window function rfm_score(r, n) OVER (...)
 *	  and the scalar rfm_score(r, breaks).
 *
 * The window function reads the whole partition once, into the exact
 * breakpoint state of breaks.c (so window, aggregate and scalar scoring
 * share one definition of the breakpoints), keeps the breakpoints in
 * partition-local memory and scores each row against them.
 *
 * Scoring a value v on an axis with breakpoints b_1..b_{n-1}: c(v) is the
 * number of k with b_k < v (strictly); F and M score 1 + c(v), R scores
 * n - c(v).  Ties therefore always share a score.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "scoring.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "utils/typcache.h"
#include "windowapi.h"
#include "miscadmin.h"

PG_FUNCTION_INFO_V1(rfm_score_window);
PG_FUNCTION_INFO_V1(rfm_score_breaks);

/* c(v): the number of breakpoints strictly below v. */
static inline int
count_below(const float8 *b, int nb, float8 v)
{
	int			c = 0;

	while (c < nb && b[c] < v)
		c++;
	return c;
}


/* c(v) for a monetary value: exact integer comparison when possible. */
static int
mon_count_below(const ScoreBreaks *b, const RfmValues *v)
{
	int			nb = b->n - 1;
	int			c = 0;
	AmountSum	s;
	int			sign;

	if (v->kind == RFM_FLOAT8)
		return count_below(b->monf, nb, DatumGetFloat8(v->monetary));

	memset(&s, 0, sizeof(s));
	if (b->monkey_ok && amount_add_datum(&s, v->monetary, &sign))
	{
		if (s.scale > b->monscale)
			amount_normalize(&s);
		if (s.scale <= b->monscale)
		{
			int			d = b->monscale - s.scale;

			if (d <= AMOUNT_INT64_DIGITS && s.acc < amount_pow10(AMOUNT_INT64_DIGITS) && s.acc > -amount_pow10(AMOUNT_INT64_DIGITS))
			{
				int128		x = s.acc * amount_pow10(d);

				while (c < nb && b->monkey[c] < x)
					c++;
				return c;
			}
		}
		else if (s.scale - b->monscale <= AMOUNT_INT64_DIGITS)
		{
			int128		f = amount_pow10(s.scale - b->monscale);

			while (c < nb && (int128) b->monkey[c] * f < s.acc)
				c++;
			return c;
		}
	}
	/* exact numeric comparison */
	while (c < nb && DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(b->mon[c]),
													   v->monetary)) < 0)
		c++;
	return c;
}

RfmScore
rfm_score_values(const ScoreBreaks *b, const RfmValues *v)
{
	int			nb = b->n - 1;
	int			cr = count_below(b->rec, nb, v->recency);
	int			cf = count_below(b->freq, nb, (float8) v->frequency);
	int			cm = mon_count_below(b, v);

	return RFM_SCORE_MAKE(b->n, b->n - cr, 1 + cf, 1 + cm);
}

/* ----------------------------------------------------------------
 * rfm_score(r rfm, n int DEFAULT 5) OVER (...)
 * ----------------------------------------------------------------
 */

typedef struct WinScore
{
	bool		built;			/* breakpoints computed for this partition */
	bool		empty;			/* no customer with a purchase */
	/* fast path: every customer's keys kept raw, scored in key space */
	BreaksState *st;			/* the partition's state, never compacted */
	int32	   *rowidx;			/* row position -> customer in st, or -1 */
	int64		bk[3][RFM_MAX_BREAKS];	/* breakpoint keys */
	/* otherwise: breakpoints, and each row read again */
	ScoreBreaks *breaks;
	RfmReader	reader;
} WinScore;

/*
 * Read the whole partition once into the breakpoint state of breaks.c,
 * sized to hold every row, so each axis is sorted once at the end.
 */
static void
win_build(WindowObject winobj, WinScore *ws)
{
	MemoryContext partcxt = GetMemoryChunkContext(ws);
	MemoryContext old;
	BreaksState *st;
	int64		nrows = WinGetPartitionRowCount(winobj);
	int64		i;
	bool		isnull;
	Datum		nd = WinGetFuncArgCurrent(winobj, 1, &isnull);
	int32	   *rowidx = NULL;
	int64		nbuyers = 0;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("scale n must not be null")));
	rfm_check_scale(DatumGetInt32(nd));

	old = MemoryContextSwitchTo(partcxt);
	st = bstate_new_sized(DatumGetInt32(nd), nrows);
	if (nrows <= PG_INT32_MAX && nrows < (int64) (MaxAllocSize / sizeof(int32)))
		rowidx = palloc(sizeof(int32) * Max(nrows, 1));
	for (i = 0; i < nrows; i++)
	{
		bool		isout;
		Datum		row;
		RfmValues	v;

		CHECK_FOR_INTERRUPTS();
		row = WinGetFuncArgInPartition(winobj, 0, i, WINDOW_SEEK_HEAD, false,
									   &isnull, &isout);
		if (rowidx)
			rowidx[i] = -1;
		if (isnull)
			continue;
		rfm_values_read(&ws->reader, partcxt, row, &v);
		if (!v.buyer)
			continue;
		if (rowidx)
			rowidx[i] = (int32) nbuyers;
		nbuyers++;
		st = bstate_add(st, &v);
	}
	if (rowidx && bstate_is_raw(st))
	{
		ws->st = st;
		ws->rowidx = rowidx;
		ws->empty = !bstate_break_keys(st, ws->bk);
	}
	else
	{
		ws->breaks = (ScoreBreaks *) palloc(sizeof(ScoreBreaks));
		ws->empty = !bstate_breaks(st, ws->breaks);
	}
	MemoryContextSwitchTo(old);
	ws->built = true;
}

Datum
rfm_score_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	WinScore   *ws = (WinScore *) WinGetPartitionLocalMemory(winobj, sizeof(WinScore));
	Datum		row;
	bool		isnull;
	RfmValues	v;

	if (!ws->built)
		win_build(winobj, ws);
	if (ws->empty)
		PG_RETURN_NULL();
	if (ws->st)
	{
		int32		idx = ws->rowidx[WinGetCurrentPosition(winobj)];

		if (idx < 0)
			PG_RETURN_NULL();
		PG_RETURN_RFM_SCORE(bstate_score_raw(ws->st, ws->bk, idx));
	}
	row = WinGetFuncArgCurrent(winobj, 0, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	rfm_values_read(&ws->reader, GetMemoryChunkContext(ws), row, &v);
	if (!v.buyer)
		PG_RETURN_NULL();
	PG_RETURN_RFM_SCORE(rfm_score_values(ws->breaks, &v));
}

/* ----------------------------------------------------------------
 * rfm_score(r rfm, b rfm_breaks): scalar scoring
 * ----------------------------------------------------------------
 */

typedef struct ScalarScore
{
	RfmReader	reader;
	struct varlena *flat;		/* the rfm_breaks parsed below, or NULL */
	ScoreBreaks breaks;
} ScalarScore;

/* The parsed breakpoints of flat, cached in fn_extra (one parse per query). */
const ScoreBreaks *
breaks_cached(FmgrInfo *flinfo, struct varlena *flat, RfmReader **reader)
{
	ScalarScore *sc = (ScalarScore *) flinfo->fn_extra;

	if (sc == NULL)
		sc = flinfo->fn_extra = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(ScalarScore));
	if (sc->flat == NULL || VARSIZE(sc->flat) != VARSIZE(flat) ||
		memcmp(sc->flat, flat, VARSIZE(flat)) != 0)
	{
		MemoryContext old = MemoryContextSwitchTo(flinfo->fn_mcxt);

		if (sc->flat)
			pfree(sc->flat);
		sc->flat = palloc(VARSIZE(flat));
		memcpy(sc->flat, flat, VARSIZE(flat));
		breaks_parse(sc->flat, &sc->breaks);
		MemoryContextSwitchTo(old);
	}
	if (reader)
		*reader = &sc->reader;
	return &sc->breaks;
}

Datum
rfm_score_breaks(PG_FUNCTION_ARGS)
{
	RfmReader  *reader;
	const ScoreBreaks *b = breaks_cached(fcinfo->flinfo,
										 (struct varlena *) PG_DETOAST_DATUM(PG_GETARG_DATUM(1)),
										 &reader);
	RfmValues	v;

	rfm_values_read(reader, fcinfo->flinfo->fn_mcxt, PG_GETARG_DATUM(0), &v);
	if (!v.buyer)
		PG_RETURN_NULL();
	PG_RETURN_RFM_SCORE(rfm_score_values(b, &v));
}
