/*
 * pareto_nbd.h
 *	  The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) in plain
 *	  C: per-customer log-likelihood with its gradient, and predictions.
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
 */
#ifndef MEMVAL_PARETO_NBD_H
#define MEMVAL_PARETO_NBD_H

#include <stdbool.h>

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

/* Fill *c from par; false (and c->valid = false) if par is invalid. */
extern bool pnbd_prepare(const double par[4], PnbdConsts *c);

/*
 * Log-likelihood of one customer (x, t_x, t); when grad is not NULL it
 * receives d loglik / d(r, alpha, s, beta) (analytic; multiply by par[i]
 * for the gradient in log-parameters).  Cost: two 2F1 evaluations (a
 * few dozen series terms or continued-fraction steps each in usual fits)
 * and a handful of logs; lgamma and digamma once per distinct x (cached).
 * About 110 ns per row (150 ns with the gradient) at the CDNOW estimates.
 */
extern double pnbd_loglik_prepared(PnbdConsts *c, double x, double t_x,
								   double t, double *grad);

/* Convenience forms of the above (prepare on every call). */
extern double pnbd_loglik(const double par[4], double x, double t_x, double t);
extern void pnbd_loglik_grad(const double par[4], double x, double t_x,
							 double t, double grad[4]);

/* P(alive at t | x, t_x, t), in (0, 1]. */
extern double pnbd_p_alive(const double par[4], double x, double t_x, double t);

/*
 * E[X(t, t + horizon) | x, t_x, t]: expected repeat purchases in the next
 * horizon time units of a customer with this history (Fader & Hardie
 * note 009 eq. 41; lifetimes' conditional_expected_number_of_purchases_
 * up_to_time).  s = 1 is handled by its limit.
 */
extern double pnbd_expected_purchases(const double par[4], double horizon,
									  double x, double t_x, double t);

/* E[X(horizon)] for a new customer: r beta / (alpha (s-1)) (1 - (beta/(beta+horizon))^(s-1)). */
extern double pnbd_expected_purchases_unconditional(const double par[4],
													double horizon);

/*
 * P(X(horizon) = n) for a new customer (Fader & Hardie note 009 eq. 22),
 * n >= 0: the probability of exactly n purchases in (0, horizon].
 */
extern double pnbd_probability_of_purchases(const double par[4], int n,
											double horizon);

#endif							/* MEMVAL_PARETO_NBD_H */
