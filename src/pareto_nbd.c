/*
 * pareto_nbd.c
 *	  The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987; README,
 *	  "Models and predictions"): the log-likelihood with its gradient for
 *	  the fit, and the per-customer predictions.  Its SQL functions are in
 *	  models.c, the predictive clv() in clv_predictive.c.
 *
 * par = {r, alpha, s, beta}: purchase rates while alive are
 * Gamma(shape r, rate alpha); lifetimes are exponential with rates
 * Gamma(shape s, rate beta).  A customer's summary is x (repeat
 * purchases), t_x (time of the last repeat purchase, 0 when x = 0) and t
 * (age: first purchase to the end of observation), all in one time unit;
 * alpha and beta are in the same unit.  The definitions are those of
 * lifetimes' ParetoNBDFitter and Fader & Hardie's notes 009 and 017.
 *
 * Every function returns NaN when its arguments are outside the domain
 * (parameters not finite and > 0, x < 0, t_x < 0, t_x > t, horizon < 0)
 * or when the computation fails; it never loops without bound and never
 * allocates.  Validation with proper error messages is the caller's job.
 *
 * The likelihood.  With lambda ~ Gamma(r, alpha) and mu ~ Gamma(s, beta),
 * a customer alive at t contributes lambda^x e^-(lambda+mu) t and one who
 * died at tau in (t_x, t] contributes lambda^x mu e^-(lambda+mu) tau.
 * Integrating over lambda and mu (Fader & Hardie, note 009):
 *
 *	 L = Gamma(r+x) alpha^r beta^s / Gamma(r)
 *		 * [ (alpha+t)^-(r+x) (beta+t)^-s + s (F(t_x) - F(t)) ]
 *
 *	 F(u) = int_u^inf (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau.
 *
 * The note writes s/(r+s+x) A_0 for s (F(t_x) - F(t)), with F as a 2F1 of
 * argument |alpha-beta| / (max(alpha,beta) + u).  With Euler's
 * transformation that 2F1 becomes S = 2F1(1, p; r+s+x+1; z), whose
 * terms are all positive (special.c), and
 *
 *	 alpha >= beta: z = (alpha-beta)/(alpha+u), p = r+x,
 *		 F(u) = (alpha+u)^-(r+x)	 (beta+u)^-s	 S / (r+s+x)
 *	 alpha <  beta: z = (beta-alpha)/(beta+u),	 p = s+1,
 *		 F(u) = (alpha+u)^-(r+x-1) (beta+u)^-(s+1) S / (r+s+x)
 *
 * Both branches are the same analytic function of the parameters, so the
 * value and the gradient are continuous at alpha = beta.  Everything is
 * in log space; the difference F(t_x) - F(t) is taken after scaling by
 * the largest term, and s F(t) never exceeds the first bracket term, so
 * the cancellation costs at most a few ulps of the likelihood.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "models.h"
#include "miscadmin.h"
#include "special.h"

#define PNBD_R		0
#define PNBD_ALPHA	1
#define PNBD_S		2
#define PNBD_BETA	3

/*
 * Constants of one parameter vector, computed once by pnbd_prepare() and
 * shared by every row of a likelihood evaluation (the fit's inner loop:
 * use pnbd_loglik_prepared() there).  It also caches lgamma(r+x) and
 * digamma(r+x) of the last x seen, so rows sorted by x pay for them once
 * per distinct x; hence pnbd_loglik_prepared() takes a non-const pointer.
 * One PnbdConsts per thread of evaluation.
 */
typedef struct PnbdConsts
{
	double		r,
				alpha,
				s,
				beta;
	double		log_alpha;
	double		log_beta;
	double		log_s;
	double		head;			/* r log alpha + s log beta - lgamma(r) */
	double		digamma_r;
	bool		valid;			/* parameters finite and > 0 */
	/* cache of the x-dependent terms (x = NaN: empty) */
	double		lgamma_x;		/* x of lgamma_rx */
	double		lgamma_rx;		/* lgamma(r + x) */
	double		digamma_x;		/* x of digamma_rx */
	double		digamma_rx;		/* digamma(r + x) */

	/*
	 * cache of log F(t_x) and its gradient (f1_x = NaN: empty): rows come
	 * sorted by (x, t_x), and every x = 0 row has t_x = 0, so one 2F1
	 * serves a whole run of rows (the costly one when z is near 1)
	 */
	double		f1_x;
	double		f1_tx;
	bool		f1_has_g;
	double		f1_l;
	double		f1_g[4];
} PnbdConsts;

static inline bool
pnbd_param_ok(double v)
{
	return v > 0.0 && isfinite(v);
}

static bool
pnbd_prepare(const double par[4], PnbdConsts *c)
{
	c->valid = pnbd_param_ok(par[0]) && pnbd_param_ok(par[1]) &&
		pnbd_param_ok(par[2]) && pnbd_param_ok(par[3]);
	if (!c->valid)
		return false;
	c->r = par[0];
	c->alpha = par[1];
	c->s = par[2];
	c->beta = par[3];
	c->log_alpha = log(c->alpha);
	c->log_beta = log(c->beta);
	c->log_s = log(c->s);
	c->lgamma_x = c->digamma_x = NAN;
	c->f1_x = c->f1_tx = NAN;
	c->head = c->r * c->log_alpha + c->s * c->log_beta - lgamma(c->r);
	c->digamma_r = special_digamma(c->r);
	return true;
}

static inline bool
pnbd_row_ok(double x, double t_x, double t)
{
	return x >= 0.0 && t_x >= 0.0 && t_x <= t && isfinite(x) && isfinite(t);
}

/*
 * log F(u) (see the top of the file) for p = r+x, a = r+s+x; when g is not
 * NULL, g[] = d log F / d(r, alpha, s, beta).
 */
static double
pnbd_log_f(const PnbdConsts *c, double p, double a, double log_a, double u,
		   double log_au, double log_bu, double *g)
{
	double		au = c->alpha + u;
	double		bu = c->beta + u;
	double		d[3];
	double		S;

	if (c->alpha >= c->beta)
	{
		double		z = (c->alpha - c->beta) / au;

		S = special_hyp2f1_1(p, a + 1.0, z, bu / au, g ? d : NULL);
		if (g)
		{
			double		dz = d[2] / S;

			g[PNBD_R] = -log_au + (d[0] + d[1]) / S - 1.0 / a;
			g[PNBD_ALPHA] = -p / au + dz * bu / (au * au);
			g[PNBD_S] = -log_bu + d[1] / S - 1.0 / a;
			g[PNBD_BETA] = -c->s / bu - dz / au;
		}
		return -p * log_au - c->s * log_bu + log(S) - log_a;
	}
	else
	{
		double		z = (c->beta - c->alpha) / bu;

		S = special_hyp2f1_1(c->s + 1.0, a + 1.0, z, au / bu, g ? d : NULL);
		if (g)
		{
			double		dz = d[2] / S;

			g[PNBD_R] = -log_au + d[1] / S - 1.0 / a;
			g[PNBD_ALPHA] = -(p - 1.0) / au - dz / bu;
			g[PNBD_S] = -log_bu + (d[0] + d[1]) / S - 1.0 / a;
			g[PNBD_BETA] = -(c->s + 1.0) / bu + dz * au / (bu * bu);
		}
		return -(p - 1.0) * log_au - (c->s + 1.0) * log_bu + log(S) - log_a;
	}
}

/*
 * The bracket of the likelihood, scaled: on return w[0] = first term,
 * w[1] = s F(t_x), w[2] = s F(t), all divided by exp(*m), and the
 * gradients of their logs in g0, g1, g2 when wanted.  Returns
 * log(bracket) = *m + log(w0 + w1 - w2).
 */
static double
pnbd_log_bracket(PnbdConsts *c, double x, double t_x, double t,
				 double w[3], double *m, double *g0, double *g1, double *g2)
{
	double		p = c->r + x;
	double		a = c->r + c->s + x;
	double		l0,
				l1,
				l2;
	double		log_at = log(c->alpha + t);
	double		log_bt = log(c->beta + t);
	double		log_a;

	l0 = -p * log_at - c->s * log_bt;
	if (g0)
	{
		g0[PNBD_R] = -log_at;
		g0[PNBD_ALPHA] = -p / (c->alpha + t);
		g0[PNBD_S] = -log_bt;
		g0[PNBD_BETA] = -c->s / (c->beta + t);
	}
	if (t_x >= t)
	{
		/* died in (t_x, t] is impossible: only the first term */
		*m = l0;
		w[0] = 1.0;
		w[1] = w[2] = 0.0;
		if (g1)
		{
			memset(g1, 0, 4 * sizeof(double));
			memset(g2, 0, 4 * sizeof(double));
		}
		return l0;
	}
	log_a = log(a);
	if (x == c->f1_x && t_x == c->f1_tx && (c->f1_has_g || !g1))
	{
		l1 = c->f1_l;
		if (g1)
			memcpy(g1, c->f1_g, 4 * sizeof(double));
	}
	else
	{
		l1 = c->log_s + pnbd_log_f(c, p, a, log_a, t_x, log(c->alpha + t_x),
								   log(c->beta + t_x), g1);
		if (g1)
		{
			g1[PNBD_S] += 1.0 / c->s;
			memcpy(c->f1_g, g1, 4 * sizeof(double));
		}
		c->f1_x = x;
		c->f1_tx = t_x;
		c->f1_has_g = g1 != NULL;
		c->f1_l = l1;
	}
	l2 = c->log_s + pnbd_log_f(c, p, a, log_a, t, log_at, log_bt, g2);
	if (g2)
		g2[PNBD_S] += 1.0 / c->s;
	*m = l0 > l1 ? l0 : l1;
	w[0] = exp(l0 - *m);
	w[1] = exp(l1 - *m);
	w[2] = exp(l2 - *m);
	if (w[2] > w[1])
		w[2] = w[1];			/* rounding when t_x is within ulps of t */
	return *m + log(w[0] + (w[1] - w[2]));
}

static double
pnbd_loglik_prepared(PnbdConsts *c, double x, double t_x, double t,
					 double *grad)
{
	double		w[3];
	double		m;
	double		g0[4],
				g1[4],
				g2[4];
	double		lb;
	double		ll;

	if (!c->valid || !pnbd_row_ok(x, t_x, t))
		goto fail;
	lb = pnbd_log_bracket(c, x, t_x, t, w, &m,
						  grad ? g0 : NULL, grad ? g1 : NULL, grad ? g2 : NULL);
	if (x != c->lgamma_x)
	{
		c->lgamma_rx = lgamma(c->r + x);
		c->lgamma_x = x;
	}
	ll = c->lgamma_rx + c->head + lb;
	if (!isfinite(ll))
		goto fail;
	if (grad)
	{
		double		bsum = w[0] + (w[1] - w[2]);
		int			i;

		for (i = 0; i < 4; i++)
			grad[i] = (w[0] * g0[i] + w[1] * g1[i] - w[2] * g2[i]) / bsum;
		if (x != c->digamma_x)
		{
			c->digamma_rx = special_digamma(c->r + x);
			c->digamma_x = x;
		}
		grad[PNBD_R] += c->digamma_rx - c->digamma_r + c->log_alpha;
		grad[PNBD_ALPHA] += c->r / c->alpha;
		grad[PNBD_S] += c->log_beta;
		grad[PNBD_BETA] += c->s / c->beta;
		for (i = 0; i < 4; i++)
			if (!isfinite(grad[i]))
				goto fail;
	}
	return ll;

fail:
	if (grad)
		grad[0] = grad[1] = grad[2] = grad[3] = NAN;
	return NAN;
}

static double
pnbd_loglik(const double par[4], double x, double t_x, double t)
{
	PnbdConsts	c;

	pnbd_prepare(par, &c);
	return pnbd_loglik_prepared(&c, x, t_x, t, NULL);
}

static double
pnbd_p_alive(const double par[4], double x, double t_x, double t)
{
	PnbdConsts	c;
	double		w[3];
	double		m;
	double		pa;

	if (!pnbd_prepare(par, &c) || !pnbd_row_ok(x, t_x, t))
		return NAN;
	if (isnan(pnbd_log_bracket(&c, x, t_x, t, w, &m, NULL, NULL, NULL)))
		return NAN;
	pa = w[0] / (w[0] + (w[1] - w[2]));
	return isfinite(pa) ? pa : NAN;
}

/*
 * (1 - (1 + q)^-e) / e, and its limit log(1 + q) at e = 0, for q >= 0:
 * with L = log1p(q) and v = -e L it is L expm1(v) / v.
 */
static double
pnbd_growth(double e, double q)
{
	double		L = log1p(q);
	double		v = -e * L;

	return v == 0.0 ? L : L * (expm1(v) / v);
}

static double
pnbd_expected_purchases_unconditional(const double par[4], double horizon)
{
	PnbdConsts	c;

	if (!pnbd_prepare(par, &c) || !(horizon >= 0.0) || isinf(horizon))
		return NAN;
	/* r beta / (alpha (s-1)) (1 - (beta/(beta+h))^(s-1)) */
	return c.r * c.beta / c.alpha * pnbd_growth(c.s - 1.0, horizon / c.beta);
}

static double
pnbd_expected_purchases(const double par[4], double horizon,
						double x, double t_x, double t)
{
	double		pa;
	double		e;

	if (!(horizon >= 0.0) || isinf(horizon))
		return NAN;
	pa = pnbd_p_alive(par, x, t_x, t);
	if (isnan(pa))
		return NAN;

	/*
	 * P(alive) (r+x) (beta+t) / ((alpha+t)(s-1)) (1 - ((beta+t)/(beta+t+h))^(s-1))
	 */
	e = pa * (par[0] + x) * (par[3] + t) / (par[1] + t)
		* pnbd_growth(par[2] - 1.0, horizon / (par[3] + t));
	return isfinite(e) ? e : NAN;
}

/*
 * P(X(h) = n).  A customer still alive at h made n purchases in (0, h]
 * with the NBD probability; one who died at tau < h made them in (0, tau]:
 *
 *	 P = K [ h^n (alpha+h)^-(r+n) (beta+h)^-s
 *			 + s int_0^h tau^n (alpha+tau)^-(r+n) (beta+tau)^-(s+1) dtau ]
 *	 K = Gamma(r+n) alpha^r beta^s / (Gamma(r) n!)
 *
 * Fader & Hardie (note 009 eq. 22) write the integral as a 2F1 minus a sum
 * of n + 1 2F1s, which cancels badly for large n or small h.  The
 * integrand is positive and analytic on (0, h], so tanh-sinh quadrature
 * (special.c) in log space computes it to near double precision instead.
 */
#define PNBD_TS_LEVELS	11		/* finest step 2^-10 */
#define PNBD_TS_MIN_LEVEL	3
#define PNBD_TS_TOL		1e-13

/* log of the integrand at tau = h w (w and 1-w given separately) */
static inline double
pnbd_pmf_log_integrand(const PnbdConsts *c, double n, double h, double w)
{
	double		tau = h * w;

	return (n > 0 ? n * log(tau) : 0.0)
		- (c->r + n) * log(c->alpha + tau) - (c->s + 1.0) * log(c->beta + tau);
}

typedef struct PnbdPmfArg
{
	const PnbdConsts *c;
	double		n;
	double		h;
	double		ref;			/* log of the integrand's largest value: the scale */
} PnbdPmfArg;

static void
pnbd_pmf_add(void *arg, double w, double dw, double *sum)
{
	PnbdPmfArg *a = (PnbdPmfArg *) arg;

	if (w <= 0.0)
		return;
	sum[0] += dw * exp(pnbd_pmf_log_integrand(a->c, a->n, a->h, w) - a->ref);
}

/* log int_0^h tau^n (alpha+tau)^-(r+n) (beta+tau)^-(s+1) dtau, over w = tau / h */
static double
pnbd_pmf_log_integral(const PnbdConsts *c, double n, double h)
{
	PnbdPmfArg	a;
	double		sum = 0.0;
	double		step;

	a.c = c;
	a.n = n;
	a.h = h;
	/* reference scale: the integrand at the right end and at its mode */
	{
		double		mode = n > 0 ? n * c->alpha / c->r : 0.0;

		a.ref = pnbd_pmf_log_integrand(c, n, h, 1.0);
		if (mode > 0 && mode < h)
			a.ref = fmax(a.ref, pnbd_pmf_log_integrand(c, n, h, mode / h));
		if (n == 0)
			a.ref = fmax(a.ref, pnbd_pmf_log_integrand(c, n, h, 0.0));
	}
	step = special_quad_de(1.0, false, PNBD_TS_MIN_LEVEL, PNBD_TS_LEVELS, PNBD_TS_TOL,
						   pnbd_pmf_add, &a, &sum);
	if (isnan(step))
		return NAN;
	return a.ref + log(h) + log(sum * step);
}

static double
pnbd_probability_of_purchases(const double par[4], int n, double horizon)
{
	PnbdConsts	c;
	double		lk;
	double		p1;
	double		li;
	double		p;

	if (!pnbd_prepare(par, &c) || n < 0 || !(horizon >= 0.0) || isinf(horizon))
		return NAN;
	if (horizon == 0.0)
		return n == 0 ? 1.0 : 0.0;
	lk = lgamma(c.r + n) - lgamma(n + 1.0) + c.head;
	p1 = n * log(horizon) - (c.r + n) * log(c.alpha + horizon)
		- c.s * log(c.beta + horizon);
	li = log(c.s) + pnbd_pmf_log_integral(&c, n, horizon);
	p = exp(lk + special_logaddexp(p1, li));
	return isfinite(p) ? p : NAN;
}

/* ----------------------------------------------------------------
 * The fit, and the model as the SQL functions see it
 * ----------------------------------------------------------------
 */

const CountModel pareto_nbd_model = {
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

static const char *const pareto_param_names[] = {"r", "alpha", "s", "beta"};

const FitModel pareto_nbd_fit_model = {
	"pareto_nbd_fit", FIT_COUNT, 4, pareto_param_names, pareto_nbd_nll, true, false,
	{false, true, false, true}, false, count_start
};
