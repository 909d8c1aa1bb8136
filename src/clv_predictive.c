/*
 * clv_predictive.c
 *	  Predictive customer lifetime value (README, "Models and predictions"):
 *	  clv(count model, gamma_gamma, x, t_x, t, m, months, discount_rate,
 *	  units_per_month) for BG/NBD, MBG/NBD and Pareto/NBD, as lifetimes'
 *	  customer_lifetime_value computes it: the expected spend per purchase
 *	  of the Gamma-Gamma model times the expected purchases of each month,
 *	  discounted.  Historical CLV is in clv_historical.c.
 */
#include "postgres.h"

#include <math.h>

#include "memval.h"
#include "models.h"

/*
 * clv(model, gg, x, t_x, t, m, months, discount_rate, units_per_month):
 * lifetimes' customer_lifetime_value.  Not STRICT: m may be NULL when
 * x = 0; any other NULL argument gives NULL.
 */
typedef enum ClvArg
{
	CLV_ARG_MODEL,				/* the count model */
	CLV_ARG_SPEND_MODEL,		/* the gamma_gamma model */
	CLV_ARG_X,
	CLV_ARG_T_X,
	CLV_ARG_T,
	CLV_ARG_M,					/* may be NULL when x = 0 */
	CLV_ARG_MONTHS,
	CLV_ARG_DISCOUNT_RATE,
	CLV_ARG_UNITS_PER_MONTH,
	CLV_NARGS
} ClvArg;

/* A thousand years: a bound on the loop, far beyond any real horizon. */
#define CLV_MAX_MONTHS		12000

static Datum
cm_clv(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];
	double		x, tx, t, d, u, spend, prev, total = 0;
	int32		months;

	for (int i = 0; i < CLV_NARGS; i++)
		if (PG_ARGISNULL(i) && i != CLV_ARG_M)
			PG_RETURN_NULL();
	model_params(fcinfo, CLV_ARG_MODEL, 4, par, cm->type_name);
	x = PG_GETARG_FLOAT8(CLV_ARG_X);
	tx = PG_GETARG_FLOAT8(CLV_ARG_T_X);
	t = PG_GETARG_FLOAT8(CLV_ARG_T);
	memval_check_history(x, tx, t);
	months = PG_GETARG_INT32(CLV_ARG_MONTHS);
	d = PG_GETARG_FLOAT8(CLV_ARG_DISCOUNT_RATE);
	u = PG_GETARG_FLOAT8(CLV_ARG_UNITS_PER_MONTH);
	if (months < 0 || months > CLV_MAX_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("months must be between 0 and %d, got %d", CLV_MAX_MONTHS, months)));
	if (!isfinite(d) || d <= -1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount_rate must be finite and > -1, got %g", d)));
	if (!isfinite(u) || u <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("units_per_month must be finite and > 0, got %g", u)));
	if (!gamma_gamma_spend(fcinfo, CLV_ARG_SPEND_MODEL, x, PG_ARGISNULL(CLV_ARG_M),
						   PG_ARGISNULL(CLV_ARG_M) ? 0 : PG_GETARG_FLOAT8(CLV_ARG_M), &spend))
		PG_RETURN_NULL();
	prev = 0;					/* E[purchases within 0 units] */
	for (int i = 1; i <= months; i++)
	{
		double		cur = cm->expected(par, i * u, x, tx, t);

		total += spend * (cur - prev) / pow(1 + d, i);
		prev = cur;
	}
	PG_RETURN_FLOAT8(model_finite_result(total, "clv"));
}

#define CLV_SQL_FUNC(prefix, model) \
PG_FUNCTION_INFO_V1(prefix##_clv); \
Datum prefix##_clv(PG_FUNCTION_ARGS) { return cm_clv(fcinfo, &model); }

CLV_SQL_FUNC(bgnbd, bgnbd_model)
CLV_SQL_FUNC(mbgnbd, mbgnbd_model)
CLV_SQL_FUNC(pareto_nbd, pareto_nbd_model)
