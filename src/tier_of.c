/*
 * tier_of.c
 *	  tier_of (README, "Segments and tiers"): named segments of RFM scores and member tiers of
 *	  values, with built-in schemes (in C) and user schemes (rows of the
 *	  extension's configuration table tier_scheme, kept by pg_dump).
 *
 * A scheme is looked up once per query and call site (cached in fn_extra):
 * user rows first, so a user scheme with a built-in name (say tier4 with
 * your own thresholds) replaces the built-in; then the built-ins.
 *
 * Score schemes: rules are tried in order, first match wins, otherwise
 * the fallback label.  A rule gives inclusive ranges of R, F and M on the
 * scheme's scale S; a score of scale n is first mapped to S part by part
 * with ceil(S * x / n).  rfm8, value4 and value3 use the high/low flags of
 * rfm8 instead: a part is high when x > n / 2.
 *
 * Value schemes: ascending thresholds; v gets the label of the highest
 * threshold <= v, or the fallback (lowest tier) below every threshold.
 * That is labels[1 + number of thresholds <= v], as the ad hoc form.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "amount.h"
#include "rfm_score.h"
#include "tier_scheme.h"
#include "utils/guc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(tier_of_score);
PG_FUNCTION_INFO_V1(tier_of_value);
PG_FUNCTION_INFO_V1(tier_of_value_float8);
PG_FUNCTION_INFO_V1(tier_of_thresholds);

/* ----------------------------------------------------------------
 * Built-in schemes
 * ----------------------------------------------------------------
 */

typedef struct BuiltinRule
{
	const char *label[NLANGS];
	int			lo[3];
	int			hi[3];
} BuiltinRule;

/* rfm10: the R rfm package's documented example, first match wins */
static const BuiltinRule rfm10_rules[] = {
	{{"Champions", "冠军客户"}, {5, 5, 5}, {5, 5, 5}},
	{{"Potential Loyalist", "潜在忠诚客户"}, {3, 3, 2}, {5, 5, 5}},
	{{"Loyal Customers", "忠诚客户"}, {2, 2, 2}, {4, 4, 4}},
	{{"Promising", "有潜力客户"}, {3, 1, 3}, {4, 3, 5}},
	{{"New Customers", "新客户"}, {4, 1, 1}, {5, 3, 5}},
	{{"Can't Lose Them", "不能失去的客户"}, {1, 3, 4}, {2, 4, 5}},
	{{"At Risk", "流失风险客户"}, {1, 2, 4}, {2, 5, 5}},
	{{"Need Attention", "需要关注客户"}, {1, 3, 3}, {3, 5, 5}},
	{{"About To Sleep", "即将沉睡客户"}, {2, 1, 1}, {3, 3, 4}},
	{{"Lost", "流失客户"}, {1, 1, 1}, {1, 5, 5}},
};
static const char *const rfm10_fallback[NLANGS] = {"Others", "其他客户"};

/* flag schemes: index R<<2 | F<<1 | M, 1 = high (x > n/2) */
static const char *const rfm8_labels[8][NLANGS] = {
	{"general win-back", "一般挽留客户"},	/* R↓F↓M↓ */
	{"important win-back", "重要挽留客户"},	/* R↓F↓M↑ */
	{"general retention", "一般保持客户"},	/* R↓F↑M↓ */
	{"important retention", "重要保持客户"},	/* R↓F↑M↑ */
	{"general development", "一般发展客户"},	/* R↑F↓M↓ */
	{"important development", "重要发展客户"},	/* R↑F↓M↑ */
	{"general value", "一般价值客户"},	/* R↑F↑M↓ */
	{"important value", "重要价值客户"},	/* R↑F↑M↑ */
};

/*
 * value4 (README, "Segments and tiers"), on the rfm8 flags: high value = R↑F↑M↑; potential
 * high value = R↑ with exactly one of F↑, M↑; regular = R↑F↓M↓; churned =
 * every R↓ class (no recent purchase, whatever was bought before).
 */
static const char *const value4_labels[8][NLANGS] = {
	{"churned", "流失"},
	{"churned", "流失"},
	{"churned", "流失"},
	{"churned", "流失"},
	{"regular", "普通"},
	{"potential high value", "潜在高价值"},
	{"potential high value", "潜在高价值"},
	{"high value", "高价值"},
};

/* value3 (README, "Segments and tiers"): high = F↑M↑, low = F↓M↓, mid otherwise */
static const char *const value3_labels[8][NLANGS] = {
	{"low", "低价值"},
	{"mid", "中价值"},
	{"mid", "中价值"},
	{"high", "高价值"},
	{"low", "低价值"},
	{"mid", "中价值"},
	{"mid", "中价值"},
	{"high", "高价值"},
};

/* The built-in schemes on the rfm8 flags, by name. */
static const struct
{
	const char *name;
	const char *const (*labels)[NLANGS];
}			flag_schemes[] = {
	{"rfm8", rfm8_labels},
	{"value4", value4_labels},
	{"value3", value3_labels},
};

/* tier4: default thresholds, replace them with a user scheme */
static const char *const tier4_thresholds[] = {"1000", "5000", "20000"};
static const char *const tier4_labels[4][NLANGS] = {
	{"basic", "基础会员"},
	{"silver", "银卡会员"},
	{"gold", "金卡会员"},
	{"diamond", "钻石会员"},
};

static bool
scheme_builtin(TierScheme *sc, const char *name, int lang)
{
	int			i;

	memset(sc, 0, sizeof(*sc));
	if (strcmp(name, "rfm10") == 0)
	{
		sc->kind = SCHEME_SCORE;
		sc->scale = 5;
		sc->fallback = pstrdup(rfm10_fallback[lang]);
		sc->nrules = lengthof(rfm10_rules);
		sc->rules = palloc0(sizeof(TierRule) * sc->nrules);
		for (i = 0; i < sc->nrules; i++)
		{
			memcpy(sc->rules[i].lo, rfm10_rules[i].lo, sizeof(rfm10_rules[i].lo));
			memcpy(sc->rules[i].hi, rfm10_rules[i].hi, sizeof(rfm10_rules[i].hi));
			sc->rules[i].label = pstrdup(rfm10_rules[i].label[lang]);
		}
		return true;
	}
	for (int s = 0; s < lengthof(flag_schemes); s++)
	{
		const char *const (*labels)[NLANGS] = flag_schemes[s].labels;

		if (strcmp(name, flag_schemes[s].name) != 0)
			continue;
		sc->kind = SCHEME_SCORE;
		sc->builtin = BI_FLAGS;
		for (i = 0; i < 8; i++)
			sc->flag_label[i] = pstrdup(labels[i][lang]);
		return true;
	}
	if (strcmp(name, "tier4") == 0)
	{
		sc->kind = SCHEME_VALUE;
		sc->fallback = pstrdup(tier4_labels[0][lang]);
		sc->nrules = 3;
		sc->rules = palloc0(sizeof(TierRule) * 3);
		for (i = 0; i < 3; i++)
		{
			sc->rules[i].value_min =
				amount_numeric_in(tier4_thresholds[i]);
			sc->rules[i].label = pstrdup(tier4_labels[i + 1][lang]);
		}
		return true;
	}
	return false;
}

/* ----------------------------------------------------------------
 * User schemes: rows of tier_scheme in the extension's schema
 * ----------------------------------------------------------------
 */

/* Columns of the query in scheme_user(), 1-based as SPI numbers them. */
#define TS_COL_POSITION		1
#define TS_COL_KIND			2
#define TS_COL_SCALE		3
#define TS_COL_LABEL_EN		4
#define TS_COL_LABEL_ZH		5
#define TS_COL_MIN(axis)	(6 + 2 * (axis))	/* r_min, f_min, m_min */
#define TS_COL_MAX(axis)	(7 + 2 * (axis))	/* r_max, f_max, m_max */
#define TS_COL_VALUE_MIN	12

/* The scale of a score scheme whose rows leave it NULL (the table's default). */
#define TIER_DEFAULT_SCALE	5

static char *
spi_text(HeapTuple tup, TupleDesc td, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, td, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

static int
spi_int(HeapTuple tup, TupleDesc td, int col, int dflt)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, td, col, &isnull);

	return isnull ? dflt : DatumGetInt32(d);
}

/*
 * Load scheme name from the table (in CurrentMemoryContext); false if it
 * has no rows.  The table lives in the schema of the calling function,
 * which is the extension's schema.
 */
static bool
scheme_user(TierScheme *sc, const char *name, int lang, Oid fn_oid)
{
	MemoryContext mcxt = CurrentMemoryContext;
	char	   *nsp = get_namespace_name(get_func_namespace(fn_oid));
	char	   *query;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	uint64		i;
	int			ret;

	memset(sc, 0, sizeof(*sc));
	/* the columns in the order of the TS_COL_* numbers */
	query = psprintf("SELECT position, kind, scale, label_en, label_zh, r_min, r_max,"
					 " f_min, f_max, m_min, m_max, value_min"
					 " FROM %s.tier_scheme WHERE scheme OPERATOR(pg_catalog.=) $1 ORDER BY position",
					 quote_identifier(nsp));
	args[0] = CStringGetTextDatum(name);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute_with_args(query, 1, argtypes, args, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "reading tier schemes failed: %s", SPI_result_code_string(ret));
	if (SPI_processed == 0)
	{
		SPI_finish();
		return false;
	}
	{
		MemoryContext old = MemoryContextSwitchTo(mcxt);
		TupleDesc	td = SPI_tuptable->tupdesc;

		sc->rules = palloc0(sizeof(TierRule) * SPI_processed);
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			char	   *kind = spi_text(tup, td, TS_COL_KIND);
			char	   *label = spi_text(tup, td, lang == LANG_ZH ? TS_COL_LABEL_ZH : TS_COL_LABEL_EN);
			TierRule   *r;
			bool		isnull;
			Datum		v;
			int			a;

			if (label == NULL)
				label = spi_text(tup, td, TS_COL_LABEL_EN);
			sc->kind = strcmp(kind, "value") == 0 ? SCHEME_VALUE : SCHEME_SCORE;
			sc->scale = spi_int(tup, td, TS_COL_SCALE, TIER_DEFAULT_SCALE);
			if (spi_int(tup, td, TS_COL_POSITION, 0) == 0)
			{
				sc->fallback = label;
				continue;
			}
			r = &sc->rules[sc->nrules++];
			r->label = label;
			for (a = 0; a < 3; a++)
			{
				r->lo[a] = spi_int(tup, td, TS_COL_MIN(a), 1);
				r->hi[a] = spi_int(tup, td, TS_COL_MAX(a), sc->scale);
			}
			v = SPI_getbinval(tup, td, TS_COL_VALUE_MIN, &isnull);
			if (!isnull)
				r->value_min = DatumGetNumeric(datumCopy(v, false, -1));
		}
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return true;
}

/* ----------------------------------------------------------------
 * Lookup with a per-query cache
 * ----------------------------------------------------------------
 */

/*
 * Schemes looked up by one call site during one query (fn_extra): a few
 * entries, so a scheme or language that varies per row still costs one
 * lookup per distinct value, and memory stays bounded.
 */
#define TIER_CACHE_SIZE 8

typedef struct TierCacheEntry
{
	MemoryContext cxt;			/* owns scheme and sc */
	text	   *scheme;			/* the scheme argument */
	int			lang;
	TierScheme	sc;
} TierCacheEntry;

typedef struct TierCache
{
	int			used;			/* entries filled */
	int			next;			/* next entry to replace when full */
	TierCacheEntry e[TIER_CACHE_SIZE];
} TierCache;

int
tier_lang(const text *t)
{
	const char *s = VARDATA_ANY(t);
	Size		len = VARSIZE_ANY_EXHDR(t);

	if (len == 2 && memcmp(s, "en", 2) == 0)
		return LANG_EN;
	if (len == 2 && memcmp(s, "zh", 2) == 0)
		return LANG_ZH;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown language \"%s\"", text_to_cstring((text *) t)),
			 errhint("Use 'en' or 'zh'.")));
	return LANG_EN;				/* keep the compiler quiet */
}

void
tier_scheme_prepare(TierScheme *sc)
{
	int			i;

	for (i = 0; i < sc->nrules; i++)
		if (sc->rules[i].value_min)
			sc->rules[i].value_f8 = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
																	   NumericGetDatum(sc->rules[i].value_min)));
}

/*
 * A scheme name is resolved against the local table tier_scheme, which
 * Citus does not copy to the workers: there a user scheme would be
 * missing and, worse, a built-in name the user redefined (tier4 with
 * other thresholds) would silently give the built-in answer.  So the name
 * form (and tier_scheme_value() evaluated there) refuses to run in a
 * query that one Citus node sent to another
 * (Citus names those connections "citus_internal gpid=..."); the scheme
 * value form, tier_of(v, (SELECT tier_scheme_value('name'))), carries the
 * rules and works everywhere.
 */
static void
tier_check_not_citus_shard_query(const char *name)
{
	const char *app = GetConfigOption("application_name", true, false);

	if (app != NULL && strncmp(app, "citus_internal", 14) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot look up tier scheme \"%s\" by name on a Citus worker", name),
				 errdetail("Tier schemes are rows of the coordinator's table tier_scheme, which the workers do not have."),
				 errhint("Pass the scheme as a value built on the coordinator: tier_of(x, (SELECT tier_scheme_value('%s'))).", name)));
}

void
tier_scheme_resolve(TierScheme *sc, const char *name, int lang, Oid fn_oid)
{
	tier_check_not_citus_shard_query(name);
	if (!scheme_user(sc, name, lang, fn_oid) && !scheme_builtin(sc, name, lang))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tier scheme \"%s\" does not exist", name),
				 errhint("Built-in schemes: rfm10, rfm8, value4, value3 (scores) and tier4 (values); add your own as rows of tier_scheme.")));
	tier_scheme_prepare(sc);
}

static const TierScheme *
scheme_lookup(FunctionCallInfo fcinfo, text *scheme, text *langt, SchemeKind want)
{
	TierCache  *tc = (TierCache *) fcinfo->flinfo->fn_extra;
	int			lang = tier_lang(langt);
	TierCacheEntry *e;
	TierScheme	sc;
	MemoryContext cxt;
	MemoryContext old;
	char	   *name;
	int			i;

	if (tc == NULL)
		tc = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(TierCache));
	for (i = 0; i < tc->used; i++)
	{
		e = &tc->e[i];
		if (e->lang == lang && VARSIZE_ANY(e->scheme) == VARSIZE_ANY(scheme) &&
			memcmp(e->scheme, scheme, VARSIZE_ANY(scheme)) == 0)
			return &e->sc;
	}

	/* not cached: load it into a context of its own */
	cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "tier_of scheme",
								ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(cxt);
	name = text_to_cstring(scheme);
	tier_scheme_resolve(&sc, name, lang, fcinfo->flinfo->fn_oid);
	if (sc.kind != want)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tier scheme \"%s\" classifies %s, not %s", name,
						sc.kind == SCHEME_SCORE ? "rfm scores" : "values",
						want == SCHEME_SCORE ? "rfm scores" : "values")));
	MemoryContextSwitchTo(old);

	if (tc->used < TIER_CACHE_SIZE)
		e = &tc->e[tc->used++];
	else
	{
		e = &tc->e[tc->next];
		tc->next = (tc->next + 1) % TIER_CACHE_SIZE;
		MemoryContextDelete(e->cxt);
	}
	e->cxt = cxt;
	e->scheme = (text *) MemoryContextAlloc(cxt, VARSIZE_ANY(scheme));
	memcpy(e->scheme, scheme, VARSIZE_ANY(scheme));
	e->lang = lang;
	e->sc = sc;
	return &e->sc;
}

/* Labels are never NULL: label_en is NOT NULL and zh falls back to it. */
static Datum
label_datum(const char *label)
{
	Assert(label != NULL);
	return PointerGetDatum(cstring_to_text(label));
}

/* ceil(S * x / n): part x of scale n on scale S */
static inline int
rescale_part(int x, int n, int S)
{
	return n == S ? x : (S * x + n - 1) / n;
}

/* tier_of(s rfm_score, scheme text DEFAULT 'rfm10', lang text DEFAULT 'en') */
Datum
tier_of_score(PG_FUNCTION_ARGS)
{
	return tier_score_label(fcinfo, scheme_lookup(fcinfo, PG_GETARG_TEXT_PP(1),
												  PG_GETARG_TEXT_PP(2), SCHEME_SCORE),
							PG_GETARG_RFM_SCORE(0));
}

/* The label of score s in score scheme sc (NULL: no match, no fallback). */
Datum
tier_score_label(FunctionCallInfo fcinfo, const TierScheme *sc, RfmScore s)
{
	int			n = RFM_SCORE_N(s);
	int			part[3] = {RFM_SCORE_R(s), RFM_SCORE_F(s), RFM_SCORE_M(s)};
	int			i,
				a;

	if (sc->builtin == BI_FLAGS)
	{
		int			idx = ((2 * part[0] > n) << 2) | ((2 * part[1] > n) << 1) | (2 * part[2] > n);

		PG_RETURN_DATUM(label_datum(sc->flag_label[idx]));
	}
	for (a = 0; a < 3; a++)
		part[a] = rescale_part(part[a], n, sc->scale);
	for (i = 0; i < sc->nrules; i++)
	{
		const TierRule *r = &sc->rules[i];

		if (part[0] >= r->lo[0] && part[0] <= r->hi[0] &&
			part[1] >= r->lo[1] && part[1] <= r->hi[1] &&
			part[2] >= r->lo[2] && part[2] <= r->hi[2])
			PG_RETURN_DATUM(label_datum(r->label));
	}
	if (sc->fallback == NULL)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(label_datum(sc->fallback));
}

static inline int
num_cmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)));
}

static void
check_value(Numeric v)
{
	if (numeric_is_nan(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value must not be NaN")));
}

/*
 * The result of a value scheme whose first count thresholds are <= the
 * value: the label of the last of them, or below the first threshold the
 * fallback label (NULL when the scheme has none).
 */
static Datum
value_tier(FunctionCallInfo fcinfo, const TierScheme *sc, int count)
{
	if (count > 0)
		return label_datum(sc->rules[count - 1].label);
	if (sc->fallback == NULL)
		PG_RETURN_NULL();
	return label_datum(sc->fallback);
}

/* tier_of(value numeric, scheme text DEFAULT 'tier4', lang text DEFAULT 'en') */
Datum
tier_of_value(PG_FUNCTION_ARGS)
{
	return tier_value_label(fcinfo, scheme_lookup(fcinfo, PG_GETARG_TEXT_PP(1),
												  PG_GETARG_TEXT_PP(2), SCHEME_VALUE),
							PG_GETARG_NUMERIC(0));
}

/* The label of v in value scheme sc (NULL: below every threshold, no fallback). */
Datum
tier_value_label(FunctionCallInfo fcinfo, const TierScheme *sc, Numeric v)
{
	int			count = 0;

	check_value(v);
	while (count < sc->nrules && num_cmp(sc->rules[count].value_min, v) <= 0)
		count++;
	return value_tier(fcinfo, sc, count);
}

/*
 * tier_of(value float8, scheme text DEFAULT 'tier4', lang text DEFAULT 'en'):
 * thresholds are compared as float8 (no rounding of the value to numeric).
 */
Datum
tier_of_value_float8(PG_FUNCTION_ARGS)
{
	return tier_value_label_float8(fcinfo, scheme_lookup(fcinfo, PG_GETARG_TEXT_PP(1),
														 PG_GETARG_TEXT_PP(2), SCHEME_VALUE),
								   PG_GETARG_FLOAT8(0));
}

/* The label of float8 v in value scheme sc. */
Datum
tier_value_label_float8(FunctionCallInfo fcinfo, const TierScheme *sc, float8 v)
{
	int			count = 0;

	if (isnan(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value must not be NaN")));
	while (count < sc->nrules && sc->rules[count].value_f8 <= v)
		count++;
	return value_tier(fcinfo, sc, count);
}

/* tier_of(value numeric, thresholds numeric[], labels text[]) */
Datum
tier_of_thresholds(PG_FUNCTION_ARGS)
{
	Numeric		v = PG_GETARG_NUMERIC(0);
	ArrayType  *ta = PG_GETARG_ARRAYTYPE_P(1);
	ArrayType  *la = PG_GETARG_ARRAYTYPE_P(2);
	Datum	   *th,
			   *lb;
	bool	   *thn,
			   *lbn;
	int			nt,
				nl,
				i,
				count = 0;

	check_value(v);
	if (ARR_NDIM(ta) > 1 || ARR_NDIM(la) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("thresholds and labels must be one-dimensional arrays")));
	deconstruct_array(ta, NUMERICOID, -1, false, TYPALIGN_INT, &th, &thn, &nt);
	deconstruct_array(la, TEXTOID, -1, false, TYPALIGN_INT, &lb, &lbn, &nl);
	if (nl != nt + 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tier_of needs one more label than thresholds, got %d thresholds and %d labels",
						nt, nl)));
	for (i = 0; i < nl; i++)
		if (lbn[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("label %d is null", i + 1)));
	for (i = 0; i < nt; i++)
	{
		Numeric		t;

		if (thn[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("threshold %d is null", i + 1)));
		t = DatumGetNumeric(th[i]);
		if (numeric_is_nan(t) || numeric_is_inf(t))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("threshold %d must be finite", i + 1)));
		if (i > 0 && num_cmp(DatumGetNumeric(th[i - 1]), t) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("thresholds must be strictly ascending"),
					 errdetail("Threshold %d is not greater than threshold %d.", i + 1, i)));
		if (num_cmp(t, v) <= 0)
			count = i + 1;
	}
	PG_RETURN_TEXT_P(DatumGetTextPP(PointerGetDatum(pg_detoast_datum_copy((struct varlena *) DatumGetPointer(lb[count])))));
}
