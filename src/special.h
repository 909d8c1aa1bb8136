/*
 * special.h
 *	  Special functions for the likelihoods of memval's CLV models:
 *	  log-space sums, the digamma and trigamma functions, the Gauss
 *	  hypergeometric function 2F1 and the one double-exponential quadrature.
 *
 * Everything here is plain C on doubles: no allocation, no PostgreSQL
 * calls, bounded iterations.  A function that cannot reach full double
 * precision within its iteration bound returns NaN rather than a wrong
 * number, so callers test isnan() once at the end.
 */
#ifndef MEMVAL_SPECIAL_H
#define MEMVAL_SPECIAL_H

#include <math.h>
#include <stdbool.h>

/* log(exp(a) + exp(b)), exact for -Inf arguments, no overflow. */
static inline double
special_logaddexp(double a, double b)
{
	double		m = a > b ? a : b;

	if (isinf(m))
		return isnan(a + b) ? a + b : m;	/* -Inf + -Inf, or +Inf */
	return m + log1p(exp(-fabs(a - b)));
}

/* log(exp(a) - exp(b)) for b <= a (-Inf when b == a, NaN when b > a). */
static inline double
special_logsubexp(double a, double b)
{
	if (b > a)
		return NAN;
	if (b == -INFINITY)
		return a;
	/* log(1 - e^d), d = b - a <= 0: the two accurate forms (Maechler) */
	{
		double		d = b - a;

		return a + (d > -M_LN2 ? log(-expm1(d)) : log1p(-exp(d)));
	}
}

/* digamma (psi) function, x > 0; NaN otherwise. */
extern double special_digamma(double x);

/* trigamma function psi'(x), x > 0; NaN otherwise. */
extern double special_trigamma(double x);

/*
 * S = 2F1(1, p; c; z) for 0 < p < c and 0 <= z < 1, the function the
 * Pareto/NBD likelihood reduces to (see pareto_nbd.c); omz is 1 - z as
 * the caller can compute it without cancellation (it decides the result
 * when z is within ~1e-3 of 1; pass 1.0 - z if there is nothing better).
 * Its Maclaurin series has positive terms whose ratios increase to z, so
 * it is summed directly for z <= 1/2 with a rigorous bound on the
 * remainder; for 1 - z <= 0.1 the connection formula in 1 - z (DLMF
 * 15.8.4: a series in 1 - z plus a closed-form term) is tried first, and
 * where it does not apply (c - 1 - p within 0.02 of an integer, p (1-z) >
 * 8, or its terms cancel) up to z = 0.999 Gauss's continued fraction
 * (positive partial numerators, modified Lentz) converges in about
 * 1/sqrt(1 - z) steps; closer to 1 the Euler integral is computed by
 * double-exponential quadrature (no trouble with integer c - 1 - p,
 * unlike the analytic continuation).
 *
 * When d is not NULL it receives the partial derivatives
 * d[0] = dS/dp, d[1] = dS/dc, d[2] = dS/dz: termwise on the series,
 * carried through the Lentz recurrences on the continued fraction,
 * termwise on the connection formula's series, integrals of the same integrand in the quadrature.
 * Returns NaN for arguments outside the domain or when the iteration
 * bound (SPECIAL_MAX_ITER) is hit.
 */
extern double special_hyp2f1_1(double p, double c, double z, double omz,
							   double d[3]);

/*
 * General 2F1(a, b; c; z) for real a, b, c (c not a non-positive integer)
 * and z < 1:
 *	 - |z| <= 1/2: the Maclaurin series;
 *	 - z < -1/2: Pfaff's transformation (1-z)^-a 2F1(a, c-b; c; z/(z-1))
 *	   (taking the parameter that makes the new series terminate or
 *	   converge fastest), then the series or the continued fraction;
 *	 - 1/2 < z < 1 with c = a + 1 or c = b + 1 (the Pareto/NBD family):
 *	   Euler's transformation to 2F1(1, .; c; z) and the continued fraction;
 *	 - otherwise the series, bounded by SPECIAL_MAX_ITER terms.
 * NaN when the result cannot be computed to near double precision.
 */
extern double special_hyp2f1(double a, double b, double c, double z);

/*
 * Double-exponential quadrature over [0, vk] by the tanh-sinh rule
 * v = vk (1 + tanh(pi/2 sinh x)) / 2 and, when tail, also over [vk, inf)
 * by the exp-sinh rule v = vk + exp(pi/2 sinh x), on abscissae x in
 * [-SPECIAL_QUAD_XMAX, SPECIAL_QUAD_XMAX] with the step halved from 1.  At
 * every node add(arg, v, wv, sum) adds wv f(v) (f scaled as the caller
 * likes, e.g. exp(log f - its maximum)) to sum[0], and anything else it
 * integrates alongside to sum[1..].  Stops when two successive estimates
 * of the integral agree within tol (relative), from level min_level on,
 * and returns the step of that level (the integrals are sum[] * step);
 * NaN when max_levels levels do not converge.  sum[] starts at zero.
 */
#define SPECIAL_QUAD_XMAX	4.0

typedef void (*SpecialQuadAdd) (void *arg, double v, double wv, double *sum);

extern double special_quad_de(double vk, bool tail, int min_level, int max_levels,
							  double tol, SpecialQuadAdd add, void *arg, double *sum);

/* Iteration bound of every series and continued fraction here. */
#define SPECIAL_MAX_ITER	100000

#endif							/* MEMVAL_SPECIAL_H */
