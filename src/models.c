/*
 * models.c
 *	  What the BTYD models share as SQL values (README, "Models and
 *	  predictions"): the fit finals of the count models, model values from
 *	  a fit or from known parameters, the parameters read back from a model
 *	  value, and the SQL prediction functions of BG/NBD, MBG/NBD and
 *	  Pareto/NBD (their numerics in bgnbd.c and pareto_nbd.c).
 *
 * Every prediction is an IMMUTABLE scalar on the stored model value.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fit_state.h"
#include "funcapi.h"
#include "memval.h"
#include "miscadmin.h"
#include "models.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

/* ----------------------------------------------------------------
 * Model values
 * ----------------------------------------------------------------
 */

/*
 * Columns of a model type at most: the parameters, loglik, n, skipped,
 * iterations, converged and a standard error per parameter.
 */
#define MODEL_MAX_COLUMNS	(2 * FIT_MAX_PARAMS + 5)

/*
 * The model row: parameters, loglik, n, [skipped,] iterations, converged,
 * standard errors, in the column order of the SQL composite types.
 */
Datum
model_from_fit(FunctionCallInfo fcinfo, const FitModel *m,
			   const FitData *d, const FitResult *res)
{
	TupleDesc	td;
	Datum		values[MODEL_MAX_COLUMNS];
	bool		nulls[MODEL_MAX_COLUMNS];
	int			np = m->nparams;
	int			i = 0;
	bool		spend = m->kind == FIT_SPEND;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "fit final function must return a composite type");
	td = BlessTupleDesc(td);
	memset(nulls, 0, sizeof(nulls));
	for (int k = 0; k < np; k++)
		values[i++] = Float8GetDatum(res->par[k]);
	values[i++] = Float8GetDatum(res->loglik);
	values[i++] = Int64GetDatum((int64) d->n);
	if (spend)
		values[i++] = Int64GetDatum(d->skipped);
	values[i++] = Int32GetDatum(res->iterations);
	values[i++] = BoolGetDatum(res->converged);
	for (int k = 0; k < np; k++)
	{
		nulls[i] = !res->se_valid || !isfinite(res->se[k]);
		values[i++] = Float8GetDatum(res->se[k]);
	}
	if (i != td->natts)
		elog(ERROR, "model type has %d columns, expected %d", td->natts, i);
	return HeapTupleGetDatum(heap_form_tuple(td, values, nulls));
}

/*
 * The first nparams columns of a model value, which must be finite and
 * positive (22023 otherwise, 22004 for NULL).
 */
static void
model_params_parse(Datum model, int nparams, double *par, const char *type_name)
{
	HeapTupleHeader th = DatumGetHeapTupleHeader(model);
	TupleDesc	td = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th),
											HeapTupleHeaderGetTypMod(th));
	HeapTupleData tuple;

	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&(tuple.t_self));
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	for (int k = 0; k < nparams; k++)
	{
		bool		isnull;
		Datum		v = heap_getattr(&tuple, k + 1, td, &isnull);

		if (isnull)
		{
			ReleaseTupleDesc(td);
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s parameter %d must not be null", type_name, k + 1)));
		}
		par[k] = DatumGetFloat8(v);
		if (!(par[k] > 0) || isinf(par[k]))
		{
			ReleaseTupleDesc(td);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s parameters must be finite and positive, got %g",
							type_name, par[k])));
		}
	}
	ReleaseTupleDesc(td);
}

/* The parameters of the last model value seen in each argument position. */
#define MODEL_CACHE_ARGS	2

typedef struct ModelParamCache
{
	uint32		len[MODEL_CACHE_ARGS];	/* 0: empty */
	char	   *bytes[MODEL_CACHE_ARGS];	/* the model tuple as last seen */
	double		par[MODEL_CACHE_ARGS][FIT_MAX_PARAMS];
} ModelParamCache;

/*
 * The parameters of the model in argument argno of a prediction: a query
 * predicts with the same model row after row, so the parsed parameters of
 * the last model value are kept in fn_extra and reused when its bytes are
 * the same.
 */
void
model_params(FunctionCallInfo fcinfo, int argno, int nparams, double *par,
			 const char *type_name)
{
	Datum		model = PG_GETARG_DATUM(argno);
	HeapTupleHeader th = DatumGetHeapTupleHeader(model);
	uint32		len = HeapTupleHeaderGetDatumLength(th);
	ModelParamCache *c = (ModelParamCache *) fcinfo->flinfo->fn_extra;

	Assert(argno < MODEL_CACHE_ARGS);
	if (c == NULL)
		c = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ModelParamCache));
	if (c->len[argno] == len && memcmp(c->bytes[argno], th, len) == 0)
	{
		memcpy(par, c->par[argno], sizeof(double) * nparams);
		return;
	}
	model_params_parse(model, nparams, par, type_name);
	if (c->len[argno] < len)
	{
		if (c->bytes[argno])
			pfree(c->bytes[argno]);
		c->bytes[argno] = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len);
	}
	memcpy(c->bytes[argno], th, len);
	c->len[argno] = len;
	memcpy(c->par[argno], par, sizeof(double) * nparams);
}

/* ----------------------------------------------------------------
 * Fit finals of the count models
 * ----------------------------------------------------------------
 */

/*
 * Data that cannot identify a count model: no row, zero time, or no
 * repeat purchase at all (the purchase rate and the dropout process are
 * then confounded and the likelihood has no maximum).
 */
static void
count_check_identifiable(const FitData *d, const char *name)
{
	bool		repeat = false;

	for (int i = 0; i < d->k && !repeat; i++)
		repeat = d->x[i] > 0;
	if (!repeat || d->max_b <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s cannot identify the model: %s", name,
						!repeat ? "no customer has a repeat purchase (every x is 0)"
						: "every t is 0"),
				 errhint("Fit on a longer calibration period, or on more customers.")));
}

static Datum
count_fit_final(FunctionCallInfo fcinfo, const FitModel *m)
{
	FitData    *d = fit_state_data(fcinfo, FIT_COUNT);
	FitResult	res;

	if (d == NULL || d->n == 0)
		PG_RETURN_NULL();
	count_check_identifiable(d, m->name);
	fit_run(m, d, &res);
	return model_from_fit(fcinfo, m, d, &res);
}

PG_FUNCTION_INFO_V1(bgnbd_fit_final);
Datum
bgnbd_fit_final(PG_FUNCTION_ARGS)
{
	return count_fit_final(fcinfo, &bgnbd_fit_model);
}

PG_FUNCTION_INFO_V1(pareto_nbd_fit_final);
Datum
pareto_nbd_fit_final(PG_FUNCTION_ARGS)
{
	return count_fit_final(fcinfo, &pareto_nbd_fit_model);
}

PG_FUNCTION_INFO_V1(mbgnbd_fit_final);
Datum
mbgnbd_fit_final(PG_FUNCTION_ARGS)
{
	return count_fit_final(fcinfo, &mbgnbd_fit_model);
}

/* ----------------------------------------------------------------
 * SQL functions shared by the count models
 * ----------------------------------------------------------------
 */

/* A model value from known parameters: other columns NULL. */
Datum
model_from_params(FunctionCallInfo fcinfo, int nparams,
				  const char *type_name)
{
	TupleDesc	td;
	Datum		values[MODEL_MAX_COLUMNS];
	bool		nulls[MODEL_MAX_COLUMNS];

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "%s constructor must return a composite type", type_name);
	td = BlessTupleDesc(td);
	if (td->natts > MODEL_MAX_COLUMNS || td->natts < nparams)
		elog(ERROR, "model type %s has %d columns, expected %d to %d",
			 type_name, td->natts, nparams, MODEL_MAX_COLUMNS);
	for (int i = 0; i < td->natts; i++)
	{
		nulls[i] = true;
		values[i] = (Datum) 0;
	}
	for (int k = 0; k < nparams; k++)
	{
		float8		v = PG_GETARG_FLOAT8(k);

		if (!(v > 0) || isinf(v))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s parameters must be finite and positive, got %g", type_name, v)));
		values[k] = Float8GetDatum(v);
		nulls[k] = false;
	}
	return HeapTupleGetDatum(heap_form_tuple(td, values, nulls));
}

static void
model_check_horizon(double h)
{
	if (!isfinite(h) || h < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must be finite and >= 0, got %g", h)));
}

float8
model_finite_result(double v, const char *what)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s cannot be computed for these parameters", what)));
	return v;
}

static Datum
cm_loglik(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];

	model_params(fcinfo, 0, 4, par, cm->type_name);
	memval_check_history(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3));
	PG_RETURN_FLOAT8(model_finite_result(cm->loglik(par, PG_GETARG_FLOAT8(1),
												   PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)),
										"the log-likelihood"));
}

static Datum
cm_expected(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];

	model_params(fcinfo, 0, 4, par, cm->type_name);
	model_check_horizon(PG_GETARG_FLOAT8(1));
	memval_check_history(PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4));
	PG_RETURN_FLOAT8(model_finite_result(cm->expected(par, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
													 PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4)),
										"expected_purchases"));
}

static Datum
cm_expected_uncond(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];

	model_params(fcinfo, 0, 4, par, cm->type_name);
	model_check_horizon(PG_GETARG_FLOAT8(1));
	PG_RETURN_FLOAT8(model_finite_result(cm->expected_uncond(par, PG_GETARG_FLOAT8(1)),
										"expected_purchases"));
}

static Datum
cm_p_alive(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];

	model_params(fcinfo, 0, 4, par, cm->type_name);
	memval_check_history(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3));
	PG_RETURN_FLOAT8(model_finite_result(cm->p_alive(par, PG_GETARG_FLOAT8(1),
													PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)),
										"p_alive"));
}

#define BTYD_MAX_N	1000000

static Datum
cm_prob(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];
	int32		n = PG_GETARG_INT32(1);

	model_params(fcinfo, 0, 4, par, cm->type_name);
	if (n < 0 || n > BTYD_MAX_N)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("n must be between 0 and %d, got %d", BTYD_MAX_N, n)));
	model_check_horizon(PG_GETARG_FLOAT8(2));
	PG_RETURN_FLOAT8(model_finite_result(cm->prob(par, n, PG_GETARG_FLOAT8(2)),
										"probability_of_purchases"));
}

#define CM_SQL_FUNCS(prefix, model) \
PG_FUNCTION_INFO_V1(prefix##_loglik); \
Datum prefix##_loglik(PG_FUNCTION_ARGS) { return cm_loglik(fcinfo, &model); } \
PG_FUNCTION_INFO_V1(prefix##_expected_purchases); \
Datum prefix##_expected_purchases(PG_FUNCTION_ARGS) { return cm_expected(fcinfo, &model); } \
PG_FUNCTION_INFO_V1(prefix##_expected_purchases_new); \
Datum prefix##_expected_purchases_new(PG_FUNCTION_ARGS) { return cm_expected_uncond(fcinfo, &model); } \
PG_FUNCTION_INFO_V1(prefix##_p_alive); \
Datum prefix##_p_alive(PG_FUNCTION_ARGS) { return cm_p_alive(fcinfo, &model); } \
PG_FUNCTION_INFO_V1(prefix##_probability_of_purchases); \
Datum prefix##_probability_of_purchases(PG_FUNCTION_ARGS) { return cm_prob(fcinfo, &model); } \
PG_FUNCTION_INFO_V1(prefix##_make); \
Datum prefix##_make(PG_FUNCTION_ARGS) { return model_from_params(fcinfo, 4, #prefix); }

CM_SQL_FUNCS(bgnbd, bgnbd_model)
CM_SQL_FUNCS(mbgnbd, mbgnbd_model)
CM_SQL_FUNCS(pareto_nbd, pareto_nbd_model)
