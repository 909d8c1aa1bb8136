/*
 * btyd.c
 *	  "Buy till you die" count models (SPEC §5): BG/NBD, MBG/NBD and the
 *	  SQL wiring of Pareto/NBD (whose numerics live in pareto_nbd.c).
 *
 * BG/NBD follows Fader, Hardie & Lee (2005), "Counting your customers the
 * easy way", with the log-likelihood of Hardie's note 004 and P(alive) of
 * note 021; MBG/NBD follows Batislam, Denizel & Filiztekin (2007) with
 * the erratum of Wagner & Hoppe (2008), as lifetimes' ModifiedBetaGeoFitter
 * implements it.  The two differ only in whether a customer can drop out
 * at time 0, so one likelihood and one set of predictions serve both,
 * with s = 0 (BG/NBD) or s = 1 (MBG/NBD):
 *
 *	 LL = ln G(r+x) - ln G(r) + r ln(alpha)
 *		+ ln B(a, b+x+s) - ln B(a, b)
 *		+ ln[ (alpha+T)^-(r+x) + d * a/(b+x-1+s) * (alpha+t_x)^-(r+x) ]
 *
 * where d = [x > 0] for BG/NBD and 1 for MBG/NBD.
 *
 * Every prediction is an IMMUTABLE scalar on the stored model value; the
 * predictive clv() is lifetimes' customer_lifetime_value.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fit.h"
#include "memval.h"
#include "pareto_nbd.h"
#include "special.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

/* A count model as the SQL functions see it: per-customer numerics. */
typedef struct CountModel
{
	const char *type_name;
	double		(*loglik) (const double *par, double x, double tx, double t);
	double		(*expected) (const double *par, double h, double x, double tx, double t);
	double		(*expected_uncond) (const double *par, double h);
	double		(*p_alive) (const double *par, double x, double tx, double t);
	double		(*prob) (const double *par, int n, double h);
} CountModel;

/* ----------------------------------------------------------------
 * BG/NBD and MBG/NBD log-likelihood (one code for both, s = 0 or 1)
 * ----------------------------------------------------------------
 */

/*
 * -LL over the weighted rows of d (sorted by x: the terms that depend on
 * x alone are computed once per distinct x), with the analytic gradient
 * and Hessian when asked for.
 *
 * Per customer LL = A12(x) + log(e^l3 + e^l4) with A12 = ln G(r+x) -
 * ln G(r) + r ln alpha + ln B(a, b+x+s) - ln B(a, b), l3 = -(r+x) ln(alpha
 * + t) and, when x > 0 or s = 1, l4 = ln a - ln(b+x-1+s) - (r+x) ln(alpha
 * + t_x).  With w4 = e^l4 / (e^l3 + e^l4) and w3 = 1 - w4 the derivatives
 * of the log-sum are w3 dl3 + w4 dl4 and, second,
 * w3 d2l3 + w4 d2l4 + w3 w4 (dl4 - dl3)(dl4 - dl3)'.
 */
static double
bg_family_nll(const FitData *d, const double *par, double *grad,
			  double (*hess)[FIT_MAX_PARAMS], int s)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];
	double		ll = 0;
	double		gr = 0,
				galpha = 0,
				ga = 0,
				gb = 0;
	double		h[4][4];		/* Hessian of LL, upper triangle */
	double		lg_r = lgamma(r),
				lg_ab = lgamma(a + b),
				lg_b = lgamma(b),
				log_alpha = log(alpha),
				log_a = log(a);
	double		psi_r = 0,
				psi_ab = 0,
				psi_b = 0,
				tri_r = 0,
				tri_ab = 0,
				tri_b = 0;
	double		cur_x = -1;
	double		A12 = 0,		/* A1 + A2 of the current x */
				c4 = 0,			/* ln a - ln(b+x-1+s) */
				dA_r = 0,
				dA_a = 0,
				dA_b = 0,
				dc4_b = 0,
				hA_rr = 0,
				hA_aa = 0,		/* = hA_ab */
				hA_bb = 0;
	bool		has4 = false;

	Assert(hess == NULL || grad != NULL);
	/* log(alpha + t_x), 1/(alpha + t_x) once per distinct value; likewise t */
	for (int j = 0; j < d->nua; j++)
	{
		d->lua[j] = log(alpha + d->ua[j]);
		d->lua[d->nua + j] = 1 / (alpha + d->ua[j]);
	}
	for (int j = 0; j < d->nub; j++)
	{
		d->lub[j] = log(alpha + d->ub[j]);
		d->lub[d->nub + j] = 1 / (alpha + d->ub[j]);
	}
	if (grad)
	{
		psi_r = special_digamma(r);
		psi_ab = special_digamma(a + b);
		psi_b = special_digamma(b);
	}
	if (hess)
	{
		tri_r = special_trigamma(r);
		tri_ab = special_trigamma(a + b);
		tri_b = special_trigamma(b);
		memset(h, 0, sizeof(h));
	}
	for (int i = 0; i < d->k; i++)
	{
		double		x = d->x[i];
		double		l3,
					l4,
					lse,
					log_at,
					log_atx = 0,
					w4 = 0;

		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		if (x != cur_x)
		{
			cur_x = x;
			A12 = lgamma(r + x) - lg_r + r * log_alpha
				+ lg_ab + lgamma(b + x + s) - lg_b - lgamma(a + b + x + s);
			has4 = s == 1 || x > 0;
			if (has4)
				c4 = log_a - log(b + x - 1 + s);
			if (grad)
			{
				double		psi_abx = special_digamma(a + b + x + s);

				dA_r = special_digamma(r + x) - psi_r + log_alpha;
				dA_a = psi_ab - psi_abx;
				dA_b = psi_ab + special_digamma(b + x + s) - psi_b - psi_abx;
				dc4_b = has4 ? -1 / (b + x - 1 + s) : 0;
			}
			if (hess)
			{
				double		tri_abx = special_trigamma(a + b + x + s);

				hA_rr = special_trigamma(r + x) - tri_r;
				hA_aa = tri_ab - tri_abx;
				hA_bb = tri_ab + special_trigamma(b + x + s) - tri_b - tri_abx;
			}
		}
		log_at = d->lub[d->ib[i]];
		l3 = -(r + x) * log_at;
		if (has4)
		{
			log_atx = d->lua[d->ia[i]];
			l4 = c4 - (r + x) * log_atx;
			if (l3 >= l4)
			{
				double		e = exp(l4 - l3);

				lse = l3 + log(1 + e);	/* e in (0, 1]: as exact as log1p, faster */
				w4 = e / (1 + e);
			}
			else
			{
				double		e = exp(l3 - l4);

				lse = l4 + log(1 + e);
				w4 = 1 / (1 + e);
			}
		}
		else
			lse = l3;
		ll += d->w[i] * (A12 + lse);
		if (grad)
		{
			double		w3 = 1 - w4;
			double		w = d->w[i];
			double		inv_at = d->lub[d->nub + d->ib[i]];
			double		inv_atx = has4 ? d->lua[d->nua + d->ia[i]] : 0;

			gr += w * (dA_r - w3 * log_at - w4 * log_atx);
			galpha += w * (r / alpha - (r + x) * (w3 * inv_at + w4 * inv_atx));
			ga += w * (dA_a + w4 / a);
			gb += w * (dA_b + w4 * dc4_b);
			if (hess)
			{
				/* dl4 - dl3, and the second derivatives of l3 and l4 */
				double		D[4] = {log_at - log_atx, (r + x) * (inv_at - inv_atx),
				has4 ? 1 / a : 0, dc4_b};
				double		w34 = w * w3 * w4;

				h[0][0] += w * hA_rr;
				h[0][1] -= w * (w3 * inv_at + w4 * inv_atx);
				h[1][1] += w * (r + x) * (w3 * inv_at * inv_at + w4 * inv_atx * inv_atx);
				h[2][2] += w * (hA_aa - w4 / (a * a));
				h[2][3] += w * hA_aa;
				h[3][3] += w * (hA_bb + w4 * dc4_b * dc4_b);
				if (w34 != 0)
					for (int j = 0; j < 4; j++)
						for (int l = j; l < 4; l++)
							h[j][l] += w34 * D[j] * D[l];
			}
		}
	}
	if (grad)
	{
		grad[0] = -gr;
		grad[1] = -galpha;
		grad[2] = -ga;
		grad[3] = -gb;
	}
	if (hess)
	{
		/* r ln alpha of A12: d/dr dalpha = 1/alpha, d2/dalpha2 = -r/alpha^2 */
		h[0][1] += d->n / alpha;
		h[1][1] -= d->n * r / (alpha * alpha);
		for (int j = 0; j < 4; j++)
			for (int l = j; l < 4; l++)
				hess[j][l] = hess[l][j] = -h[j][l];
	}
	return isfinite(ll) ? -ll : NAN;
}

static double
bgnbd_nll(const FitData *d, const double *par, double *grad,
		  double (*hess)[FIT_MAX_PARAMS])
{
	return bg_family_nll(d, par, grad, hess, 0);
}

static double
mbgnbd_nll(const FitData *d, const double *par, double *grad,
		   double (*hess)[FIT_MAX_PARAMS])
{
	return bg_family_nll(d, par, grad, hess, 1);
}

/* The log-likelihood of one customer: the fit's code on a one-row data set. */
static double
bg_family_loglik(const double *par, double x, double tx, double t, int s)
{
	FitOneRow	o;

	fit_one_row(&o, x, tx, t);
	return -bg_family_nll(&o.d, par, NULL, NULL, s);
}

/* ----------------------------------------------------------------
 * BG/NBD and MBG/NBD predictions
 * ----------------------------------------------------------------
 */

/* E[X(t)] for a customer with history (x, t_x, T): FHL 2005 eq. (10). */
static double
bg_family_expected(const double *par, double h, double x, double tx, double t, int s)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];
	double		hyp,
				num,
				den;

	if (h == 0)
		return 0;
	hyp = special_hyp2f1(r + x, b + x + s, a + b + x - 1 + s, h / (alpha + t + h));
	num = (a + b + x - 1 + s) / (a - 1) *
		(1 - exp((r + x) * log((alpha + t) / (alpha + t + h))) * hyp);
	den = (s == 1 || x > 0) ?
		1 + a / (b + x - 1 + s) * exp((r + x) * log((alpha + t) / (alpha + tx))) : 1;
	return num / den;
}

/* E[X(t)] for a new customer: FHL 2005 eq. (9); lifetimes' MBG/NBD form. */
static double
bg_family_expected_uncond(const double *par, double h, int s)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];
	double		hyp = special_hyp2f1(r, b + s, a + b - 1 + s, h / (alpha + h));
	double		lead = s ? b / (a - 1) : (a + b - 1) / (a - 1);

	return lead * (1 - exp(r * log(alpha / (alpha + h))) * hyp);
}

/* P(alive | x, t_x, T): Hardie's note 021; 1 for BG/NBD with x = 0. */
static double
bg_family_p_alive(const double *par, double x, double tx, double t, int s)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];

	if (s == 0 && x == 0)
		return 1;
	return 1 / (1 + a / (b + x - 1 + s) * exp((r + x) * log((alpha + t) / (alpha + tx))));
}

static double
lbeta(double p, double q)
{
	return lgamma(p) + lgamma(q) - lgamma(p + q);
}

/* P(X(t) = n) for a new customer: FHL 2005 eq. (8) (s = 1: lifetimes' MBG/NBD). */
static double
bg_family_prob(const double *par, int n, double h, int s)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];
	double		lp = log(alpha / (alpha + h)),
				lq = h > 0 ? log(h / (alpha + h)) : -INFINITY;
	double		first,
				second = 0;

	first = exp(lbeta(a, b + n + s) - lbeta(a, b) + lgamma(r + n) - lgamma(r)
				- lgamma(n + 1.0) + r * lp + (n > 0 ? n * lq : 0));
	if (n > 0 || s == 1)
	{
		double		term = 1,
					sum = 0,
					q = h / (alpha + h);

		for (int j = 0; j < n; j++)
		{
			if ((j & 0xFFFF) == 0xFFFF)
				CHECK_FOR_INTERRUPTS();
			sum += term;
			term *= (r + j) / (j + 1) * q;
		}
		second = exp(lbeta(a + 1, b + n - 1 + s) - lbeta(a, b)) * (1 - exp(r * lp) * sum);
	}
	return first + second;
}

#define BG_WRAPPERS(name, s) \
static double name##_num_loglik(const double *p, double x, double tx, double t) \
	{ return bg_family_loglik(p, x, tx, t, s); } \
static double name##_num_expected(const double *p, double h, double x, double tx, double t) \
	{ return bg_family_expected(p, h, x, tx, t, s); } \
static double name##_num_expected_uncond(const double *p, double h) \
	{ return bg_family_expected_uncond(p, h, s); } \
static double name##_num_p_alive(const double *p, double x, double tx, double t) \
	{ return bg_family_p_alive(p, x, tx, t, s); } \
static double name##_num_prob(const double *p, int n, double h) \
	{ return bg_family_prob(p, n, h, s); } \
static const CountModel name##_model = { #name, name##_num_loglik, name##_num_expected, \
	name##_num_expected_uncond, name##_num_p_alive, name##_num_prob };

BG_WRAPPERS(bgnbd, 0)
BG_WRAPPERS(mbgnbd, 1)

/* Pareto/NBD: the numerics of pareto_nbd.c as they are. */
static const CountModel pareto_nbd_model = {
	"pareto_nbd", pnbd_loglik, pnbd_expected_purchases,
	pnbd_expected_purchases_unconditional, pnbd_p_alive,
	pnbd_probability_of_purchases
};

/* -LL of Pareto/NBD over the weighted rows, with the analytic gradient. */
static double
pareto_nbd_nll(const FitData *d, const double *par, double *grad,
			   double (*hess)[FIT_MAX_PARAMS])
{
	PnbdConsts	c;
	double		ll = 0;
	double		g[4] = {0, 0, 0, 0};

	if (!pnbd_prepare(par, &c))
		return NAN;
	for (int i = 0; i < d->k; i++)
	{
		double		gi[4];
		double		li;

		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();	/* one pass over 10M rows takes seconds */
		li = pnbd_loglik_prepared(&c, d->x[i], d->a[i], d->b[i], grad ? gi : NULL);
		ll += d->w[i] * li;
		if (grad)
			for (int j = 0; j < 4; j++)
				g[j] += d->w[i] * gi[j];
	}
	if (grad)
		for (int j = 0; j < 4; j++)
			grad[j] = -g[j];
	return isfinite(ll) ? -ll : NAN;
}

/* ----------------------------------------------------------------
 * Fits
 * ----------------------------------------------------------------
 */

static const char *const bg_param_names[] = {"r", "alpha", "a", "b"};

/* Start: r = 1, alpha from the mean purchase rate (E[lambda] = r/alpha), a = b = 1. */
static void
count_start(const FitData *d, double *par)
{
	double		sx = 0,
				st = 0;

	for (int i = 0; i < d->k; i++)
	{
		sx += d->w[i] * d->x[i];
		st += d->w[i] * d->b[i];
	}
	par[0] = 1;
	par[1] = sx > 0 && st > 0 ? st / sx : 1;
	par[2] = 1;
	par[3] = st > 0 ? st / d->n : 1;	/* Pareto/NBD's beta: the mean t */
}

static void
bg_start(const FitData *d, double *par)
{
	count_start(d, par);
	par[3] = 1;
}

static const FitModel bgnbd_fit_model = {
	"bgnbd_fit", 4, bg_param_names, bgnbd_nll, true, true,
	{false, true, false, false}, true, bg_start
};

static const char *const pareto_param_names[] = {"r", "alpha", "s", "beta"};

static const FitModel pareto_nbd_fit_model = {
	"pareto_nbd_fit", 4, pareto_param_names, pareto_nbd_nll, true, false,
	{false, true, false, true}, false, count_start
};

static const FitModel mbgnbd_fit_model = {
	"mbgnbd_fit", 4, bg_param_names, mbgnbd_nll, true, true,
	{false, true, false, false}, true, bg_start
};

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
	return fit_result_datum(fcinfo, m, d, &res);
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
btyd_model_from_params(FunctionCallInfo fcinfo, int nparams,
					   const char *type_name)
{
	TupleDesc	td;
	Datum		values[16];
	bool		nulls[16];

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "%s constructor must return a composite type", type_name);
	td = BlessTupleDesc(td);
	Assert(td->natts <= 16);
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
btyd_check_horizon(double h)
{
	if (!isfinite(h) || h < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must be finite and >= 0, got %g", h)));
}

static float8
btyd_finite_result(double v, const char *what)
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

	fit_model_params(fcinfo, 0, 4, par, cm->type_name);
	memval_check_history(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3));
	PG_RETURN_FLOAT8(btyd_finite_result(cm->loglik(par, PG_GETARG_FLOAT8(1),
												   PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)),
										"the log-likelihood"));
}

static Datum
cm_expected(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];

	fit_model_params(fcinfo, 0, 4, par, cm->type_name);
	btyd_check_horizon(PG_GETARG_FLOAT8(1));
	memval_check_history(PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4));
	PG_RETURN_FLOAT8(btyd_finite_result(cm->expected(par, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
													 PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4)),
										"expected_purchases"));
}

static Datum
cm_expected_uncond(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];

	fit_model_params(fcinfo, 0, 4, par, cm->type_name);
	btyd_check_horizon(PG_GETARG_FLOAT8(1));
	PG_RETURN_FLOAT8(btyd_finite_result(cm->expected_uncond(par, PG_GETARG_FLOAT8(1)),
										"expected_purchases"));
}

static Datum
cm_p_alive(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];

	fit_model_params(fcinfo, 0, 4, par, cm->type_name);
	memval_check_history(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3));
	PG_RETURN_FLOAT8(btyd_finite_result(cm->p_alive(par, PG_GETARG_FLOAT8(1),
													PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)),
										"p_alive"));
}

#define BTYD_MAX_N	1000000

static Datum
cm_prob(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];
	int32		n = PG_GETARG_INT32(1);

	fit_model_params(fcinfo, 0, 4, par, cm->type_name);
	if (n < 0 || n > BTYD_MAX_N)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("n must be between 0 and %d, got %d", BTYD_MAX_N, n)));
	btyd_check_horizon(PG_GETARG_FLOAT8(2));
	PG_RETURN_FLOAT8(btyd_finite_result(cm->prob(par, n, PG_GETARG_FLOAT8(2)),
										"probability_of_purchases"));
}

/*
 * clv(model, gg, x, t_x, t, m, months, discount_rate, units_per_month):
 * lifetimes' customer_lifetime_value.  Not STRICT: m may be NULL when
 * x = 0; any other NULL argument gives NULL.
 */
static Datum
cm_clv(FunctionCallInfo fcinfo, const CountModel *cm)
{
	double		par[4];
	double		x, tx, t, d, u, spend, prev, total = 0;
	int32		months;

	for (int i = 0; i < 9; i++)
		if (PG_ARGISNULL(i) && i != 5)
			PG_RETURN_NULL();
	fit_model_params(fcinfo, 0, 4, par, cm->type_name);
	x = PG_GETARG_FLOAT8(2);
	tx = PG_GETARG_FLOAT8(3);
	t = PG_GETARG_FLOAT8(4);
	memval_check_history(x, tx, t);
	months = PG_GETARG_INT32(6);
	d = PG_GETARG_FLOAT8(7);
	u = PG_GETARG_FLOAT8(8);
	if (months < 0 || months > 12000)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("months must be between 0 and 12000, got %d", months)));
	if (!isfinite(d) || d <= -1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount_rate must be finite and > -1, got %g", d)));
	if (!isfinite(u) || u <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("units_per_month must be finite and > 0, got %g", u)));
	if (!gamma_gamma_spend(fcinfo, 1, x, PG_ARGISNULL(5), PG_ARGISNULL(5) ? 0 : PG_GETARG_FLOAT8(5), &spend))
		PG_RETURN_NULL();
	prev = 0;					/* E[purchases within 0 units] */
	for (int i = 1; i <= months; i++)
	{
		double		cur = cm->expected(par, i * u, x, tx, t);

		total += spend * (cur - prev) / pow(1 + d, i);
		prev = cur;
	}
	PG_RETURN_FLOAT8(btyd_finite_result(total, "clv"));
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
PG_FUNCTION_INFO_V1(prefix##_clv); \
Datum prefix##_clv(PG_FUNCTION_ARGS) { return cm_clv(fcinfo, &model); } \
PG_FUNCTION_INFO_V1(prefix##_make); \
Datum prefix##_make(PG_FUNCTION_ARGS) { return btyd_model_from_params(fcinfo, 4, #prefix); }

CM_SQL_FUNCS(bgnbd, bgnbd_model)
CM_SQL_FUNCS(mbgnbd, mbgnbd_model)
CM_SQL_FUNCS(pareto_nbd, pareto_nbd_model)
