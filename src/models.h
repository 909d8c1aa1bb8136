/*
 * models.h
 *	  The BTYD models: BG/NBD and MBG/NBD (bgnbd.c), Pareto/NBD
 *	  (pareto_nbd.c), Gamma-Gamma (gamma_gamma.c), what their SQL values
 *	  share (models.c) and the predictive clv() (clv_predictive.c).
 *
 * A count model is two descriptors: its FitModel for the fit (optimize.h)
 * and its CountModel, the per-customer numerics the SQL functions call.
 */
#ifndef MEMVAL_MODELS_H
#define MEMVAL_MODELS_H

#include "optimize.h"

/*
 * A count model as the SQL functions see it: per-customer numerics on
 * natural parameters par[4].  Each returns NaN when it cannot compute.
 */
typedef struct CountModel
{
	const char *type_name;
	double		(*loglik) (const double *par, double x, double tx, double t);
	double		(*expected) (const double *par, double h, double x, double tx, double t);
	double		(*expected_uncond) (const double *par, double h);
	double		(*p_alive) (const double *par, double x, double tx, double t);
	double		(*prob) (const double *par, int n, double h);
} CountModel;

/* bgnbd.c */
extern const CountModel bgnbd_model;
extern const CountModel mbgnbd_model;
extern const FitModel bgnbd_fit_model;
extern const FitModel mbgnbd_fit_model;

/* pareto_nbd.c */
extern const CountModel pareto_nbd_model;
extern const FitModel pareto_nbd_fit_model;

/*
 * The starting point of the count model fits: r = 1, alpha from the mean
 * purchase rate (E[lambda] = r/alpha), a = 1, and the mean t for the
 * fourth parameter (Pareto/NBD's beta; BG/NBD sets b = 1).
 */
static inline void
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
	par[3] = st > 0 ? st / d->n : 1;
}

/* ----------------------------------------------------------------
 * models.c
 * ----------------------------------------------------------------
 */

/*
 * The model row of a fit: parameters, loglik, n, [skipped,] iterations,
 * converged, standard errors, in the column order of the SQL types.
 */
extern Datum model_from_fit(FunctionCallInfo fcinfo, const FitModel *m,
							const FitData *d, const FitResult *res);

/* A model value from known parameters (the SQL constructors). */
extern Datum model_from_params(FunctionCallInfo fcinfo, int nparams,
							   const char *type_name);

/*
 * The first nparams columns of the model value in argument argno (0 or
 * 1: a prediction reads at most two models), validated, cached in fn_extra.
 */
extern void model_params(FunctionCallInfo fcinfo, int argno, int nparams,
						 double *par, const char *type_name);

/* v, or ERROR (22003) naming what could not be computed. */
extern float8 model_finite_result(double v, const char *what);

/* ----------------------------------------------------------------
 * gamma_gamma.c
 * ----------------------------------------------------------------
 */

/*
 * Expected spend per purchase of a customer with x repeat purchases of
 * mean value m (m_isnull allowed when x = 0) under the Gamma-Gamma model
 * in argument argno; false when the answer is NULL.
 */
extern bool gamma_gamma_spend(FunctionCallInfo fcinfo, int argno, double x,
							  bool m_isnull, double m, double *spend);

#endif							/* MEMVAL_MODELS_H */
