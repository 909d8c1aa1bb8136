/*
 * optimize.h
 *	  The one optimiser every model fit uses (optimize.c): the data a fit
 *	  sees, the model descriptor and the result.
 *
 * A fit aggregate (bgnbd_fit, mbgnbd_fit, pareto_nbd_fit, gamma_gamma_fit)
 * collects its rows into a fit_state (fit_state.c): one entry per distinct
 * row with a count.  Its final function (models.c, gamma_gamma.c) turns
 * the state into a FitData (rows sorted, so the fit is bit-identical
 * whatever the plan) and hands it with the model's FitModel (bgnbd.c,
 * pareto_nbd.c, gamma_gamma.c) to fit_run(), which maximises the
 * log-likelihood on log-parameters (Newton's method with the model's
 * analytic Hessian, or BFGS) and computes standard errors.
 */
#ifndef MEMVAL_OPTIMIZE_H
#define MEMVAL_OPTIMIZE_H

#include "postgres.h"

#include "fmgr.h"

#define FIT_MAX_PARAMS	4

/* Which rows a state holds. */
typedef enum FitKind
{
	FIT_COUNT = 1,				/* (x, t_x, t): BG/NBD, MBG/NBD, Pareto/NBD */
	FIT_SPEND = 2				/* (x, m): Gamma-Gamma */
} FitKind;

/*
 * The rows a fit sees: K distinct rows sorted by (x, a, b), each with its
 * weight (the number of customers).  For FIT_COUNT a = t_x and b = t; for
 * FIT_SPEND a = m and b = 0.
 */
typedef struct FitData
{
	int			k;				/* distinct rows */
	double	   *x;
	double	   *a;
	double	   *b;
	double	   *w;				/* customers per distinct row */
	double		n;				/* sum of w */
	double		max_b;			/* largest t (FIT_COUNT) */

	/*
	 * The distinct values of a and of b (few when times are whole days):
	 * a[i] = ua[ia[i]], b[i] = ub[ib[i]], so that a likelihood can compute
	 * log(alpha + t) once per distinct t.  lua, lub: scratch arrays of
	 * nua and nub doubles for such per-value terms (twice that, for a
	 * second term per value).  FIT_COUNT only: for FIT_SPEND (which reads
	 * x, a, w and log_a) they are 0 and NULL.
	 */
	int			nua;
	int			nub;
	double	   *ua;
	double	   *ub;
	int32	   *ia;
	int32	   *ib;
	double	   *lua;
	double	   *lub;
	double	   *log_a;			/* FIT_SPEND: log(a[i]) = log m (a > 0 there) */
	int64		skipped;		/* rows the fit skipped (FIT_SPEND) */
	bool		has_penalizer;
	double		penalizer;
} FitData;

/*
 * Negative log-likelihood (total over the weighted rows, unpenalised) at
 * natural parameters par; when grad is not NULL and the model has an
 * analytic gradient, also d(-LL)/d(par); when hess is not NULL (then grad
 * is not NULL either) and the model has an analytic Hessian, also
 * d2(-LL)/d(par)2.  NaN when it cannot be computed.
 */
typedef double (*FitNllFn) (const FitData *d, const double *par, double *grad,
							double (*hess)[FIT_MAX_PARAMS]);

typedef struct FitModel
{
	const char *name;			/* SQL name of the aggregate, for errors */
	FitKind		kind;			/* the rows it fits: FIT_COUNT or FIT_SPEND */
	int			nparams;
	const char *const *param_names;
	FitNllFn	nll;
	bool		analytic_gradient;	/* nll fills grad */
	bool		analytic_hessian;	/* nll fills hess: fit by Newton's method */
	/* lifetimes' penalty: parameters divided by max(t) before squaring */
	bool		time_scaled[FIT_MAX_PARAMS];
	/* lifetimes divides the log-likelihood by n (true) or not (Pareto/NBD) */
	bool		penalty_per_customer;
	/* starting point */
	void		(*start) (const FitData *d, double *par);
} FitModel;

typedef struct FitResult
{
	double		par[FIT_MAX_PARAMS];
	double		se[FIT_MAX_PARAMS];
	bool		se_valid;
	double		loglik;			/* unpenalised, at par */
	int			iterations;
	bool		converged;
} FitResult;

/* Maximise the log-likelihood of m on d (ERROR 22003 if it diverges). */
extern void fit_run(const FitModel *m, const FitData *d, FitResult *res);

#endif							/* MEMVAL_OPTIMIZE_H */
