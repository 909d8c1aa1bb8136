/*
 * value_score.c
 *	  The composite value score (SPEC §6, seed 002: consumption, behaviour,
 *	  social and potential value) as a window function:
 *
 *	   value_score(consumption, behaviour, social, potential float8,
 *				   weights float8[] DEFAULT '{0.4,0.3,0.1,0.2}') OVER (...)
 *
 * Each dimension d is normalised to 0-100 by its percentile rank within
 * the window partition, exactly percent_rank() over the rows where d is
 * not NULL: 100 (number of values < v) / (number of values - 1), 0 when
 * there is one value; ties share a rank.  The score is the weighted mean
 * of the normalised dimensions that are not NULL (a NULL dimension
 * re-weights the others); NULL when every dimension with a weight > 0 is
 * NULL.  The whole partition is read once; each dimension is sorted once
 * in C instead of four sorts of the rows by the executor.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "memval.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/memutils.h"
#include "windowapi.h"

PG_FUNCTION_INFO_V1(value_score);

#define VS_DIMS		4

typedef struct ValueScorePart
{
	bool		built;
	float8	   *score;			/* per row; NaN = NULL */
} ValueScorePart;

/* The weights argument: four finite, non-negative numbers, sum > 0 (22023). */
static void
value_score_weights(ArrayType *arr, float8 *w)
{
	Datum	   *d;
	bool	   *nulls;
	int			n;
	float8		sum = 0;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must be a one-dimensional array")));
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &d, &nulls, &n);
	if (n != VS_DIMS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must have 4 elements, got %d", n),
				 errhint("One weight each for consumption, behaviour, social and potential value.")));
	for (int i = 0; i < VS_DIMS; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight %d is null", i + 1)));
		w[i] = DatumGetFloat8(d[i]);
		if (isnan(w[i]) || isinf(w[i]) || w[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight %d must be finite and >= 0, got %g", i + 1, w[i])));
		sum += w[i];
	}
	if (!(sum > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must not all be 0")));
}

static int
float8_cmp(const void *a, const void *b)
{
	float8		x = *(const float8 *) a;
	float8		y = *(const float8 *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* Number of elements of sorted v[0..n) strictly below x. */
static int64
count_below(const float8 *v, int64 n, float8 x)
{
	int64		lo = 0,
				hi = n;

	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
value_score_build(WindowObject winobj, ValueScorePart *vp)
{
	MemoryContext partcxt = GetMemoryChunkContext(vp);
	MemoryContext old;
	int64		nrows = WinGetPartitionRowCount(winobj);
	float8		w[VS_DIMS];
	float8	   *val[VS_DIMS];
	float8	   *sorted[VS_DIMS];
	int64		nval[VS_DIMS] = {0};
	bool		isnull;
	Datum		wd = WinGetFuncArgCurrent(winobj, 4, &isnull);
	Size		bytes = sizeof(float8) * Max(nrows, 1);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must not be null")));
	value_score_weights(DatumGetArrayTypeP(wd), w);

	old = MemoryContextSwitchTo(partcxt);
	vp->score = palloc_extended(bytes, MCXT_ALLOC_HUGE);
	for (int d = 0; d < VS_DIMS; d++)
	{
		val[d] = palloc_extended(bytes, MCXT_ALLOC_HUGE);
		sorted[d] = palloc_extended(bytes, MCXT_ALLOC_HUGE);
	}
	for (int64 i = 0; i < nrows; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int d = 0; d < VS_DIMS; d++)
		{
			bool		isout;
			Datum		v = WinGetFuncArgInPartition(winobj, d, i, WINDOW_SEEK_HEAD,
													 false, &isnull, &isout);

			if (isnull)
			{
				val[d][i] = NAN;
				continue;
			}
			val[d][i] = DatumGetFloat8(v);
			if (isnan(val[d][i]))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("value_score dimension %d must not be NaN", d + 1)));
			sorted[d][nval[d]++] = val[d][i];
		}
	}
	for (int d = 0; d < VS_DIMS; d++)
	{
		CHECK_FOR_INTERRUPTS();
		qsort(sorted[d], nval[d], sizeof(float8), float8_cmp);
	}
	for (int64 i = 0; i < nrows; i++)
	{
		float8		num = 0,
					den = 0;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int d = 0; d < VS_DIMS; d++)
		{
			float8		pr;

			if (isnan(val[d][i]) || w[d] == 0)
				continue;
			pr = nval[d] > 1 ?
				(float8) count_below(sorted[d], nval[d], val[d][i]) / (nval[d] - 1) : 0;
			num += w[d] * 100 * pr;
			den += w[d];
		}
		vp->score[i] = den > 0 ? num / den : NAN;
	}
	for (int d = 0; d < VS_DIMS; d++)
	{
		pfree(val[d]);
		pfree(sorted[d]);
	}
	MemoryContextSwitchTo(old);
	vp->built = true;
}

/*
 * value_score(consumption, behaviour, social, potential, weights) OVER (...):
 * not STRICT (NULL dimensions re-weight), so NULLs are handled here.
 */
Datum
value_score(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	ValueScorePart *vp = (ValueScorePart *) WinGetPartitionLocalMemory(winobj, sizeof(ValueScorePart));
	float8		s;

	if (!vp->built)
		value_score_build(winobj, vp);
	s = vp->score[WinGetCurrentPosition(winobj)];
	if (isnan(s))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(Min(s, 100));
}
