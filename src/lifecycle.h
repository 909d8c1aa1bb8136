/*
 * lifecycle.h
 *	  What the lifecycle files share (SPEC §6): the label language and the
 *	  checks of probabilities.  lifecycle_aipl.c (AIPL stages, churn
 *	  stages, the model-free churn rule, the repurchase cycle),
 *	  lifecycle_churn.c (churn from a count model), cohort.c and
 *	  cohort_io.c (cohort retention), value_score.c, tier_tracking.c.
 */
#ifndef MEMVAL_LIFECYCLE_H
#define MEMVAL_LIFECYCLE_H

#include "memval.h"
#include "utils/builtins.h"

/* Label languages, as tier_of knows them. */
typedef enum LifecycleLang
{
	LC_LANG_EN = 0,
	LC_LANG_ZH = 1
} LifecycleLang;

/* 'en' or 'zh'; anything else is an error (22023). */
static inline LifecycleLang
lifecycle_lang(text *t)
{
	const char *s = VARDATA_ANY(t);
	Size		len = VARSIZE_ANY_EXHDR(t);

	if (len == 2 && memcmp(s, "en", 2) == 0)
		return LC_LANG_EN;
	if (len == 2 && memcmp(s, "zh", 2) == 0)
		return LC_LANG_ZH;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown language \"%s\"", text_to_cstring(t)),
			 errhint("Use 'en' or 'zh'.")));
	return LC_LANG_EN;			/* keep the compiler quiet */
}

/* A probability argument: finite, 0 <= p <= 1 (22023). */
static inline void
lifecycle_check_probability(float8 p, const char *what)
{
	if (isnan(p) || p < 0 || p > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between 0 and 1, got %g", what, p)));
}

#endif							/* MEMVAL_LIFECYCLE_H */
