/*
 * lifecycle_churn.c
 *	  Churn risk and the next purchase from a fitted count model (SPEC §6):
 *	  churn_risk, p_no_purchase and next_purchase_within for BG/NBD,
 *	  MBG/NBD and Pareto/NBD, in the model's time units.
 *
 * With L(x, t_x, T) a model's likelihood of a history (x repeat purchases,
 * the last at t_x, none from t_x to T), the event "no purchase in (T, T+h]"
 * extends the history without a purchase, so
 *
 *	 P0(h) = P(no purchase in (T, T+h] | x, t_x, T) = L(x, t_x, T+h) / L(x, t_x, T).
 *
 * BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD: a customer alive at T
 * buys at rate lambda ~ Gamma(r+x, alpha+T) (the posterior, independent of
 * p) and can drop out only just after a purchase, so
 *
 *	 P0(h) = 1 - P(alive) + P(alive) ((alpha+T) / (alpha+T+h))^(r+x),
 *
 * which equals the likelihood ratio above (eq. 6 of the paper, with
 * P(alive) of Hardie's note 021), and the customer ever buys again with
 * probability P(alive).  next_purchase_within(p) solves 1 - P0(h) = p:
 *
 *	 h = (alpha+T) ((1 - p / P(alive))^(-1/(r+x)) - 1),  p < P(alive).
 *
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987; Fader & Hardie's note
 * 009): P0(h) is the ratio of the closed-form likelihoods (with their
 * Gauss hypergeometric terms) at T+h and at T.  Alive at T, the customer
 * buys again before dying with probability E[lambda / (lambda + mu)]
 * over the posterior lambda ~ Gamma(k1 = r+x, alpha+T), mu ~ Gamma(k2 = s,
 * beta+T); with c = (alpha+T) / (beta+T) Euler's integral gives
 *
 *	 E = k1/(k1+k2) 2F1(1, k2; k1+k2+1; 1-c)					(c >= 1)
 *	   = k1/(k1+k2) / c 2F1(1, k1+1; k1+k2+1; 1-1/c)			(c < 1)
 *
 * (the two are Pfaff transforms of each other; each call has a
 * non-positive argument), so P0(infinity) = 1 - P(alive) E.
 * next_purchase_within solves 1 - P0(h) = p by bisection on h.
 */
#include "postgres.h"

#include "lifecycle.h"
#include "miscadmin.h"
#include "models.h"
#include "special.h"

PG_FUNCTION_INFO_V1(bgnbd_churn_risk);
PG_FUNCTION_INFO_V1(mbgnbd_churn_risk);
PG_FUNCTION_INFO_V1(pareto_nbd_churn_risk);
PG_FUNCTION_INFO_V1(bgnbd_p_no_purchase);
PG_FUNCTION_INFO_V1(mbgnbd_p_no_purchase);
PG_FUNCTION_INFO_V1(pareto_nbd_p_no_purchase);
PG_FUNCTION_INFO_V1(bgnbd_next_purchase_within);
PG_FUNCTION_INFO_V1(mbgnbd_next_purchase_within);
PG_FUNCTION_INFO_V1(pareto_nbd_next_purchase_within);

typedef enum ChurnModel
{
	CM_BGNBD,
	CM_MBGNBD,
	CM_PARETO
} ChurnModel;

static const char *const churn_type_names[] = {"bgnbd", "mbgnbd", "pareto_nbd"};

/* The count models' own numerics (bgnbd.c, pareto_nbd.c), by ChurnModel. */
static const CountModel *const churn_models[] = {&bgnbd_model, &mbgnbd_model, &pareto_nbd_model};

static double
p_alive(ChurnModel m, const double *par, double x, double tx, double t)
{
	return churn_models[m]->p_alive(par, x, tx, t);
}

/* Pareto/NBD: E[lambda / (lambda + mu)] for a customer alive at T. */
static double
pnbd_p_buy_again_if_alive(const double *par, double x, double t)
{
	double		k1 = par[0] + x,
				k2 = par[2];
	double		c = (par[1] + t) / (par[3] + t);

	if (c >= 1)
		return k1 / (k1 + k2) * special_hyp2f1(1, k2, k1 + k2 + 1, 1 - c);
	return k1 / (k1 + k2) / c * special_hyp2f1(1, k1 + 1, k1 + k2 + 1, 1 - 1 / c);
}

/* P(the customer ever buys again | x, t_x, T) = 1 - P0(infinity). */
static double
p_buy_again(ChurnModel m, const double *par, double x, double tx, double t)
{
	double		pa = p_alive(m, par, x, tx, t);

	if (m == CM_PARETO)
		return pa * pnbd_p_buy_again_if_alive(par, x, t);
	return pa;
}

/* P0(h) = P(no purchase in (T, T+h] | x, t_x, T); h may be infinite. */
static double
p_no_purchase(ChurnModel m, const double *par, double h, double x, double tx, double t)
{
	if (h == 0)
		return 1;
	if (isinf(h))
		return 1 - p_buy_again(m, par, x, tx, t);
	if (m == CM_PARETO)
	{
		double		l = pareto_nbd_model.loglik(par, x, tx, t + h) -
			pareto_nbd_model.loglik(par, x, tx, t);

		/* NaN when the likelihood cannot be computed: P(alive) cannot either */
		if (isnan(l))
			return NAN;
		return exp(Min(l, 0));
	}
	else
	{
		double		pa = p_alive(m, par, x, tx, t);
		double		r = par[0],
					alpha = par[1];

		/* ((alpha+T) / (alpha+T+h))^(r+x), without log(a) - log(b) rounding to 0 */
		return 1 - pa + pa * exp(-(r + x) * log1p(h / (alpha + t)));
	}
}

static float8
churn_finite(double v, const char *what)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s cannot be computed for these parameters", what)));
	return v;
}

/* P0(h) for the bisection below: an error where it cannot be computed */
static double
p0_computable(ChurnModel m, const double *par, double h, double x, double tx, double t)
{
	return churn_finite(p_no_purchase(m, par, h, x, tx, t), "next_purchase_within");
}

/*
 * The h with 1 - P0(h) = p, or NaN when the customer buys again with a
 * probability of at most p (then there is no such h).
 */
static double
next_purchase_within(ChurnModel m, const double *par, double p, double x, double tx, double t)
{
	double		ever = p_buy_again(m, par, x, tx, t);
	double		lo,
				hi;

	if (p == 0)
		return 0;
	if (!(p < ever))
		return NAN;
	if (m != CM_PARETO)
	{
		double		r = par[0],
					alpha = par[1];

		/* (alpha+T) ((1 - p/P(alive))^(-1/(r+x)) - 1), as expm1 for small p */
		return (alpha + t) * expm1(-log1p(-p / ever) / (r + x));
	}

	/* Pareto/NBD: bracket, then bisect (1 - P0 increases with h) */
	lo = 0;
	hi = par[1] + t;
	for (int i = 0; 1 - p0_computable(m, par, hi, x, tx, t) < p; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i >= 1000 || isinf(hi))
			return NAN;			/* p within rounding of P(buy again) */
		lo = hi;
		hi *= 2;
	}
	for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++)
	{
		double		mid = lo + (hi - lo) / 2;

		CHECK_FOR_INTERRUPTS();
		if (1 - p0_computable(m, par, mid, x, tx, t) < p)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2;
}

/* Parameters of the model in argument 0 and the history at argno..argno+2. */
static void
churn_args(FunctionCallInfo fcinfo, ChurnModel m, int argno, double *par,
		   double *x, double *tx, double *t)
{
	model_params(fcinfo, 0, 4, par, churn_type_names[m]);
	*x = PG_GETARG_FLOAT8(argno);
	*tx = PG_GETARG_FLOAT8(argno + 1);
	*t = PG_GETARG_FLOAT8(argno + 2);
	memval_check_history(*x, *tx, *t);
}

/* churn_risk(model, x, t_x, t) = 1 - P(alive) */
static Datum
churn_risk_sql(FunctionCallInfo fcinfo, ChurnModel m)
{
	double		par[4],
				x,
				tx,
				t;
	double		pa;

	churn_args(fcinfo, m, 1, par, &x, &tx, &t);
	pa = churn_finite(p_alive(m, par, x, tx, t), "churn_risk");
	PG_RETURN_FLOAT8(Min(Max(1 - pa, 0), 1));
}

/* p_no_purchase(model, horizon, x, t_x, t) */
static Datum
p_no_purchase_sql(FunctionCallInfo fcinfo, ChurnModel m)
{
	double		par[4],
				x,
				tx,
				t,
				h = PG_GETARG_FLOAT8(1);
	double		p0;

	churn_args(fcinfo, m, 2, par, &x, &tx, &t);
	if (isnan(h) || h < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must be >= 0, got %g", h),
				 errhint("'Infinity' gives the probability of never buying again.")));
	p0 = churn_finite(p_no_purchase(m, par, h, x, tx, t), "p_no_purchase");
	PG_RETURN_FLOAT8(Min(Max(p0, 0), 1));
}

/* next_purchase_within(model, p, x, t_x, t): NULL when never reached */
static Datum
next_purchase_within_sql(FunctionCallInfo fcinfo, ChurnModel m)
{
	double		par[4],
				x,
				tx,
				t,
				p = PG_GETARG_FLOAT8(1);
	double		h;

	churn_args(fcinfo, m, 2, par, &x, &tx, &t);
	lifecycle_check_probability(p, "p");
	if (!isfinite(p_buy_again(m, par, x, tx, t)))
		churn_finite(NAN, "next_purchase_within");
	h = next_purchase_within(m, par, p, x, tx, t);
	if (isnan(h))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(churn_finite(h, "next_purchase_within"));
}

#define CHURN_SQL_FUNCS(prefix, m) \
Datum prefix##_churn_risk(PG_FUNCTION_ARGS) { return churn_risk_sql(fcinfo, m); } \
Datum prefix##_p_no_purchase(PG_FUNCTION_ARGS) { return p_no_purchase_sql(fcinfo, m); } \
Datum prefix##_next_purchase_within(PG_FUNCTION_ARGS) { return next_purchase_within_sql(fcinfo, m); }

CHURN_SQL_FUNCS(bgnbd, CM_BGNBD)
CHURN_SQL_FUNCS(mbgnbd, CM_MBGNBD)
CHURN_SQL_FUNCS(pareto_nbd, CM_PARETO)
