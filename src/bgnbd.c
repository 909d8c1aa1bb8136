/*
 * bgnbd.c
 *	  The BG/NBD and MBG/NBD count models (README, "Models and
 *	  predictions"): one log-likelihood with its gradient and Hessian for the
 *	  fits, and the per-customer predictions.  Their SQL functions are in
 *	  models.c, the predictive clv() in clv_predictive.c.
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
 */
#include "postgres.h"

#include <math.h>

#include "fit_state.h"
#include "miscadmin.h"
#include "models.h"
#include "special.h"

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
const CountModel name##_model = { #name, name##_num_loglik, name##_num_expected, \
	name##_num_expected_uncond, name##_num_p_alive, name##_num_prob };

BG_WRAPPERS(bgnbd, 0)
BG_WRAPPERS(mbgnbd, 1)

/* ----------------------------------------------------------------
 * The fits
 * ----------------------------------------------------------------
 */

static const char *const bg_param_names[] = {"r", "alpha", "a", "b"};

/* count_start() with b = 1. */
static void
bg_start(const FitData *d, double *par)
{
	count_start(d, par);
	par[3] = 1;
}

const FitModel bgnbd_fit_model = {
	"bgnbd_fit", FIT_COUNT, 4, bg_param_names, bgnbd_nll, true, true,
	{false, true, false, false}, true, bg_start
};

const FitModel mbgnbd_fit_model = {
	"mbgnbd_fit", FIT_COUNT, 4, bg_param_names, mbgnbd_nll, true, true,
	{false, true, false, false}, true, bg_start
};
