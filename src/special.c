/*
 * special.c
 *	  Special functions for the CLV likelihoods: log-sum-exp, digamma,
 *	  trigamma and the Gauss hypergeometric function 2F1 (see special.h).
 *
 * The Pareto/NBD likelihood only needs 2F1(a, b; a + 1; z), an incomplete
 * beta function in disguise.  Euler's transformation turns it into
 * (1 - z)^(1 - b) 2F1(1, a + 1 - b; a + 1; z), and 2F1(1, p; c; z) with
 * 0 < p < c and 0 <= z < 1 is easy to get right: its series has positive
 * terms whose ratios (p + n) z / (c + n) increase towards z, and Gauss's
 * continued fraction for it has positive partial numerators.  So the
 * hard cases of a general 2F1 (z near 1, cancellation, integer parameter
 * differences) never arise there.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "special.h"

/* Relative precision the sums aim at. */
#define SPECIAL_EPS		(DBL_EPSILON / 4)

/*
 * digamma: recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the
 * asymptotic series (error below 1e-17 there).
 */
double
special_digamma(double x)
{
	double		acc = 0.0;
	double		x2;

	if (!(x > 0.0) || isinf(x))
		return isinf(x) && x > 0 ? INFINITY : NAN;
	while (x < 10.0)
	{
		acc -= 1.0 / x;
		x += 1.0;
	}
	x2 = 1.0 / (x * x);
	return acc + log(x) - 0.5 / x
		- x2 * (1.0 / 12 - x2 * (1.0 / 120 - x2 * (1.0 / 252 - x2 * (1.0 / 240 - x2 * (1.0 / 132)))));
}

/*
 * trigamma: recurrence psi1(x) = psi1(x + 1) + 1/x^2 up to x >= 10, then
 * the asymptotic series 1/x + 1/(2x^2) + sum_k B_2k / x^(2k+1) (relative
 * error below 1e-15 there).
 */
double
special_trigamma(double x)
{
	double		acc = 0.0;
	double		x2;

	if (!(x > 0.0) || isinf(x))
		return isinf(x) && x > 0 ? 0.0 : NAN;
	while (x < 10.0)
	{
		acc += 1.0 / (x * x);
		x += 1.0;
	}
	x2 = 1.0 / (x * x);
	return acc + 1.0 / x + 0.5 * x2
		+ x2 / x * (1.0 / 6 - x2 * (1.0 / 30 - x2 * (1.0 / 42 - x2 * (1.0 / 30 - x2 * (5.0 / 66 - x2 * (691.0 / 2730))))));
}

/*
 * Series of 2F1(1, p; c; z): sum_n t_n with t_0 = 1, t_{n+1} = t_n (p+n) z
 * / (c+n).  With 0 < p < c the ratios increase towards z, so the remainder
 * after t_n is below t_{n+1} / (1 - z).  The derivatives are the termwise
 * ones: d t_n/dp = t_n sum_{k<n} 1/(p+k), d t_n/dc = -t_n sum_{k<n}
 * 1/(c+k), d S/dz = sum_n t_{n+1} (n+1) / z.
 */
static double
hyp2f1_1_series(double p, double c, double z, double d[3])
{
	double		s = 1.0;
	double		t = 1.0;
	double		hp = 0.0,
				hc = 0.0;
	double		sp = 0.0,
				sc = 0.0,
				sz = 0.0;
	double		tol = SPECIAL_EPS * (1.0 - z);
	int			n;

	for (n = 0; n < SPECIAL_MAX_ITER; n++)
	{
		double		inv_c = 1.0 / (c + n);
		double		ratio = (p + n) * inv_c;

		/* t_{n+1} */
		if (d)
		{
			hp += 1.0 / (p + n);
			hc += inv_c;
			sz += t * ratio * (n + 1);
		}
		t *= ratio * z;
		s += t;
		if (d)
		{
			sp += t * hp;
			sc += t * hc;
		}
		/* the derivative sums carry weights growing like n: stricter test */
		if (t <= tol * s && (!d || t * (n + 2) * (hp + hc + 1.0) <= tol * s))
			break;
	}
	if (n == SPECIAL_MAX_ITER)
		return NAN;
	if (d)
	{
		d[0] = sp;
		d[1] = -sc;
		d[2] = sz;
	}
	return s;
}

/*
 * Gauss's continued fraction for 2F1(p, 1; c; z) (the ratio
 * 2F1(a, b+1; c+1; z) / 2F1(a, b; c; z) with a = p, b = 0, c -> c - 1):
 *
 *	 S = 1 / (1 - k1 z / (1 - k2 z / (1 - k3 z / ...)))
 *	 k_{2m+1} = (p + m)(c - 1 + m) / ((c - 1 + 2m)(c + 2m))
 *	 k_{2m}	  = m (c - 1 - p + m) / ((c + 2m - 2)(c + 2m - 1))
 *
 * All k are positive for 0 < p < c and tend to 1/4, so for 0 <= z < 1 the
 * tails stay in (1, 2): no cancellation.  Modified Lentz evaluation; when
 * d is not NULL the derivatives in (p, c, z) are carried along (forward
 * mode through the Lentz recurrences), and the iteration also waits for
 * them to settle.
 */
static double
hyp2f1_1_cf(double p, double c, double z, double d[3])
{
	const double tiny = 1e-300;

	/* S = 1/g, g = 1 + a_1/(1 + a_2/(1 + ...)), a_j = -k_j z (b0 = 1) */
	double		g = 1.0,
				C = 1.0,
				D = 0.0;
	double		dg[3] = {0, 0, 0},
				dC[3] = {0, 0, 0},
				dD[3] = {0, 0, 0},
				da[3];
	int			j,
				i,
				extra = 0;

	for (j = 1; j < SPECIAL_MAX_ITER; j++)
	{
		double		delta;
		double		a,
					k,
					kp,
					kc;
		int			m;
		double		Cprev = C,
					Dprev = D,
					gprev = g;
		bool		settled = true;

		/* k_j and its derivatives, one division each */
		if (j % 2 == 1)
		{
			m = (j - 1) / 2;
			if (m == 0)
			{
				/* k1 = p / c, also for c <= 1 */
				double		inv = 1.0 / c;

				k = p * inv;
				kp = inv;
				kc = -k * inv;
			}
			else
			{
				double		A = c - 1.0 + m,
							B = c - 1.0 + 2 * m,
							E = c + 2 * m;
				double		inv = 1.0 / (B * E);

				kp = A * inv;
				k = (p + m) * kp;
				/* k (1/A - 1/B - 1/E) */
				kc = (p + m) * inv * inv * (B * E - A * (B + E));
			}
		}
		else
		{
			double		E1,
						E2,
						inv;

			m = j / 2;
			E1 = c + 2 * m - 2.0;
			E2 = c + 2 * m - 1.0;
			inv = 1.0 / (E1 * E2);
			k = m * (c - 1.0 - p + m) * inv;
			kp = -m * inv;
			kc = m * inv - k * (E1 + E2) * inv;
		}
		a = -k * z;

		{
			double		invC = 1.0 / Cprev;

			D = 1.0 + a * Dprev;
			C = 1.0 + a * invC;
			if (D == 0.0)
				D = tiny;
			if (C == 0.0)
				C = tiny;
			D = 1.0 / D;
			delta = C * D;
			g = gprev * delta;
			if (d)
			{
				da[0] = -kp * z;
				da[1] = -kc * z;
				da[2] = -k;
				for (i = 0; i < 3; i++)
				{
					double		dCi = (da[i] - a * dC[i] * invC) * invC;
					double		dDi = -D * D * (da[i] * Dprev + a * dD[i]);
					double		dgi = dg[i] * delta + gprev * (dCi * D + C * dDi);

					if (fabs(dgi - dg[i]) > SPECIAL_EPS * 16 * fabs(dgi))
						settled = false;
					dC[i] = dCi;
					dD[i] = dDi;
					dg[i] = dgi;
				}
			}
		}
		/* the derivatives get at most 64 more steps to settle */
		if (fabs(delta - 1.0) <= 2 * DBL_EPSILON && (settled || ++extra > 64))
		{
			if (d)
				for (i = 0; i < 3; i++)
					d[i] = -dg[i] / (g * g);
			return 1.0 / g;
		}
	}
	return NAN;
}

/*
 * Very close to z = 1 the continued fraction needs ~1/sqrt(1-z) steps, and
 * the analytic continuation to 1-z has poles at integer c-1-p (a common
 * case: s = 1, r = 1).  There the Euler integral is used instead: with
 * y = e^-v in 2F1(p, 1; c; z) = (c-1) int_0^1 (1-y)^(c-2) (1-zy)^-p dy,
 * and 1 - z + z e^-v = e^-v (1 + omz (e^v - 1)),
 *
 *	 S = (c-1) int_0^inf exp(-e v - p log1p(omz expm1(v))) dv,  e = c-1-p,
 *
 * a positive, smooth integrand (omz = 1-z is passed by the caller, who
 * can compute it without cancellation), integrated by the tanh-sinh rule
 * up to the kink v = log(z/omz) and the exp-sinh rule beyond, halving the
 * step until two levels agree.  In this form the exponent carries no
 * cancellation between (c-1) v and p log(...) (with p in the millions, as
 * when a Pareto/NBD fit runs off to s, beta -> inf, that cancellation
 * cost 8 digits).  The derivatives are integrals of the same integrand
 * times v - log1p(omz expm1(v)) (p), 1/(c-1) - v (c) and p expm1(v) /
 * (1 + omz expm1(v)) (z).
 */
#define QUAD_LEVELS		8
#define QUAD_CUT		40.0	/* e^-40 of the scale: negligible */
#ifndef QUAD_TOL
#define QUAD_TOL		1e-13
#endif

typedef struct Hyp2f1QuadArg
{
	double		p,
				e,				/* c - 1 - p */
				omz,
				ref;			/* log of the integrand's maximum: the scale */
	bool		derivs;
} Hyp2f1QuadArg;

/*
 * log of the integrand at v (without the (c-1) factor); l = log1p(omz
 * expm1(v)), dz = expm1(v) / (1 + omz expm1(v)).  Beyond v = 700 (expm1
 * would overflow) 1 + omz expm1(v) is omz e^v to double precision.
 */
static inline double
quad_log_integrand(double p, double e, double omz, double v, double *l, double *dz)
{
	if (v <= 700.0)
	{
		double		em = expm1(v);

		*l = log1p(omz * em);
		*dz = em / (1.0 + omz * em);
	}
	else
	{
		*l = v + log(omz);
		*dz = 1.0 / omz;
	}
	return -e * v - p * *l;
}

/* d/dv of quad_log_integrand: -e - p omz e^v / (1 + omz expm1(v)) */
static inline double
quad_log_slope(double p, double e, double omz, double v)
{
	double		ev;

	if (v > 700.0)
		return -e - p;			/* c - 1 > 0 */
	ev = exp(v);
	return -e - p * omz * ev / (1.0 + omz * (ev - 1.0));
}

static void
hyp2f1_1_quad_add(void *arg, double v, double wv, double *sum)
{
	Hyp2f1QuadArg *q = (Hyp2f1QuadArg *) arg;
	double		l,
				dz;
	double		lf = quad_log_integrand(q->p, q->e, q->omz, v, &l, &dz) - q->ref;
	double		f;

	/* exp() underflows to 0 here anyway, but through libm's slow error path */
	if (lf < -746.0)
		return;
	f = wv * exp(lf);
	if (f == 0.0)
		return;
	sum[0] += f;
	if (q->derivs)
	{
		sum[1] += f * (v - l);
		sum[2] -= f * v;
		sum[3] += f * dz;
	}
}

static double
hyp2f1_1_quad(double p, double c, double z, double omz, double d[3])
{
	Hyp2f1QuadArg q;
	double		vk = log(z / omz);	/* the kink: omz = z e^-v */
	double		l,
				dz;
	double		sum[4] = {0, 0, 0, 0};
	double		step,
				hi;
	bool		tail;
	int			i;
	double		tol = QUAD_TOL;

	if (!(c > 1.0) || !(vk > 0.0))
		return NAN;
	q.p = p;
	q.e = c - 1.0 - p;
	q.omz = omz;
	q.derivs = d != NULL;
	/* scale: the integrand's maximum, at v = 0 or at the kink */
	q.ref = fmax(quad_log_integrand(p, q.e, omz, 0.0, &l, &dz),
				 quad_log_integrand(p, q.e, omz, vk, &l, &dz));

	/*
	 * Two pieces, each smooth up to its ends: [0, vk] and [vk, inf).  With
	 * large p the integrand is negligible long before the kink (p = 3e7,
	 * 1 - z = 1.6e-7: e^-250 at v = 4, the kink at 15.6): then only [0, V]
	 * with V the first of 1, 2, 4, ... where the integrand has fallen below
	 * e^-QUAD_CUT of the scale and decreases (log f is concave, so it only
	 * falls further), which takes far fewer levels.
	 */
	hi = vk;
	tail = true;
	if (quad_log_integrand(p, q.e, omz, vk, &l, &dz) - q.ref < -QUAD_CUT)
	{
		double		v = fmin(1.0, vk);

		/* dS/dz's integrand carries a factor up to e^v: cut that one too */
		double		w1 = d ? 1.0 : 0.0;

		while (v < vk &&
			   !(quad_log_integrand(p, q.e, omz, v, &l, &dz) + w1 * v - q.ref < -QUAD_CUT &&
				 quad_log_slope(p, q.e, omz, v) + w1 < 0.0))
			v *= 2.0;
		if (v < vk)
		{
			hi = v;
			tail = false;
		}
	}
	step = special_quad_de(hi, tail, 2, QUAD_LEVELS, tol, hyp2f1_1_quad_add, &q, sum);
	if (isnan(step))
		return NAN;
	{
		double		scale = (c - 1.0) * step * exp(q.ref);
		double		S = sum[0] * scale;

		if (d)
		{
			d[0] = sum[1] * scale;
			d[1] = S / (c - 1.0) + sum[2] * scale;
			d[2] = p * sum[3] * scale;
			for (i = 0; i < 3; i++)
				if (!isfinite(d[i]))
					return NAN;
		}
		return isfinite(S) ? S : NAN;
	}
}

/* ----------------------------------------------------------------
 * Double-exponential quadrature
 * ----------------------------------------------------------------
 */

/*
 * The abscissae and weights of both rules do not depend on the integrand,
 * so they are computed once per backend, level by level as levels are
 * first asked for: for node x, the tanh-sinh point u = (1 + tanh(pi/2
 * sinh x)) / 2 = 1 / (1 + e^(-pi sinh x)) and its weight du/dx, the
 * exp-sinh point e = exp(pi/2 sinh x) and its weight de/dx.  Level l's
 * nodes are quad_nodes[quad_first[l] .. quad_first[l + 1]), in the order
 * x = 0 (level 0 only), then -xk, +xk for xk ascending.  Level 0 has the 9
 * nodes 0, +-1, ..., +-4, level l > 0 the 2^(l+2) odd multiples of 2^-l.
 */
#define QUAD_MAX_LEVELS		11
#define QUAD_NODES			(9 + 4 * ((1 << QUAD_MAX_LEVELS) - 2))

typedef struct QuadNode
{
	double		ts_u;
	double		ts_w;
	double		es_e;
	double		es_w;
} QuadNode;

static QuadNode quad_nodes[QUAD_NODES];
static int	quad_first[QUAD_MAX_LEVELS + 1];
static int	quad_ready = 0;		/* levels computed */

static void
quad_init_level(int level)
{
	double		step = ldexp(1.0, -level);
	double		k0 = level == 0 ? 0.0 : step;
	double		inc = level == 0 ? step : 2.0 * step;
	int			n = level == 0 ? 0 : quad_first[level];

	Assert(level == quad_ready && level < QUAD_MAX_LEVELS);
	for (double xk = k0; xk <= SPECIAL_QUAD_XMAX; xk += inc)
		for (int sgn = (xk == 0.0 ? 1 : -1); sgn <= 1; sgn += 2)
		{
			double		x = sgn * xk;
			double		sh = M_PI_2 * sinh(x);
			double		chx = cosh(x);
			double		ch = cosh(sh);
			double		e = exp(sh);

			Assert(n < QUAD_NODES);
			quad_nodes[n].ts_u = 1.0 / (1.0 + exp(-2.0 * sh));
			quad_nodes[n].ts_w = M_PI_4 * chx / (ch * ch);
			quad_nodes[n].es_e = e;
			quad_nodes[n].es_w = M_PI_2 * chx * e;
			n++;
		}
	quad_first[level + 1] = n;
	quad_ready = level + 1;
}

double
special_quad_de(double vk, bool tail, int min_level, int max_levels, double tol,
				SpecialQuadAdd add, void *arg, double *sum)
{
	double		prev = NAN;
	double		step = 1.0;
	int			level;

	Assert(max_levels <= QUAD_MAX_LEVELS);
	for (level = 0; level < max_levels; level++)
	{
		double		est;

		if (level >= quad_ready)
			quad_init_level(level);
		for (int n = quad_first[level]; n < quad_first[level + 1]; n++)
		{
			const QuadNode *q = &quad_nodes[n];

			double		wv = vk * q->ts_w;

			/* tanh-sinh over [0, vk] (wv underflows only for tiny vk) */
			if (wv != 0.0)
				add(arg, vk * q->ts_u, wv, sum);
			/* exp-sinh over [vk, inf) */
			if (tail)
				add(arg, vk + q->es_e, q->es_w, sum);
		}
		est = sum[0] * step;
		if (level >= min_level && fabs(est - prev) <= tol * est)
			return step;
		prev = est;
		step *= 0.5;
	}
	return NAN;
}

/*
 * Near z = 1, the connection formula in w = 1 - z (DLMF 15.8.4 with a = 1,
 * b = p; 2F1(c-1, c-p; c-p; w) = z^(1-c)), e = c - 1 - p not an integer:
 *
 *	 S = (c-1)/e 2F1(1, p; 1-e; w) + Gamma(c) Gamma(-e) / Gamma(p) w^e z^(1-c)
 *
 * The series in w needs ~log(eps)/log(w) terms where the continued
 * fraction needs ~18/sqrt(w) steps and the quadrature hundreds of
 * integrand evaluations.  Near integer e both terms have poles that cancel
 * (DLMF 15.8.10 gives the limit); there, and wherever the two terms or
 * the terms of the series cancel by more than CONN_MAX_CANCEL, this
 * returns NaN and the caller falls back to the continued fraction or the
 * quadrature.  Gamma(-e) comes from the reflection formula, its digamma
 * from psi(-e) = psi(1+e) + pi cot(pi e).  The constants that depend on p
 * and c only are kept for the next call: the fits ask for one (p, c) per
 * distinct x, row after row.
 *
 * Derivatives: with F1 = sum_n t_n, t_n = (p)_n / (1-e)_n w^n,
 * d t_n/dp = t_n sum_{k<n} (1/(p+k) - 1/(1-e+k)), d t_n/dc = t_n
 * sum_{k<n} 1/(1-e+k), d t_n/dw = n t_n / w; and the second term's log
 * has d/dp = psi(-e) - psi(p) - log w, d/dc = psi(c) - psi(-e) + log w -
 * log z, d/dz = -e/w + (1-c)/z.
 */
#define CONN_WMAX		0.1		/* used for w = 1 - z at most this */
#define CONN_MIN_DIST	0.02	/* e at least this far from an integer */
#define CONN_MAX_CANCEL	16.0	/* sum of magnitudes / result */
#define CONN_MAX_TERMS	400
#define CONN_MAX_PW		8.0		/* p w at most this */

typedef struct ConnConsts
{
	double		p,
				c;				/* the arguments these are for (NaN: none) */
	double		log_g2;			/* log |Gamma(c) Gamma(-e) / Gamma(p)| */
	double		sign_g2;		/* its sign */
	double		dp_g2;			/* psi(-e) - psi(p) */
	double		dc_g2;			/* psi(c) - psi(-e) */
} ConnConsts;

static ConnConsts conn_cache = {NAN, NAN, 0, 0, 0, 0};

static double
hyp2f1_1_conn(double p, double c, double z, double w, double d[3])
{
	double		e = c - 1.0 - p;
	double		b1 = 1.0 - e;
	double		s = 1.0,
				sabs = 1.0,
				t = 1.0;
	double		hp = 0.0,
				hb = 0.0,
				sp = 0.0,
				sc = 0.0,
				sw = 0.0;
	double		log_w,
				T1,
				T2,
				S;
	int			n;

	/* with p w large the series' terms grow to ~e^(p w) and T1, T2 cancel */
	if (!(w > 0.0 && w <= CONN_WMAX) || fabs(e - rint(e)) < CONN_MIN_DIST ||
		p * w > CONN_MAX_PW)
		return NAN;
	if (p != conn_cache.p || c != conn_cache.c)
	{
		double		sin_pe = sin(M_PI * e);
		double		psi_me = special_digamma(1.0 + e) + M_PI * cos(M_PI * e) / sin_pe;

		/* Gamma(-e) = -pi / (sin(pi e) Gamma(1 + e)) */
		conn_cache.log_g2 = lgamma(c) - lgamma(p) + log(M_PI) - log(fabs(sin_pe)) - lgamma(1.0 + e);
		conn_cache.sign_g2 = sin_pe > 0.0 ? -1.0 : 1.0;
		if (d)
		{
			conn_cache.dp_g2 = psi_me - special_digamma(p);
			conn_cache.dc_g2 = special_digamma(c) - psi_me;
		}
		else
			conn_cache.dp_g2 = conn_cache.dc_g2 = NAN;
		conn_cache.p = p;
		conn_cache.c = c;
	}
	else if (d && isnan(conn_cache.dp_g2))
	{
		double		psi_me = special_digamma(1.0 + e) + M_PI / tan(M_PI * e);

		conn_cache.dp_g2 = psi_me - special_digamma(p);
		conn_cache.dc_g2 = special_digamma(c) - psi_me;
	}

	/* F1 = 2F1(1, p; 1-e; w) = sum_n (p)_n / (1-e)_n w^n */
	for (n = 0; n < CONN_MAX_TERMS; n++)
	{
		double		inv_b = 1.0 / (b1 + n);
		double		rho;

		if (d)
		{
			hp += 1.0 / (p + n);
			hb += inv_b;
		}
		t *= (p + n) * inv_b * w;
		s += t;
		sabs += fabs(t);
		if (d)
		{
			sp += t * (hp - hb);
			sc += t * hb;
			sw += t * (n + 1);
		}
		/* from here on every ratio is at most rho: the remainder is bounded */
		if (b1 + n + 1 > 0.0)
		{
			rho = w * fmax(1.0, (p + n + 1) / (b1 + n + 1));
			if (rho < 1.0 &&
				fabs(t) * rho <= SPECIAL_EPS * fabs(s) * (1.0 - rho) &&
				(!d ||
				 (fabs(t) * rho * (n + 2) * (fabs(hp) + fabs(hb) + 1.0 / fabs(b1 + n + 1) + 1.0)
				  <= SPECIAL_EPS * fabs(s) * (1.0 - rho) &&
				  fabs(t) * rho * (n + 2) <= SPECIAL_EPS * fabs(sw) * (1.0 - rho) * (1.0 - rho))))
				break;
		}
	}
	if (n == CONN_MAX_TERMS || !(sabs <= CONN_MAX_CANCEL * fabs(s)))
		return NAN;

	log_w = log(w);
	T1 = (c - 1.0) / e * s;
	T2 = conn_cache.sign_g2 *
		exp(conn_cache.log_g2 + e * log_w + (1.0 - c) * log1p(-w));
	S = T1 + T2;
	if (!(S > 0.0) || !isfinite(S) || !(fabs(T1) + fabs(T2) <= CONN_MAX_CANCEL * S))
		return NAN;
	if (d)
	{
		double		ce = (c - 1.0) / e;

		d[0] = ce * (s / e + sp) + T2 * (conn_cache.dp_g2 - log_w);
		d[1] = s / e - ce * s / e + ce * sc + T2 * (conn_cache.dc_g2 + log_w - log1p(-w));
		d[2] = -ce * sw / w + T2 * (-e / w + (1.0 - c) / z);
		if (!isfinite(d[0]) || !isfinite(d[1]) || !isfinite(d[2]))
			return NAN;
	}
	return S;
}

/* Above this z the continued fraction gives way to the quadrature. */
#define HYP2F1_1_CF_ZMAX	0.999

double
special_hyp2f1_1(double p, double c, double z, double omz, double d[3])
{
	if (!(p > 0.0 && c > p && z >= 0.0 && z < 1.0) || isinf(c))
		return NAN;
	if (z <= 0.5)
		return hyp2f1_1_series(p, c, z, d);
	if (!(omz > 0.0 && fabs(omz - (1.0 - z)) <= 1e-10))
		omz = 1.0 - z;
	if (omz <= CONN_WMAX)
	{
		double		S = hyp2f1_1_conn(p, c, z, omz, d);

		if (!isnan(S))
			return S;
	}
	if (z <= HYP2F1_1_CF_ZMAX)
		return hyp2f1_1_cf(p, c, z, d);
	if (c <= 1.0)
		return hyp2f1_1_cf(p, c, z, d);	/* no Euler integral */
	return hyp2f1_1_quad(p, c, z, omz, d);
}

/*
 * Plain Maclaurin series of 2F1(a, b; c; z), |z| < 1, with a bound on the
 * work and a check of the cancellation between terms of both signs.
 */
static double
hyp2f1_series(double a, double b, double c, double z)
{
	double		s = 1.0;
	double		t = 1.0;
	double		tmax = 1.0;
	double		az = fabs(z);
	int			n;

	for (n = 0; n < SPECIAL_MAX_ITER; n++)
	{
		double		ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0));

		t *= ratio * z;
		s += t;
		if (fabs(t) > tmax)
			tmax = fabs(t);
		if (t == 0.0)
			break;				/* terminating series */

		/*
		 * Stop when a bound on the whole remainder is negligible.  Once b+m
		 * and c+m are positive, every later ratio (m > n) is at most
		 * rho = |z| max(1, |a+n+1|/(n+2)) max(1, (b+n+1)/(c+n+1)), since
		 * |a+m|/(m+1) and (b+m)/(c+m) move monotonically towards 1; the
		 * remainder is then at most |t| rho / (1 - rho).  This needs no
		 * more terms than the series itself, even when b and c are huge
		 * (BG/NBD with a, b near the no-heterogeneity limit).
		 */
		if (b + n + 1 > 0.0 && c + n + 1 > 0.0)
		{
			double		rho = az * fmax(1.0, fabs(a + n + 1) / (n + 2.0)) *
				fmax(1.0, (b + n + 1) / (c + n + 1));

			if (rho < 1.0 && fabs(t) * rho <= SPECIAL_EPS * fabs(s) * (1.0 - rho))
				break;
		}
	}
	if (n == SPECIAL_MAX_ITER)
		return NAN;
	if (tmax > 1e6 * fabs(s))
		return NAN;				/* more than 6 digits lost to cancellation */
	return s;
}

/* Is x a non-positive integer (a pole of Gamma)? */
static inline bool
nonpositive_integer(double x)
{
	return x <= 0.0 && x == floor(x);
}

double
special_hyp2f1(double a, double b, double c, double z)
{
	if (isnan(a) || isnan(b) || isnan(c) || isnan(z) || !(z < 1.0) ||
		nonpositive_integer(c))
		return NAN;
	if (z == 0.0 || a == 0.0 || b == 0.0)
		return 1.0;

	/* the Pareto/NBD family: c = a + 1 (or c = b + 1, by symmetry) */
	if (c == b + 1.0 && c != a + 1.0)
	{
		double		tmp = a;

		a = b;
		b = tmp;
	}
	if (c == a + 1.0 && b > 0.0 && b < c)
	{
		if (z >= 0.0)
		{
			/* Euler: (1-z)^(1-b) 2F1(1, c-b; c; z) */
			double		s = special_hyp2f1_1(c - b, c, z, 1.0 - z, NULL);

			return s * exp((1.0 - b) * log1p(-z));
		}
		else
		{
			/* Pfaff: (1-z)^(-b) 2F1(c-a, b; c; z/(z-1)) = 2F1(1, b; c; w) */
			double		w = z / (z - 1.0);
			double		s = special_hyp2f1_1(b, c, w, 1.0 / (1.0 - z), NULL);

			return s * exp(-b * log1p(-z));
		}
	}

	if (fabs(z) <= 0.5)
		return hyp2f1_series(a, b, c, z);
	if (z < 0.0)
	{
		/* Pfaff: w = z/(z-1) in (1/3, 1); prefer a terminating series */
		double		w = z / (z - 1.0);

		if (nonpositive_integer(c - b) || !nonpositive_integer(c - a))
			return exp(-a * log1p(-z)) * hyp2f1_series(a, c - b, c, w);
		return exp(-b * log1p(-z)) * hyp2f1_series(c - a, b, c, w);
	}

	/*
	 * 1/2 < z < 1.  With c - a - b < 0 the terms grow like n^(a+b-c-1) z^n
	 * before they decay; Euler's transformation (1-z)^(c-a-b) 2F1(c-a,
	 * c-b; c; z) has terms like n^(c-a-b-1) z^n instead (the BG/NBD
	 * conditional expectation over long horizons is such a case).  If its
	 * terms cancel, the direct series decides.
	 */
	if (c - a - b < 0.0)
	{
		double		s = hyp2f1_series(c - a, c - b, c, z);

		if (!isnan(s))
			return exp((c - a - b) * log1p(-z)) * s;
	}
	return hyp2f1_series(a, b, c, z);
}
