/*
 * optimize.c
 *	  The one optimiser every model fit uses (README, "Models and predictions").
 *
 * Maximum likelihood on the log-parameters u = log(par), so every
 * parameter stays positive: Newton's method for the models with an
 * analytic Hessian (BG/NBD, MBG/NBD, Gamma-Gamma: 5-10 iterations), BFGS
 * otherwise (Pareto/NBD) and wherever Newton's method does not reach an
 * interior optimum; both with a backtracking (Armijo) line search.  The
 * objective is lifetimes' penalised mean negative log-likelihood
 *
 *	 f(u) = -LL(par) / n + penalizer * sum_k (par_k * c_k)^2
 *
 * for BG/NBD, MBG/NBD and Gamma-Gamma, and -LL(par) + penalizer * sum_k
 * (par_k * c_k)^2 for Pareto/NBD (lifetimes divides by the mean weight,
 * which is 1 for one row per customer), where c_k = 1/max(t) for the time
 * scale parameters (alpha, beta: lifetimes fits on t / max(t)) and 1
 * otherwise.  The gradient is analytic where the model has one, central
 * differences otherwise.
 *
 * Converged means the largest gradient component (in log-parameters, of
 * the mean objective) fell below FIT_GTOL, or below FIT_GTOL_LOOSE with no
 * relative decrease of f beyond FIT_FTOL (the precision of the sums).
 * Standard errors come from the observed information: the Hessian of the
 * unpenalised -LL in natural parameters at the optimum (analytic, or
 * central differences of the gradient), inverted; they are NULL when it
 * is not positive definite, and then an unpenalised fit also reports
 * converged = false (its optimum lies on the boundary of the parameter
 * space: data that do not identify the model).
 *
 * Errors: SQLSTATE 22003 (numeric_value_out_of_range) when the fit
 * diverges (a parameter runs off to 0 or infinity, or the likelihood
 * cannot be evaluated); the models raise 22000 (data_exception) for data
 * that cannot identify them before fitting.
 */
#include "postgres.h"

#include <math.h>

#include "optimize.h"
#include "miscadmin.h"

#define FIT_MAX_ITER	500
#define FIT_GTOL		1e-9	/* on the gradient of the mean objective */
#define FIT_MAX_LOG		30.0	/* |log par| beyond this: diverged */
#define FIT_MAX_STEP	3.0		/* largest step in log-parameters */
#define FIT_MAX_TRIES	40		/* halvings of the step in one line search */
#define FIT_FTOL		1e-14	/* relative decrease of f that counts as none */
#define FIT_GTOL_LOOSE	1e-5	/* ... once the gradient is below this */
#define FIT_NEWTON_ITER	50		/* Newton iterations before BFGS takes over */
#define FIT_FAR_LOG		10.0	/* Newton's optimum must lie within |log par| <= this */
#define FIT_RUNOFF_ITERS 4		/* BFGS iterations ... */
#define FIT_RUNOFF_FTOL	1e-10	/* ... that decrease f less than this, */
#define FIT_RUNOFF_STEP	0.5		/* ... while a far log-parameter moves out this much */

typedef struct FitProblem
{
	const FitModel *m;
	const FitData *d;
	double		scale[FIT_MAX_PARAMS];	/* c_k of the penalty */
	double		nll_weight;		/* 1/n or 1 */
	double		pen_weight;		/* penalizer * nll_weight scale */
	int			evals;
	/* the last analytic Hessian and where (the standard errors reuse it) */
	bool		h_valid;
	double		h_par[FIT_MAX_PARAMS];
	double		h_hess[FIT_MAX_PARAMS][FIT_MAX_PARAMS];
} FitProblem;

/*
 * -LL and its gradient in natural parameters (numeric when not analytic),
 * and its Hessian when hess is not NULL (models with an analytic Hessian).
 */
static double
fit_nll_grad(FitProblem *pb, const double *par, double *grad,
			 double (*hess)[FIT_MAX_PARAMS])
{
	int			np = pb->m->nparams;
	double		f = pb->m->nll(pb->d, par, pb->m->analytic_gradient ? grad : NULL,
							   hess);

	Assert(hess == NULL || (grad != NULL && pb->m->analytic_hessian));
	pb->evals++;
	if (hess)
	{
		pb->h_valid = isfinite(f);
		memcpy(pb->h_par, par, sizeof(double) * np);
		memcpy(pb->h_hess, hess, sizeof(pb->h_hess));
	}
	if (grad == NULL || pb->m->analytic_gradient || isnan(f))
		return f;
	for (int k = 0; k < np; k++)
	{
		double		p[FIT_MAX_PARAMS];
		double		h = 1e-6 * par[k];
		double		fp,
					fm;

		memcpy(p, par, sizeof(double) * np);
		p[k] = par[k] + h;
		fp = pb->m->nll(pb->d, p, NULL, NULL);
		p[k] = par[k] - h;
		fm = pb->m->nll(pb->d, p, NULL, NULL);
		grad[k] = (fp - fm) / (2 * h);
	}
	return f;
}

/*
 * The penalised objective f(u), its gradient in u (g may be NULL) and its
 * Hessian in u (H may be NULL; needs g and a model with an analytic
 * Hessian).  With par = exp(u): df/du_k = par_k df/dpar_k and
 * d2f/du_k du_l = par_k par_l d2f/dpar_k dpar_l + [k = l] par_k df/dpar_k.
 */
static double
fit_objective(FitProblem *pb, const double *u, double *g,
			  double (*H)[FIT_MAX_PARAMS])
{
	int			np = pb->m->nparams;
	double		par[FIT_MAX_PARAMS] = {0};
	double		grad[FIT_MAX_PARAMS] = {0};
	double		hess[FIT_MAX_PARAMS][FIT_MAX_PARAMS];
	double		f;

	for (int k = 0; k < np; k++)
	{
		if (fabs(u[k]) > FIT_MAX_LOG)
			return NAN;
		par[k] = exp(u[k]);
	}
	f = fit_nll_grad(pb, par, g ? grad : NULL, H ? hess : NULL);
	if (!isfinite(f))
		return NAN;
	f *= pb->nll_weight;
	for (int k = 0; k < np; k++)
	{
		double		sp = par[k] * pb->scale[k];

		f += pb->pen_weight * sp * sp;
		if (g)
		{
			g[k] = grad[k] * pb->nll_weight * par[k] + 2 * pb->pen_weight * sp * sp;
			if (!isfinite(g[k]))
				return NAN;
		}
		if (H)
		{
			for (int l = 0; l < np; l++)
			{
				H[k][l] = hess[k][l] * pb->nll_weight * par[k] * par[l];
				if (!isfinite(H[k][l]))
					return NAN;
			}
			H[k][k] += grad[k] * pb->nll_weight * par[k] + 4 * pb->pen_weight * sp * sp;
		}
	}
	return f;
}

static double
fit_max_abs(const double *v, int n)
{
	double		m = 0;

	for (int i = 0; i < n; i++)
		m = Max(m, fabs(v[i]));
	return m;
}

/* Invert a symmetric positive definite matrix by Cholesky; false if not PD. */
static bool
fit_invert_spd(double A[FIT_MAX_PARAMS][FIT_MAX_PARAMS], int n,
			   double Ainv[FIT_MAX_PARAMS][FIT_MAX_PARAMS])
{
	double		L[FIT_MAX_PARAMS][FIT_MAX_PARAMS];
	double		Linv[FIT_MAX_PARAMS][FIT_MAX_PARAMS];

	memset(L, 0, sizeof(L));
	memset(Linv, 0, sizeof(Linv));
	for (int i = 0; i < n; i++)
		for (int j = 0; j <= i; j++)
		{
			double		sum = A[i][j];

			for (int k = 0; k < j; k++)
				sum -= L[i][k] * L[j][k];
			if (i == j)
			{
				if (!(sum > 0))
					return false;
				L[i][i] = sqrt(sum);
			}
			else
				L[i][j] = sum / L[j][j];
		}
	for (int i = 0; i < n; i++)
	{
		Linv[i][i] = 1 / L[i][i];
		for (int j = 0; j < i; j++)
		{
			double		sum = 0;

			for (int k = j; k < i; k++)
				sum -= L[i][k] * Linv[k][j];
			Linv[i][j] = sum / L[i][i];
		}
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
		{
			double		sum = 0;

			for (int k = Max(i, j); k < n; k++)
				sum += Linv[k][i] * Linv[k][j];
			Ainv[i][j] = sum;
		}
	return true;
}

static void
fit_check_start(FitProblem *pb, double f)
{
	if (isnan(f))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: the log-likelihood cannot be evaluated at the starting point",
						pb->m->name)));
}

/*
 * One step of a descent method from u along p (slope = g'p < 0): a
 * backtracking (Armijo) line search, the step at most FIT_MAX_STEP in any
 * log-parameter.  On success u, f, g (and H when not NULL) move to the new
 * point, s receives the step and the result is FIT_STEP_OK, or
 * FIT_STEP_CONVERGED when f no longer decreases beyond the precision of
 * the sums with a small gradient; FIT_STEP_STUCK when no step decreases f
 * (*converged then says whether the gradient is small enough anyway).
 */
typedef enum FitStep
{
	FIT_STEP_OK,
	FIT_STEP_CONVERGED,
	FIT_STEP_STUCK
} FitStep;

/*
 * Converged to working precision (the loose test): the gradient is below
 * FIT_GTOL_LOOSE and no far log-parameter (|u| > FIT_FAR_LOG) would still
 * gain by moving further out.  On a likelihood whose supremum lies at the
 * boundary (e.g. Pareto/NBD's s, beta -> inf together on one-time buyers)
 * the gradient out there is tiny but points outwards: not an optimum.
 */
static bool
fit_loosely_converged(const double *u, const double *g, int np)
{
	if (!(fit_max_abs(g, np) < FIT_GTOL_LOOSE))
		return false;
	for (int k = 0; k < np; k++)
		if (fabs(u[k]) > FIT_FAR_LOG && g[k] * u[k] < 0)
			return false;
	return true;
}

static FitStep
fit_step(FitProblem *pb, double *u, double *f, double *g,
		 double (*H)[FIT_MAX_PARAMS], const double *p, double slope,
		 double *s, bool *converged)
{
	int			np = pb->m->nparams;
	double		un[FIT_MAX_PARAMS],
				gn[FIT_MAX_PARAMS],
				Hn[FIT_MAX_PARAMS][FIT_MAX_PARAMS];
	double		step = 1,
				fn = NAN,
				pmax = fit_max_abs(p, np);
	int			tries;

	if (pmax > FIT_MAX_STEP)
		step = FIT_MAX_STEP / pmax;
	for (tries = 0; tries < FIT_MAX_TRIES; tries++)
	{
		for (int i = 0; i < np; i++)
			un[i] = u[i] + step * p[i];
		fn = fit_objective(pb, un, gn, H ? Hn : NULL);
		if (!isnan(fn) && fn <= *f + 1e-4 * step * slope)
			break;
		step *= 0.5;
	}
	if (tries == FIT_MAX_TRIES || isnan(fn))
	{
		/* no decrease possible: at the optimum to working precision? */
		*converged = fit_loosely_converged(u, g, np);
		return FIT_STEP_STUCK;
	}
	for (int i = 0; i < np; i++)
	{
		s[i] = un[i] - u[i];
		u[i] = un[i];
		g[i] = gn[i];
	}
	if (H)
		memcpy(H, Hn, sizeof(Hn));
	if (*f - fn <= FIT_FTOL * fabs(*f) && fit_max_abs(g, np) < FIT_GTOL_LOOSE)
	{
		/* at the optimum to the precision of the sums, or stuck out far */
		*f = fn;
		*converged = fit_loosely_converged(u, g, np);
		return FIT_STEP_CONVERGED;
	}
	*f = fn;
	if (fit_max_abs(s, np) < 1e-15)
	{
		*converged = fit_loosely_converged(u, g, np);
		return FIT_STEP_STUCK;
	}
	return FIT_STEP_OK;
}

/* BFGS from u (updated in place); returns iterations, sets *converged. */
static int
fit_bfgs(FitProblem *pb, double *u, bool *converged)
{
	int			np = pb->m->nparams;
	double		H[FIT_MAX_PARAMS][FIT_MAX_PARAMS];	/* inverse Hessian */
	double		g[FIT_MAX_PARAMS],
				gold[FIT_MAX_PARAMS],
				p[FIT_MAX_PARAMS],
				s[FIT_MAX_PARAMS],
				y[FIT_MAX_PARAMS];
	double		f = fit_objective(pb, u, g, NULL);
	int			iter;
	bool		first = true;
	double		fhist[FIT_RUNOFF_ITERS];
	double		uhist[FIT_RUNOFF_ITERS][FIT_MAX_PARAMS];

	fit_check_start(pb, f);
	memset(H, 0, sizeof(H));
	for (int i = 0; i < np; i++)
		H[i][i] = 1;
	*converged = false;

	for (iter = 0; iter < FIT_MAX_ITER; iter++)
	{
		double		slope = 0,
					sy = 0;
		FitStep		st;

		CHECK_FOR_INTERRUPTS();
		if (fit_max_abs(g, np) < FIT_GTOL)
		{
			*converged = true;
			break;
		}
		for (int i = 0; i < np; i++)
		{
			p[i] = 0;
			for (int j = 0; j < np; j++)
				p[i] -= H[i][j] * g[j];
			slope += p[i] * g[i];
		}
		if (slope >= 0)
		{
			/* not a descent direction: restart from steepest descent */
			for (int i = 0; i < np; i++)
			{
				for (int j = 0; j < np; j++)
					H[i][j] = i == j;
				p[i] = -g[i];
			}
			slope = 0;
			for (int i = 0; i < np; i++)
				slope -= g[i] * g[i];
		}
		memcpy(gold, g, sizeof(g));
		st = fit_step(pb, u, &f, g, NULL, p, slope, s, converged);
		if (st != FIT_STEP_OK)
		{
			iter += st == FIT_STEP_CONVERGED;
			break;
		}

		/*
		 * Running off to the boundary: f no longer moving (less than
		 * FIT_RUNOFF_FTOL relative over the last FIT_RUNOFF_ITERS
		 * iterations) while a parameter far out (|log par| > FIT_FAR_LOG)
		 * still moves outwards (by more than FIT_RUNOFF_STEP in its log
		 * over those iterations).  The supremum lies at the boundary (e.g.
		 * no dropout) and every further iteration only creeps towards it,
		 * ever more slowly and, for Pareto/NBD, ever more expensively:
		 * stop, not converged.  Not for penalised fits: one whose
		 * penalised optimum lies on the boundary diverges, and says so
		 * (22003, README).
		 */
		{
			int			cur = iter % FIT_RUNOFF_ITERS,
						old = (iter + 1) % FIT_RUNOFF_ITERS;
			bool		runoff = false;

			fhist[cur] = f;
			memcpy(uhist[cur], u, sizeof(double) * np);
			if (iter >= FIT_RUNOFF_ITERS - 1 && pb->pen_weight == 0 &&
				fhist[old] - f <= FIT_RUNOFF_FTOL * fabs(f))
				for (int k = 0; k < np; k++)
					if (fabs(u[k]) > FIT_FAR_LOG &&
						fabs(u[k]) - fabs(uhist[old][k]) > FIT_RUNOFF_STEP)
						runoff = true;
			if (runoff)
			{
				*converged = false;
				iter++;
				break;
			}
		}
		for (int i = 0; i < np; i++)
		{
			y[i] = g[i] - gold[i];
			sy += s[i] * y[i];
		}
		if (sy > 1e-300)
		{
			double		Hy[FIT_MAX_PARAMS];
			double		yHy = 0;

			if (first)
			{
				/* scale the initial inverse Hessian (Nocedal & Wright 6.20) */
				double		yy = 0;

				for (int i = 0; i < np; i++)
					yy += y[i] * y[i];
				for (int i = 0; i < np; i++)
					H[i][i] = sy / yy;
				first = false;
			}
			for (int i = 0; i < np; i++)
			{
				Hy[i] = 0;
				for (int j = 0; j < np; j++)
					Hy[i] += H[i][j] * y[j];
				yHy += y[i] * Hy[i];
			}
			for (int i = 0; i < np; i++)
				for (int j = 0; j < np; j++)
					H[i][j] += ((sy + yHy) * s[i] * s[j]) / (sy * sy)
						- (Hy[i] * s[j] + s[i] * Hy[j]) / sy;
		}
	}
	if (iter == FIT_MAX_ITER)
		*converged = fit_max_abs(g, np) < FIT_GTOL;
	return iter;
}

/*
 * Newton's method from u (updated in place) for models with an analytic
 * Hessian: the step solves H p = -g, with H + lambda I (lambda growing
 * tenfold from 1e-6 of the largest diagonal element) where H is not
 * positive definite, so that p is always a descent direction.  Near the
 * optimum it converges quadratically: a handful of evaluations where BFGS
 * needs two dozen.  Returns iterations, sets *converged.
 */
static int
fit_newton(FitProblem *pb, double *u, bool *converged)
{
	int			np = pb->m->nparams;
	double		H[FIT_MAX_PARAMS][FIT_MAX_PARAMS];
	double		g[FIT_MAX_PARAMS],
				p[FIT_MAX_PARAMS],
				s[FIT_MAX_PARAMS];
	double		f = fit_objective(pb, u, g, H);
	int			iter;

	fit_check_start(pb, f);
	*converged = false;
	for (iter = 0; iter < FIT_NEWTON_ITER; iter++)
	{
		double		A[FIT_MAX_PARAMS][FIT_MAX_PARAMS],
					Ainv[FIT_MAX_PARAMS][FIT_MAX_PARAMS];
		double		lambda = 0,
					slope = 0;
		bool		pd = false;
		FitStep		st;

		CHECK_FOR_INTERRUPTS();
		if (fit_max_abs(g, np) < FIT_GTOL)
		{
			*converged = true;
			break;
		}
		for (int tries = 0; tries < 30 && !pd; tries++)
		{
			memcpy(A, H, sizeof(A));
			for (int i = 0; i < np; i++)
				A[i][i] += lambda;
			pd = fit_invert_spd(A, np, Ainv);
			if (!pd)
			{
				double		dmax = 0;

				for (int i = 0; i < np; i++)
					dmax = Max(dmax, fabs(H[i][i]));
				lambda = lambda == 0 ? 1e-6 * (1 + dmax) : 10 * lambda;
			}
		}
		for (int i = 0; i < np; i++)
		{
			p[i] = 0;
			for (int j = 0; j < np; j++)
				p[i] -= (pd ? Ainv[i][j] : i == j) * g[j];
			slope += p[i] * g[i];
		}
		st = fit_step(pb, u, &f, g, H, p, slope, s, converged);
		if (st != FIT_STEP_OK)
		{
			iter += st == FIT_STEP_CONVERGED;
			break;
		}
	}
	return iter;
}

/*
 * The Hessian of the unpenalised -LL at par in natural parameters:
 * analytic where the model has it, else central differences of the
 * gradient (symmetrised).  False when it cannot be evaluated.
 */
static bool
fit_hessian(FitProblem *pb, const double *par, double (*Hs)[FIT_MAX_PARAMS])
{
	int			np = pb->m->nparams;

	if (pb->m->analytic_hessian)
	{
		double		g[FIT_MAX_PARAMS];

		/* Newton's last evaluation is usually at the optimum itself */
		if (pb->h_valid && memcmp(par, pb->h_par, sizeof(double) * np) == 0)
		{
			memcpy(Hs, pb->h_hess, sizeof(pb->h_hess));
			return true;
		}
		return !isnan(fit_nll_grad(pb, par, g, Hs));
	}
	for (int j = 0; j < np; j++)
	{
		double		p[FIT_MAX_PARAMS];
		double		gp[FIT_MAX_PARAMS],
					gm[FIT_MAX_PARAMS];
		double		h = 1e-5 * par[j];

		memcpy(p, par, sizeof(double) * np);
		p[j] = par[j] + h;
		if (isnan(fit_nll_grad(pb, p, gp, NULL)))
			return false;
		p[j] = par[j] - h;
		if (isnan(fit_nll_grad(pb, p, gm, NULL)))
			return false;
		for (int i = 0; i < np; i++)
			Hs[i][j] = (gp[i] - gm[i]) / (2 * h);
	}
	for (int i = 0; i < np; i++)
		for (int j = 0; j < i; j++)
			Hs[i][j] = Hs[j][i] = (Hs[i][j] + Hs[j][i]) / 2;
	return true;
}

/* Standard errors from the Hessian of the unpenalised -LL at par. */
static bool
fit_standard_errors(FitProblem *pb, const double *par, double *se)
{
	int			np = pb->m->nparams;
	double		Hs[FIT_MAX_PARAMS][FIT_MAX_PARAMS];
	double		Hinv[FIT_MAX_PARAMS][FIT_MAX_PARAMS];

	if (!fit_hessian(pb, par, Hs) || !fit_invert_spd(Hs, np, Hinv))
		return false;
	for (int i = 0; i < np; i++)
		se[i] = sqrt(Hinv[i][i]);
	return true;
}

/*
 * Fit model m to data d.  Errors (22003) if the fit diverges.
 */
void
fit_run(const FitModel *m, const FitData *d, FitResult *res)
{
	FitProblem	pb;
	double		u[FIT_MAX_PARAMS] = {0};
	double		par[FIT_MAX_PARAMS] = {0};
	int			np = m->nparams;

	memset(&pb, 0, sizeof(pb));
	memset(res, 0, sizeof(*res));
	pb.m = m;
	pb.d = d;
	pb.nll_weight = 1 / d->n;
	for (int k = 0; k < np; k++)
		pb.scale[k] = m->time_scaled[k] ? 1 / d->max_b : 1;
	/* lifetimes' objective per customer: penalty as is; Pareto/NBD: penalty / n */
	pb.pen_weight = d->penalizer / (m->penalty_per_customer ? 1 : d->n);

	m->start(d, par);
	for (int k = 0; k < np; k++)
		u[k] = log(par[k]);
	if (m->analytic_hessian)
	{
		/*
		 * Newton's method, unless it fails to converge to a point well
		 * inside the parameter space: an optimum far out in some
		 * log-parameter can be the objective still falling towards the
		 * boundary (e.g. a -> 0: no dropout), where the gradient in
		 * log-parameters vanishes; BFGS from the start then decides, as
		 * for the models without a Hessian.
		 */
		double		un[FIT_MAX_PARAMS];

		memcpy(un, u, sizeof(un));
		res->iterations = fit_newton(&pb, un, &res->converged);
		if (res->converged && fit_max_abs(un, np) <= FIT_FAR_LOG)
			memcpy(u, un, sizeof(un));
		else
			res->converged = false;
	}
	if (!res->converged)
		res->iterations += fit_bfgs(&pb, u, &res->converged);

	for (int k = 0; k < np; k++)
	{
		if (fabs(u[k]) >= FIT_MAX_LOG - 1)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s did not converge: %s diverged to %g",
							m->name, m->param_names[k], exp(u[k])),
					 d->penalizer > 0 ?
					 errhint("The penalised optimum lies on the boundary of the parameter space (e.g. no dropout at all); try without a penalizer or with another one.") :
					 errhint("The data may not identify the model; a penalizer (e.g. 0.001) keeps the parameters finite.")));
		res->par[k] = exp(u[k]);
	}
	res->loglik = -m->nll(d, res->par, NULL, NULL);
	if (!isfinite(res->loglik))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s did not converge: the log-likelihood is not finite at the optimum",
						m->name)));
	res->se_valid = fit_standard_errors(&pb, res->par, res->se);
	/* without a penalizer, an optimum that is no proper maximum is not one */
	if (d->penalizer == 0 && !res->se_valid)
		res->converged = false;
	elog(DEBUG1, "%s: %d evaluations, %d iterations, %d rows", m->name, pb.evals, res->iterations, d->k);
}
