/*
 * amount.c
 *	  Exact sums of numeric amounts without numeric arithmetic per row.
 *
 * A numeric's on-disk form is a header (sign, display scale, weight) and
 * base-10000 digits; the format is stable because it is stored on disk.
 * We read it directly into a 128-bit integer scaled by 10^scale, where
 * scale is the largest display scale seen so far, so the sum is exact and
 * carries the same display scale as the built-in sum(numeric).  What does
 * not fit (very long or very large values) is reported to the caller,
 * which keeps it in an exact numeric overflow sum.
 */
#include "postgres.h"

#include <string.h>

#include "amount.h"
#include "common/shortest_dec.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"

/* Header bits of the numeric on-disk format (see utils/adt/numeric.c). */
#define NUM_SIGN_MASK			0xC000
#define NUM_NEG					0x4000
#define NUM_SHORT				0x8000
#define NUM_SPECIAL				0xC000
#define NUM_SHORT_SIGN_MASK		0x2000
#define NUM_SHORT_DSCALE_MASK	0x1F80
#define NUM_SHORT_DSCALE_SHIFT	7
#define NUM_SHORT_WEIGHT_SIGN	0x0040
#define NUM_SHORT_WEIGHT_MASK	0x003F
#define NUM_DSCALE_MASK			0x3FFF
#define NUM_NAN					0xC000
#define NUM_PINF				0xD000

/* The numeric format's base: NUM_DEC_DIGITS decimal digits per digit. */
#define NUM_NBASE				10000
#define NUM_DEC_DIGITS			4

/* At most 9 base-10000 digits (10^36) go into the 128-bit fast path. */
#define FAST_MAX_DIGITS			9

/* Private to this file (no GOT load on the hot path); others call amount_pow10(). */
static const int128 pow10_128[AMOUNT_POW10_MAX + 1] = {
	(int128) 1LL,
	(int128) 10LL,
	(int128) 100LL,
	(int128) 1000LL,
	(int128) 10000LL,
	(int128) 100000LL,
	(int128) 1000000LL,
	(int128) 10000000LL,
	(int128) 100000000LL,
	(int128) 1000000000LL,
	(int128) 10000000000LL,
	(int128) 100000000000LL,
	(int128) 1000000000000LL,
	(int128) 10000000000000LL,
	(int128) 100000000000000LL,
	(int128) 1000000000000000LL,
	(int128) 10000000000000000LL,
	(int128) 100000000000000000LL,
	(int128) 1000000000000000000LL,
	(int128) 1000000000000000000LL * 10LL,
	(int128) 1000000000000000000LL * 100LL,
	(int128) 1000000000000000000LL * 1000LL,
	(int128) 1000000000000000000LL * 10000LL,
	(int128) 1000000000000000000LL * 100000LL,
	(int128) 1000000000000000000LL * 1000000LL,
	(int128) 1000000000000000000LL * 10000000LL,
	(int128) 1000000000000000000LL * 100000000LL,
	(int128) 1000000000000000000LL * 1000000000LL,
	(int128) 1000000000000000000LL * 10000000000LL,
	(int128) 1000000000000000000LL * 100000000000LL,
	(int128) 1000000000000000000LL * 1000000000000LL,
	(int128) 1000000000000000000LL * 10000000000000LL,
	(int128) 1000000000000000000LL * 100000000000000LL,
	(int128) 1000000000000000000LL * 1000000000000000LL,
	(int128) 1000000000000000000LL * 10000000000000000LL,
	(int128) 1000000000000000000LL * 100000000000000000LL,
	(int128) 1000000000000000000LL * 1000000000000000000LL,
	(int128) 1000000000000000000LL * 1000000000000000000LL * 10LL,
	(int128) 1000000000000000000LL * 1000000000000000000LL * 100LL,
};

/* Multiply by 10^k (0 <= k <= 38) with overflow detection. */
static inline bool
mul_pow10(int128 v, int k, int128 *result)
{
	return !__builtin_mul_overflow(v, pow10_128[k], result);
}

/* A view of a numeric datum's on-disk form, without copying it. */
typedef struct NumView
{
	const char *digits;			/* base-10000 digits, possibly unaligned */
	int			ndigits;
	int			weight;			/* weight of the first digit */
	int			dscale;			/* display scale */
	uint16		sign;			/* 0 or NUM_NEG, or a special value */
	bool		special;		/* NaN or an infinity */
	struct varlena *detoasted;	/* to free, when we had to detoast */
} NumView;

static void
num_view(Datum d, NumView *v)
{
	struct varlena *p = (struct varlena *) DatumGetPointer(d);
	const char *data;
	Size		len;
	uint16		h;

	v->detoasted = NULL;
	if (VARATT_IS_EXTENDED(p) && !VARATT_IS_SHORT(p))
	{
		p = pg_detoast_datum(p);
		v->detoasted = p;
	}
	data = VARDATA_ANY(p);
	len = VARSIZE_ANY_EXHDR(p);
	memcpy(&h, data, sizeof(uint16));

	v->special = false;
	if ((h & NUM_SIGN_MASK) == NUM_SPECIAL)
	{
		v->special = true;
		v->sign = h;
		v->ndigits = 0;
		v->digits = NULL;
		v->weight = 0;
		v->dscale = 0;
	}
	else if (h & NUM_SHORT)
	{
		v->sign = (h & NUM_SHORT_SIGN_MASK) ? NUM_NEG : 0;
		v->dscale = (h & NUM_SHORT_DSCALE_MASK) >> NUM_SHORT_DSCALE_SHIFT;
		v->weight = (int) (h & NUM_SHORT_WEIGHT_MASK);
		if (h & NUM_SHORT_WEIGHT_SIGN)
			v->weight -= NUM_SHORT_WEIGHT_MASK + 1;
		v->digits = data + sizeof(uint16);
		v->ndigits = (len - sizeof(uint16)) / sizeof(int16);
	}
	else
	{
		int16		w;

		v->sign = h & NUM_SIGN_MASK;
		v->dscale = h & NUM_DSCALE_MASK;
		memcpy(&w, data + sizeof(uint16), sizeof(int16));
		v->weight = w;
		v->digits = data + 2 * sizeof(uint16);
		v->ndigits = (len - 2 * sizeof(uint16)) / sizeof(int16);
	}
}

static void
num_view_release(NumView *v)
{
	if (v->detoasted)
		pfree(v->detoasted);
}

static void
num_view_check_finite(const NumView *v)
{
	if (v->special)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount must be finite, got %s",
						v->sign == NUM_NAN ? "NaN" :
						v->sign == NUM_PINF ? "Infinity" : "-Infinity")));
}

static inline int
num_view_sign(const NumView *v)
{
	if (v->ndigits == 0)
		return 0;
	return v->sign == NUM_NEG ? -1 : 1;
}

/* Raise s to display scale dscale; false if the sum would overflow. */
static bool
amount_rescale(AmountSum *s, int dscale)
{
	int128		acc;

	if (dscale <= s->scale)
		return true;
	if (!mul_pow10(s->acc, dscale - s->scale, &acc))
		return false;
	s->acc = acc;
	s->scale = dscale;
	return true;
}

bool
amount_add_datum(AmountSum *s, Datum amount, int *sign)
{
	NumView		v;
	int128		u = 0;
	int128		val;
	int			e;
	int			i;
	AmountSum	save = *s;

	num_view(amount, &v);
	num_view_check_finite(&v);
	*sign = num_view_sign(&v);

	if (v.ndigits > FAST_MAX_DIGITS || v.dscale > AMOUNT_MAX_SCALE)
		goto no_fit;
	if (v.ndigits == 0)
	{
		/* zero still raises the display scale, as in sum(numeric) */
		if (!amount_rescale(s, v.dscale))
			goto no_fit;
		num_view_release(&v);
		return true;
	}

	if (!amount_rescale(s, v.dscale))
		goto no_fit;
	/* value * 10^scale = u * 10^e */
	e = 4 * (v.weight - v.ndigits + 1) + s->scale;

	if (v.ndigits <= 4 && e >= -3 && e <= 18)
	{
		/*
		 * The common case (up to 16 significant digits, e.g. 123.45): the
		 * digits fit 64 bits (< 10^16), and u * 10^e < 10^34 fits 128, so
		 * no overflow checks and no 128-bit division.  Since scale >=
		 * dscale, the digits past the display scale are at most the 3
		 * trailing zeros of the last base-10000 digit, so e >= -3 for any
		 * numeric PostgreSQL stores.
		 */
		uint64		u64 = 0;

		for (i = 0; i < v.ndigits; i++)
		{
			int16		d;

			memcpy(&d, v.digits + i * sizeof(int16), sizeof(int16));
			u64 = u64 * NUM_NBASE + d;
		}
		switch (e)
		{
			case -3:
				val = u64 / 1000;
				break;
			case -2:
				val = u64 / 100;
				break;
			case -1:
				val = u64 / 10;
				break;
			default:
				val = (int128) u64 * pow10_128[e];
				break;
		}
		goto add;
	}

	for (i = 0; i < v.ndigits; i++)
	{
		int16		d;

		memcpy(&d, v.digits + i * sizeof(int16), sizeof(int16));
		u = u * NUM_NBASE + d;
	}
	if (e >= 0)
	{
		if (e > AMOUNT_POW10_MAX || !mul_pow10(u, e, &val))
			goto no_fit;
	}
	else
	{
		/* digits past the display scale are zero, so this is exact */
		if (-e > AMOUNT_POW10_MAX)
			goto no_fit;
		val = u / pow10_128[-e];
	}
add:
	if (v.sign == NUM_NEG)
		val = -val;
	if (__builtin_add_overflow(s->acc, val, &s->acc))
		goto no_fit;
	num_view_release(&v);
	return true;

no_fit:
	*s = save;
	num_view_release(&v);
	return false;
}

int
amount_sign_datum(Datum amount)
{
	NumView		v;
	int			sign;

	num_view(amount, &v);
	num_view_check_finite(&v);
	sign = num_view_sign(&v);
	num_view_release(&v);
	return sign;
}

bool
amount_merge(AmountSum *a, const AmountSum *b)
{
	AmountSum	save = *a;
	AmountSum	bb = *b;

	if (!amount_rescale(a, bb.scale) || !amount_rescale(&bb, a->scale) ||
		__builtin_add_overflow(a->acc, bb.acc, &a->acc))
	{
		*a = save;
		return false;
	}
	return true;
}

/*
 * Split |v| / 10^scale into base-10000 digits aligned on the decimal point,
 * most significant first, as numeric.c's make_result() stores them: leading
 * and trailing zero digits dropped.  Returns the number of digits (0 for
 * zero) and sets *weight, the weight of the first one.  scale <= 38.
 */
static int
amount_nbase_digits(int128 v, int scale, int16 *digits, int *weight)
{
	uint128		m = v < 0 ? (uint128) (-(v + 1)) + 1 : (uint128) v;
	uint128		ipart = m / (uint128) pow10_128[scale];
	uint128		fpart = m % (uint128) pow10_128[scale];
	int			nfrac = (scale + NUM_DEC_DIGITS - 1) / NUM_DEC_DIGITS;
	int16		rev[24];		/* integer digits, least significant first */
	int			nint = 0;
	int			n = 0;
	int			first;
	int			i;

	/* the fraction, padded with zeros to whole base-10000 digits */
	if (nfrac > 0)
	{
		int			pad = NUM_DEC_DIGITS * nfrac - scale;

		for (i = nfrac - 1; i >= 0; i--)
		{
			int			width = (i == nfrac - 1) ? NUM_DEC_DIGITS - pad : NUM_DEC_DIGITS;

			digits[10 + i] = (int16) ((fpart % (uint128) pow10_128[width]) *
									  (uint128) pow10_128[NUM_DEC_DIGITS - width]);
			fpart /= (uint128) pow10_128[width];
		}
	}
	while (ipart != 0)
	{
		rev[nint++] = (int16) (ipart % NUM_NBASE);
		ipart /= NUM_NBASE;
	}
	/* integer digits go just before the fraction, at digits[10 - nint] */
	for (i = 0; i < nint; i++)
		digits[10 - 1 - i] = rev[i];
	first = 10 - nint;
	n = nint + nfrac;
	*weight = nint - 1;
	while (n > 0 && digits[first] == 0)
	{
		first++;
		n--;
		(*weight)--;
	}
	while (n > 0 && digits[first + n - 1] == 0)
		n--;
	if (n == 0)
		*weight = 0;
	if (first > 0)
		memmove(digits, digits + first, n * sizeof(int16));
	return n;
}

/*
 * A numeric in the on-disk format from its sign, display scale, weight and
 * base-10000 digits (as amount_nbase_digits() returns them).  With at most
 * 38 decimals and 128 bits, the short header always applies; the long one
 * is kept for completeness.
 */
static Numeric
amount_make_numeric(bool neg, int dscale, int weight, const int16 *digits, int n)
{
	bool		is_short = dscale <= (NUM_SHORT_DSCALE_MASK >> NUM_SHORT_DSCALE_SHIFT) &&
		weight >= -(NUM_SHORT_WEIGHT_MASK + 1) && weight <= NUM_SHORT_WEIGHT_MASK;
	Size		hdr = VARHDRSZ + (is_short ? 1 : 2) * sizeof(uint16);
	Size		len = hdr + n * sizeof(int16);
	char	   *result = palloc(len);
	uint16		h;

	if (n == 0)
		neg = false;
	SET_VARSIZE(result, len);
	if (is_short)
	{
		h = NUM_SHORT | (neg ? NUM_SHORT_SIGN_MASK : 0) |
			(uint16) (dscale << NUM_SHORT_DSCALE_SHIFT) |
			(weight < 0 ? NUM_SHORT_WEIGHT_SIGN : 0) | (uint16) (weight & NUM_SHORT_WEIGHT_MASK);
		memcpy(result + VARHDRSZ, &h, sizeof(uint16));
	}
	else
	{
		int16		w = (int16) weight;

		h = (neg ? NUM_NEG : 0) | (uint16) (dscale & NUM_DSCALE_MASK);
		memcpy(result + VARHDRSZ, &h, sizeof(uint16));
		memcpy(result + VARHDRSZ + sizeof(uint16), &w, sizeof(int16));
	}
	memcpy(result + hdr, digits, n * sizeof(int16));
	return (Numeric) result;
}

/*
 * The fast-path sum as a numeric of display scale s->scale, built in the
 * on-disk format directly: the same bytes numeric_in() makes of its
 * decimal text, without the text.
 */
Numeric
amount_to_numeric(const AmountSum *s)
{
	int16		digits[24];
	int			weight;
	int			n;

	if (s->scale < 0 || s->scale > AMOUNT_POW10_MAX)
		elog(ERROR, "amount scale %d out of range", s->scale);
	n = amount_nbase_digits(s->acc, s->scale, digits, &weight);
	return amount_make_numeric(s->acc < 0, s->scale, weight, digits, n);
}

/*
 * s / n as numeric_div() computes it (n > 0): the result scale of its
 * select_div_scale() (at least 16 significant digits, at least the
 * dividend's display scale), the exact quotient rounded half away from
 * zero.  Returns NULL when the quotient does not fit the 128-bit path; the
 * caller then calls numeric_div().
 */
Numeric
amount_div_int64(const AmountSum *s, int64 n)
{
	int16		digits[24];
	int			weight1;
	int			nd1;
	int			weight2 = -1;
	int			first2 = 0;
	int			qweight;
	int			rscale;
	int64		m = n;
	int128		num;
	int128		q;
	int128		r;
	AmountSum	res;

	Assert(n > 0);
	nd1 = amount_nbase_digits(s->acc, s->scale, digits, &weight1);
	while (m != 0)
	{
		first2 = (int) (m % NUM_NBASE);
		m /= NUM_NBASE;
		weight2++;
	}
	/* select_div_scale(): estimated weight of the quotient, then the scale */
	qweight = weight1 - weight2;
	if ((nd1 > 0 ? digits[0] : 0) <= first2)
		qweight--;
	rscale = 16 - qweight * 4;
	rscale = Max(rscale, s->scale);
	rscale = Max(rscale, 0);
	if (rscale > AMOUNT_POW10_MAX || !mul_pow10(s->acc, rscale - s->scale, &num))
		return NULL;
	q = num / n;
	r = num % n;
	if (r < 0)
		r = -r;
	if (r >= n - r)
		q += num < 0 ? -1 : 1;
	res.acc = q;
	res.scale = rscale;
	res.pad = 0;
	return amount_to_numeric(&res);
}

bool
amount_from_numeric(AmountSum *s, Numeric num)
{
	int			sign;

	s->acc = 0;
	s->scale = 0;
	s->pad = 0;
	return amount_add_datum(s, NumericGetDatum(num), &sign);
}

Numeric
amount_overflow_add(Numeric ovf, Numeric value)
{
	if (ovf == NULL)
		return DatumGetNumeric(datumCopy(NumericGetDatum(value), false, -1));
	return DatumGetNumeric(DirectFunctionCall2(numeric_add,
											   NumericGetDatum(ovf),
											   NumericGetDatum(value)));
}

Numeric
amount_numeric_in(const char *text)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

Numeric
amount_float8_numeric(float8 d)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(d, buf);
	return amount_numeric_in(buf);
}

Numeric
amount_int64_numeric(int64 v, int scale)
{
	AmountSum	s;

	s.acc = v;
	s.scale = scale;
	s.pad = 0;
	return amount_to_numeric(&s);
}

bool
amount_scale_int64(int128 v, int d, int64 *out)
{
	int128		r = v;

	if (d > 0 && v != 0 && (d > AMOUNT_POW10_MAX || !mul_pow10(v, d, &r)))
		return false;
	if (r > PG_INT64_MAX || r < PG_INT64_MIN)
		return false;
	*out = (int64) r;
	return true;
}

int128
amount_pow10(int k)
{
	Assert(k >= 0 && k <= AMOUNT_POW10_MAX);
	return pow10_128[k];
}
