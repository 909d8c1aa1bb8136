/*
 * simulate.c
 *	  Seeded simulators of the BTYD models, a testing aid (README, "Models and predictions"):
 *	  data with known parameters for parameter recovery and benchmarks.
 *
 *	 bgnbd_simulate(n, r, alpha, a, b, t, seed [, t_min])
 *	 mbgnbd_simulate(n, r, alpha, a, b, t, seed [, t_min])
 *	 pareto_nbd_simulate(n, r, alpha, s, beta, t, seed [, t_min])
 *		→ SETOF (customer_id bigint, x float8, t_x float8, t float8)
 *	 gamma_gamma_simulate(x, p, q, v, seed, customer_id) → float8 (mean spend,
 *		NULL for x = 0)
 *
 * Customer i observes (0, T] after a first purchase at 0, with T = t, or
 * uniform on [t_min, t] when t_min is given.  Purchase rates are
 * lambda ~ Gamma(r, alpha) (rate alpha); BG/NBD customers drop out after
 * each repeat purchase with probability p ~ Beta(a, b) (MBG/NBD also at
 * time 0); Pareto/NBD customers live an Exp(mu) time, mu ~ Gamma(s, beta).
 * Gamma-Gamma: nu ~ Gamma(q, v), the x purchase values are Gamma(p, nu),
 * so their mean is Gamma(p*x, nu) / x.
 *
 * Every customer draws from its own stream: splitmix64 seeded with
 * (seed, customer_id), so the output depends only on the arguments.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(bgnbd_simulate);
PG_FUNCTION_INFO_V1(mbgnbd_simulate);
PG_FUNCTION_INFO_V1(pareto_nbd_simulate);
PG_FUNCTION_INFO_V1(gamma_gamma_simulate);

typedef struct SimRng
{
	uint64		s;
} SimRng;

static inline uint64
sim_next(SimRng *g)
{
	uint64		z = (g->s += UINT64CONST(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static void
sim_seed(SimRng *g, int64 seed, int64 stream)
{
	g->s = (uint64) seed;
	g->s = sim_next(g) ^ ((uint64) stream * UINT64CONST(0xD1B54A32D192ED03));
	(void) sim_next(g);
}

/* Uniform on (0, 1): 53 random bits, never 0. */
static inline double
sim_unif(SimRng *g)
{
	return ((double) (sim_next(g) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double
sim_normal(SimRng *g)
{
	/* Marsaglia's polar method (one of the pair is used) */
	for (;;)
	{
		double		u = 2 * sim_unif(g) - 1,
					v = 2 * sim_unif(g) - 1,
					q = u * u + v * v;

		if (q > 0 && q < 1)
			return u * sqrt(-2 * log(q) / q);
	}
}

/* Gamma(shape, 1): Marsaglia & Tsang (2000), boosted for shape < 1. */
static double
sim_gamma(SimRng *g, double shape)
{
	double		d,
				c;

	/* a non-finite shape (p * x overflowing) would never be accepted below */
	if (!isfinite(shape))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("gamma shape out of range: %g", shape)));
	if (shape < 1)
		return sim_gamma(g, shape + 1) * pow(sim_unif(g), 1 / shape);
	d = shape - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;)
	{
		double		z = sim_normal(g),
					v = 1 + c * z,
					u;

		CHECK_FOR_INTERRUPTS();
		if (v <= 0)
			continue;
		v = v * v * v;
		u = sim_unif(g);
		if (log(u) < 0.5 * z * z + d - d * v + d * log(v))
			return d * v;
	}
}

static double
sim_beta(SimRng *g, double a, double b)
{
	double		x = sim_gamma(g, a);

	return x / (x + sim_gamma(g, b));
}

static void
sim_check_param(double v, const char *name)
{
	if (!(v > 0) || isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be finite and positive, got %g", name, v)));
}

typedef enum SimModel
{
	SIM_BGNBD,
	SIM_MBGNBD,
	SIM_PARETO
} SimModel;

/* purchases of one simulated customer, at most (a tenth of a second of work) */
#define SIM_MAX_PURCHASES 1e7

/* One customer's (x, t_x) over (0, T]. */
static void
sim_customer(SimRng *g, SimModel model, const double *par, double T,
			 double *x, double *tx)
{
	double		lambda = sim_gamma(g, par[0]) / par[1];
	double		now = 0;
	double		end = T;
	double		p = 0;
	bool		alive = true;

	*x = 0;
	*tx = 0;
	if (model == SIM_PARETO)
	{
		double		mu = sim_gamma(g, par[2]) / par[3];
		double		life = -log(sim_unif(g)) / mu;

		end = Min(T, life);
	}
	else
	{
		p = sim_beta(g, par[2], par[3]);
		if (model == SIM_MBGNBD)
			alive = sim_unif(g) > p;
	}
	while (alive)
	{
		now += -log(sim_unif(g)) / lambda;
		if (now > end)
			break;
		*x += 1;
		*tx = now;
		if (((int64) *x & 0xFFFF) == 0)
		{
			CHECK_FOR_INTERRUPTS();
			/* r / alpha near DBL_MAX: the loop would run for ages */
			if (*x >= SIM_MAX_PURCHASES)
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("a simulated customer makes more than %.0f purchases", SIM_MAX_PURCHASES),
						 errhint("The purchase rate r / alpha is too large for the time span.")));
		}
		if (model != SIM_PARETO)
			alive = sim_unif(g) > p;
	}
}

static Datum
sim_srf(FunctionCallInfo fcinfo, SimModel model)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int32		n = PG_GETARG_INT32(0);
	double		par[4];
	double		t = PG_GETARG_FLOAT8(5);
	int64		seed = PG_GETARG_INT64(6);
	bool		has_tmin = PG_NARGS() > 7;
	double		tmin = has_tmin ? PG_GETARG_FLOAT8(7) : t;
	static const char *const names[3][4] = {
		{"r", "alpha", "a", "b"}, {"r", "alpha", "a", "b"}, {"r", "alpha", "s", "beta"}
	};

	for (int k = 0; k < 4; k++)
	{
		par[k] = PG_GETARG_FLOAT8(k + 1);
		sim_check_param(par[k], names[model][k]);
	}
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n_customers must be >= 0, got %d", n)));
	sim_check_param(t, "t");
	if (!isfinite(tmin) || tmin < 0 || tmin > t)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t_min must satisfy 0 <= t_min <= t, got %g", tmin)));

	InitMaterializedSRF(fcinfo, 0);
	for (int32 i = 1; i <= n; i++)
	{
		SimRng		g;
		double		T,
					x,
					tx;
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		sim_seed(&g, seed, i);
		T = tmin + (t - tmin) * sim_unif(&g);
		sim_customer(&g, model, par, T, &x, &tx);
		values[0] = Int64GetDatum(i);
		values[1] = Float8GetDatum(x);
		values[2] = Float8GetDatum(tx);
		values[3] = Float8GetDatum(T);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
bgnbd_simulate(PG_FUNCTION_ARGS)
{
	return sim_srf(fcinfo, SIM_BGNBD);
}

Datum
mbgnbd_simulate(PG_FUNCTION_ARGS)
{
	return sim_srf(fcinfo, SIM_MBGNBD);
}

Datum
pareto_nbd_simulate(PG_FUNCTION_ARGS)
{
	return sim_srf(fcinfo, SIM_PARETO);
}

/*
 * gamma_gamma_simulate(x, p, q, v, seed, customer_id): the mean of x
 * simulated purchase values of one customer.
 */
Datum
gamma_gamma_simulate(PG_FUNCTION_ARGS)
{
	double		x = PG_GETARG_FLOAT8(0);
	double		p = PG_GETARG_FLOAT8(1),
				q = PG_GETARG_FLOAT8(2),
				v = PG_GETARG_FLOAT8(3);
	SimRng		g;
	double		nu;

	sim_check_param(p, "p");
	sim_check_param(q, "q");
	sim_check_param(v, "v");
	if (!isfinite(x) || x < 0 || x != floor(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x must be a whole number >= 0, got %g", x)));
	if (x == 0)
		PG_RETURN_NULL();
	/* a stream apart from the count simulators' */
	sim_seed(&g, PG_GETARG_INT64(4) ^ INT64CONST(0x5DEECE66D), PG_GETARG_INT64(5));
	nu = sim_gamma(&g, q) / v;
	PG_RETURN_FLOAT8(sim_gamma(&g, p * x) / nu / x);
}
