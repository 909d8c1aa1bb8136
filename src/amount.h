/*
 * amount.h
 *	  All exact-decimal arithmetic of memval (amount.c): sums of numeric
 *	  amounts kept as scaled 128-bit integers, numerics built from them,
 *	  and the powers of ten they scale by.
 */
#ifndef MEMVAL_AMOUNT_H
#define MEMVAL_AMOUNT_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/numeric.h"

#ifndef HAVE_INT128
#error "memval needs a compiler with 128-bit integers (gcc or clang on a 64-bit platform)"
#endif

/* The amount type of a state (rfm, btyd): RfmKind and BtydKind use these. */
#define AMOUNT_KIND_NUMERIC	1
#define AMOUNT_KIND_FLOAT8	2

static inline const char *
amount_kind_name(int kind)
{
	return kind == AMOUNT_KIND_NUMERIC ? "numeric" : "float8";
}

/* ----------------------------------------------------------------
 * Exact sums of numeric amounts (amount.c)
 *
 * The fast path keeps the sum as a 128-bit integer scaled by 10^scale,
 * where scale is the largest display scale seen, reading the numeric's
 * base-10000 digits directly (no palloc, no numeric arithmetic per row).
 * Amounts that do not fit (more than 30 decimals, more than ~10^36) go to
 * an exact numeric overflow sum kept beside it, so no input is an error
 * and nothing is rounded.
 * ----------------------------------------------------------------
 */
#define AMOUNT_MAX_SCALE	30

typedef struct AmountSum
{
	int128		acc;			/* sum of fast-path amounts * 10^scale */
	int32		scale;			/* largest display scale of those amounts */
	int32		pad;			/* keeps the struct a multiple of 8 bytes */
} AmountSum;

/*
 * Add a numeric datum (possibly short-header, never detoasted unless it is
 * compressed or external) to s, and set *sign to its sign (-1, 0, 1).
 * Returns false if it did not fit the fast path (s unchanged); the caller
 * then adds it to its overflow numeric with amount_overflow_add().
 * Errors (22023) on NaN and infinities.
 */
extern bool amount_add_datum(AmountSum *s, Datum amount, int *sign);
/* Merge b into a; false (and a unchanged) if the result does not fit. */
extern bool amount_merge(AmountSum *a, const AmountSum *b);
/* The fast-path sum as a numeric with display scale s->scale. */
extern Numeric amount_to_numeric(const AmountSum *s);
/* s / n (n > 0) exactly as numeric_div() computes it; NULL if too wide. */
extern Numeric amount_div_int64(const AmountSum *s, int64 n);
/* Parse exact numeric text into a fast-path sum; false if it does not fit. */
extern bool amount_from_numeric(AmountSum *s, Numeric num);
/* ovf + value (ovf may be NULL), exact, in CurrentMemoryContext. */
extern Numeric amount_overflow_add(Numeric ovf, Numeric value);
/* Sign of a numeric datum: -1, 0 or 1; errors on NaN and infinities. */
extern int	amount_sign_datum(Datum amount);

/* Numeric from its exact decimal text (numeric_in). */
extern Numeric amount_numeric_in(const char *text);
/* The exact numeric of a double: its shortest text, which reads back to it. */
extern Numeric amount_float8_numeric(float8 d);
/* v / 10^scale as a numeric (scale <= AMOUNT_POW10_MAX). */
extern Numeric amount_int64_numeric(int64 v, int scale);
/* v * 10^d (d <= 0: v) into *out; false if it does not fit an int64. */
extern bool amount_scale_int64(int128 v, int d, int64 *out);

/* 10^k for 0 <= k <= AMOUNT_POW10_MAX, from amount.c's one table. */
#define AMOUNT_POW10_MAX	38
extern int128 amount_pow10(int k);

/* Decimal digits every int64 holds (10^18 < 2^63). */
#define AMOUNT_INT64_DIGITS	18

/* Strip trailing decimal zeros of a fast-path amount: 12.2500 -> 12.25. */
static inline void
amount_normalize(AmountSum *s)
{
	while (s->scale > 0 && s->acc % 10 == 0)
	{
		s->acc /= 10;
		s->scale--;
	}
}

#endif							/* MEMVAL_AMOUNT_H */
