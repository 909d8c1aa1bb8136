/*
 * lifecycle_aipl.c
 *	  Lifecycle stages without a model (SPEC §6): AIPL stages, the
 *	  repurchase cycle, the model-free churn rule, the expected next
 *	  purchase date and churn stages.
 *
 * AIPL (seed 003), first matching rule wins:
 *	 Loyalty	purchases >= 2 and recency <= cycle
 *	 Purchase	purchases >= 1
 *	 Interest	interactions >= 1
 *	 Awareness	otherwise (the customer is known, nothing more)
 *
 * The repurchase cycle of a customer is the mean gap in days between
 * distinct purchase days, (d_n - d_1) / (n - 1): btyd()'s t_x / x, read
 * from btyd()'s own state, NULL below two purchase days.
 *
 * The model-free churn rule: a customer buying at their own rate (one
 * purchase per cycle days, as a Poisson process) goes recency days
 * without buying with probability exp(-recency / cycle); the churn risk is
 * 1 - exp(-recency / cycle).  At recency = cycle it is 0.63, at twice the
 * cycle 0.86.
 */
#include "postgres.h"

#include "btyd_summary.h"
#include "lifecycle.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(aipl_stage);
PG_FUNCTION_INFO_V1(repurchase_cycle_final);
PG_FUNCTION_INFO_V1(churn_risk_cycle);
PG_FUNCTION_INFO_V1(expected_next_purchase);
PG_FUNCTION_INFO_V1(churn_stage);

static const char *const aipl_labels[4][2] = {
	{"Awareness", "认知"},
	{"Interest", "兴趣"},
	{"Purchase", "购买"},
	{"Loyalty", "忠诚"},
};

static const char *const churn_labels[3][2] = {
	{"active", "活跃"},
	{"at risk", "流失风险"},
	{"lapsed", "已流失"},
};

/* A count argument: NULL is 0, negative is an error. */
static int64
aipl_count(FunctionCallInfo fcinfo, int argno, const char *what)
{
	int64		v;

	if (PG_ARGISNULL(argno))
		return 0;
	v = PG_GETARG_INT64(argno);
	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be >= 0, got " INT64_FORMAT, what, v)));
	return v;
}

/* A number of days: NULL allowed (*isnull), otherwise finite and >= 0. */
static float8
aipl_days(FunctionCallInfo fcinfo, int argno, const char *what, bool *isnull)
{
	float8		v;

	*isnull = PG_ARGISNULL(argno);
	if (*isnull)
		return 0;
	v = PG_GETARG_FLOAT8(argno);
	if (isnan(v) || isinf(v) || v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be finite and >= 0, got %g", what, v)));
	return v;
}

/*
 * aipl_stage(interactions bigint, purchases bigint, recency float8,
 *			  cycle float8, lang text) → text
 *
 * Not STRICT: NULL counts are 0 (a LEFT JOIN with no rows), a NULL
 * recency or cycle means "not Loyalty".  Only a NULL lang gives NULL.
 */
Datum
aipl_stage(PG_FUNCTION_ARGS)
{
	int64		interactions,
				purchases;
	float8		recency,
				cycle;
	bool		recency_null,
				cycle_null;
	LifecycleLang lang;
	int			stage;

	if (PG_ARGISNULL(4))
		PG_RETURN_NULL();
	lang = lifecycle_lang(PG_GETARG_TEXT_PP(4));
	interactions = aipl_count(fcinfo, 0, "interactions");
	purchases = aipl_count(fcinfo, 1, "purchases");
	recency = aipl_days(fcinfo, 2, "recency", &recency_null);
	cycle = aipl_days(fcinfo, 3, "cycle", &cycle_null);

	if (purchases >= 2 && !recency_null && !cycle_null && recency <= cycle)
		stage = 3;
	else if (purchases >= 1)
		stage = 2;
	else if (interactions >= 1)
		stage = 1;
	else
		stage = 0;
	PG_RETURN_TEXT_P(cstring_to_text(aipl_labels[stage][lang]));
}

/*
 * Final function of repurchase_cycle(order_ts, amount, as_of): btyd()'s
 * state, days ascending and distinct.  NULL below two purchase days.
 */
Datum
repurchase_cycle_final(PG_FUNCTION_ARGS)
{
	BtydState  *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (BtydState *) PG_GETARG_VARLENA_P(0);
	if (st->ndays < 2)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((float8) (st->days[st->ndays - 1] - st->days[0]) / (st->ndays - 1));
}

/* churn_risk(recency float8, cycle float8) → 1 - exp(-recency / cycle) */
Datum
churn_risk_cycle(PG_FUNCTION_ARGS)
{
	float8		recency = PG_GETARG_FLOAT8(0);
	float8		cycle = PG_GETARG_FLOAT8(1);

	if (isnan(recency) || isinf(recency) || recency < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recency must be finite and >= 0, got %g", recency)));
	if (isnan(cycle) || isinf(cycle) || cycle <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cycle must be finite and > 0, got %g", cycle),
				 errhint("A customer with fewer than two purchase days has no cycle (NULL).")));
	PG_RETURN_FLOAT8(-expm1(-recency / cycle));
}

/*
 * expected_next_purchase(last_purchase timestamptz, cycle float8)
 *	 → timestamptz: last_purchase + cycle days (of 24 hours).
 */
Datum
expected_next_purchase(PG_FUNCTION_ARGS)
{
	TimestampTz last = PG_GETARG_TIMESTAMPTZ(0);
	float8		cycle = PG_GETARG_FLOAT8(1);
	float8		usecs;

	memval_check_timestamp(last, "last_purchase");
	if (isnan(cycle) || isinf(cycle) || cycle < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cycle must be finite and >= 0, got %g", cycle)));
	usecs = rint(cycle * USECS_PER_DAY);
	if (usecs >= (float8) (END_TIMESTAMP - last))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range: last_purchase + %g days", cycle)));
	PG_RETURN_TIMESTAMPTZ(last + (int64) usecs);
}

/*
 * churn_stage(risk float8, lang text, at_risk float8, lapsed float8)
 *	 → text: active below at_risk, at risk below lapsed, lapsed from there.
 */
Datum
churn_stage(PG_FUNCTION_ARGS)
{
	float8		risk = PG_GETARG_FLOAT8(0);
	LifecycleLang lang = lifecycle_lang(PG_GETARG_TEXT_PP(1));
	float8		at_risk = PG_GETARG_FLOAT8(2);
	float8		lapsed = PG_GETARG_FLOAT8(3);
	int			stage;

	lifecycle_check_probability(risk, "risk");
	lifecycle_check_probability(at_risk, "at_risk");
	lifecycle_check_probability(lapsed, "lapsed");
	if (at_risk > lapsed)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("at_risk must not exceed lapsed, got at_risk = %g, lapsed = %g",
						at_risk, lapsed)));
	stage = risk >= lapsed ? 2 : risk >= at_risk ? 1 : 0;
	PG_RETURN_TEXT_P(cstring_to_text(churn_labels[stage][lang]));
}
