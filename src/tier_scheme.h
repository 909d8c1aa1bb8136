/*
 * tier_scheme.h
 *	  A tier scheme in memory, shared by segments.c (tier_of by scheme name:
 *	  built-in schemes and rows of tier_scheme) and tier_scheme.c (the
 *	  tier_scheme value type, which carries the rules to Citus workers).
 */
#ifndef MEMVAL_TIER_SCHEME_H
#define MEMVAL_TIER_SCHEME_H

#include "fmgr.h"
#include "rfm_score.h"
#include "utils/numeric.h"

enum
{
	LANG_EN,
	LANG_ZH,
	NLANGS
};

typedef enum SchemeKind
{
	SCHEME_SCORE,
	SCHEME_VALUE
} SchemeKind;

typedef enum Builtin
{
	BI_NONE,					/* a user scheme, or rule-based built-in */
	BI_FLAGS					/* rfm8, value4, value3: by high/low flags */
} Builtin;

typedef struct TierRule
{
	int			lo[3];			/* inclusive R, F, M ranges on the scheme scale */
	int			hi[3];
	Numeric		value_min;		/* value schemes: the threshold */
	float8		value_f8;		/* the same as float8, for float8 values */
	char	   *label;
} TierRule;

typedef struct TierScheme
{
	SchemeKind	kind;
	Builtin		builtin;
	int			scale;			/* score schemes: the scale S of the rules */
	char	   *fallback;		/* label when no rule matches */
	int			nrules;
	TierRule   *rules;
	char	   *flag_label[8];	/* BI_FLAGS: label by R<<2 | F<<1 | M (1 = high) */
} TierScheme;

/* 'en' or 'zh' as LANG_*; 22023 otherwise. */
extern int	tier_lang(const text *lang);

/*
 * The scheme called name (a user scheme of the table tier_scheme in the
 * schema of function fn_oid first, then a built-in), in
 * CurrentMemoryContext; 42704 when there is none, 0A000 in a query a
 * Citus node sent to another (the table there is not the coordinator's).
 */
extern void tier_scheme_resolve(TierScheme *sc, const char *name, int lang, Oid fn_oid);

/*
 * The scheme of a stored tier_rules value, checked, in
 * CurrentMemoryContext (tier_scheme.c): 22P03 when damaged, XX001 when
 * stored by a release with another format version.
 */
extern void tier_rules_read(TierScheme *sc, const struct varlena *v);

/* Fill in the float8 copies of the thresholds of a value scheme. */
extern void tier_scheme_prepare(TierScheme *sc);

/* The label (text, or NULL when no rule matches and there is no fallback). */
extern Datum tier_score_label(FunctionCallInfo fcinfo, const TierScheme *sc, RfmScore s);
extern Datum tier_value_label(FunctionCallInfo fcinfo, const TierScheme *sc, Numeric v);
extern Datum tier_value_label_float8(FunctionCallInfo fcinfo, const TierScheme *sc, float8 v);

#endif							/* MEMVAL_TIER_SCHEME_H */
