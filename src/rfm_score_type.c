/*
 * rfm_score_type.c
 *	  The rfm_score type (README, "RFM scores"): an RFM cell with its scale n.
 *
 * Text form: for n <= 9 the familiar three-digit cell, "543"; a scale other
 * than 5 is written after a slash, "332/3".  For n >= 10 the parts are
 * separated by hyphens and the scale is always written: "10-3-7/12".
 * Input accepts both forms for any n; without "/n" the scale is 5.  So
 * every value reads back to itself, and '543'::rfm_score means n = 5.
 *
 * The value is a 4-byte pass-by-value integer (see rfm_score.h); its order
 * is by (n, r, f, m), which gives btree and hash operator classes for
 * GROUP BY, DISTINCT, ORDER BY and joins.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "rfm_score.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(rfm_score_in);
PG_FUNCTION_INFO_V1(rfm_score_out);
PG_FUNCTION_INFO_V1(rfm_score_recv);
PG_FUNCTION_INFO_V1(rfm_score_send);
PG_FUNCTION_INFO_V1(rfm_score_make);
PG_FUNCTION_INFO_V1(rfm_score_r);
PG_FUNCTION_INFO_V1(rfm_score_f);
PG_FUNCTION_INFO_V1(rfm_score_m);
PG_FUNCTION_INFO_V1(rfm_score_n);
PG_FUNCTION_INFO_V1(rfm_score_parts);
PG_FUNCTION_INFO_V1(rfm_score_eq);
PG_FUNCTION_INFO_V1(rfm_score_ne);
PG_FUNCTION_INFO_V1(rfm_score_lt);
PG_FUNCTION_INFO_V1(rfm_score_le);
PG_FUNCTION_INFO_V1(rfm_score_gt);
PG_FUNCTION_INFO_V1(rfm_score_ge);
PG_FUNCTION_INFO_V1(rfm_score_cmp);
PG_FUNCTION_INFO_V1(rfm_score_hash);
PG_FUNCTION_INFO_V1(rfm_score_hash_extended);

static void
score_syntax_error(const char *input)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type rfm_score: \"%s\"", input),
			 errhint("Write a cell as \"543\" (scale 5), \"332/3\", or \"10-3-7/12\".")));
}

/* Parts must lie in 1..n (22003 when read, 22023 when built). */
static RfmScore
score_make_checked(int64 n, int64 r, int64 f, int64 m, int sqlstate)
{
	if (n < RFM_SCORE_MIN_N || n > RFM_SCORE_MAX_N)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("scale n must be between %d and %d, got " INT64_FORMAT,
						RFM_SCORE_MIN_N, RFM_SCORE_MAX_N, n)));
	if (r < 1 || r > n || f < 1 || f > n || m < 1 || m > n)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("rfm_score parts must be between 1 and " INT64_FORMAT ", got R=" INT64_FORMAT ", F=" INT64_FORMAT ", M=" INT64_FORMAT,
						n, r, f, m)));
	return RFM_SCORE_MAKE(n, r, f, m);
}

/* Read an unsigned decimal integer of at most 3 digits. */
static bool
score_read_int(const char **p, int64 *v)
{
	int			digits = 0;

	*v = 0;
	while (isdigit((unsigned char) **p) && digits < 4)
	{
		*v = *v * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	return digits > 0 && digits <= 3;
}

Datum
rfm_score_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	int64		part[3];
	int64		n = 5;
	int			i;

	while (isspace((unsigned char) *p))
		p++;
	if (strchr(p, '-') != NULL)
	{
		/* wide form R-F-M[/n] */
		for (i = 0; i < 3; i++)
		{
			if (i > 0 && *p++ != '-')
				score_syntax_error(input);
			if (!score_read_int(&p, &part[i]))
				score_syntax_error(input);
		}
	}
	else
	{
		/* short form: three digits */
		for (i = 0; i < 3; i++)
		{
			if (!isdigit((unsigned char) *p))
				score_syntax_error(input);
			part[i] = *p++ - '0';
		}
	}
	if (*p == '/')
	{
		p++;
		if (!score_read_int(&p, &n))
			score_syntax_error(input);
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		score_syntax_error(input);
	PG_RETURN_RFM_SCORE(score_make_checked(n, part[0], part[1], part[2],
										   ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE));
}

Datum
rfm_score_out(PG_FUNCTION_ARGS)
{
	RfmScore	s = PG_GETARG_RFM_SCORE(0);
	int			n = RFM_SCORE_N(s);

	if (n <= 9)
	{
		if (n == 5)
			PG_RETURN_CSTRING(psprintf("%d%d%d", RFM_SCORE_R(s), RFM_SCORE_F(s), RFM_SCORE_M(s)));
		PG_RETURN_CSTRING(psprintf("%d%d%d/%d", RFM_SCORE_R(s), RFM_SCORE_F(s), RFM_SCORE_M(s), n));
	}
	PG_RETURN_CSTRING(psprintf("%d-%d-%d/%d", RFM_SCORE_R(s), RFM_SCORE_F(s), RFM_SCORE_M(s), n));
}

Datum
rfm_score_send(PG_FUNCTION_ARGS)
{
	RfmScore	s = PG_GETARG_RFM_SCORE(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, RFM_SCORE_N(s));
	pq_sendint8(&buf, RFM_SCORE_R(s));
	pq_sendint8(&buf, RFM_SCORE_F(s));
	pq_sendint8(&buf, RFM_SCORE_M(s));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_score_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = pq_getmsgint(buf, 1);
	int			r = pq_getmsgint(buf, 1);
	int			f = pq_getmsgint(buf, 1);
	int			m = pq_getmsgint(buf, 1);

	pq_getmsgend(buf);
	PG_RETURN_RFM_SCORE(score_make_checked(n, r, f, m, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

/* rfm_score(r int, f int, m int, n int DEFAULT 5) */
Datum
rfm_score_make(PG_FUNCTION_ARGS)
{
	PG_RETURN_RFM_SCORE(score_make_checked(PG_GETARG_INT32(3), PG_GETARG_INT32(0),
										   PG_GETARG_INT32(1), PG_GETARG_INT32(2),
										   ERRCODE_INVALID_PARAMETER_VALUE));
}

Datum
rfm_score_r(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_SCORE_R(PG_GETARG_RFM_SCORE(0)));
}

Datum
rfm_score_f(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_SCORE_F(PG_GETARG_RFM_SCORE(0)));
}

Datum
rfm_score_m(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_SCORE_M(PG_GETARG_RFM_SCORE(0)));
}

Datum
rfm_score_n(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_SCORE_N(PG_GETARG_RFM_SCORE(0)));
}

/* rfm_score_parts(s, OUT r, OUT f, OUT m, OUT n): the parts as columns */
Datum
rfm_score_parts(PG_FUNCTION_ARGS)
{
	RfmScore	s = PG_GETARG_RFM_SCORE(0);
	TupleDesc	td;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "rfm_score_parts must return a composite type");
	td = BlessTupleDesc(td);
	values[0] = Int32GetDatum(RFM_SCORE_R(s));
	values[1] = Int32GetDatum(RFM_SCORE_F(s));
	values[2] = Int32GetDatum(RFM_SCORE_M(s));
	values[3] = Int32GetDatum(RFM_SCORE_N(s));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, values, nulls)));
}

#define SCORE_CMP_FN(name, op) \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_RFM_SCORE(0) op PG_GETARG_RFM_SCORE(1)); \
}

SCORE_CMP_FN(rfm_score_eq, ==)
SCORE_CMP_FN(rfm_score_ne, !=)
SCORE_CMP_FN(rfm_score_lt, <)
SCORE_CMP_FN(rfm_score_le, <=)
SCORE_CMP_FN(rfm_score_gt, >)
SCORE_CMP_FN(rfm_score_ge, >=)

Datum
rfm_score_cmp(PG_FUNCTION_ARGS)
{
	RfmScore	a = PG_GETARG_RFM_SCORE(0);
	RfmScore	b = PG_GETARG_RFM_SCORE(1);

	PG_RETURN_INT32(a < b ? -1 : a > b ? 1 : 0);
}

Datum
rfm_score_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32(PG_GETARG_RFM_SCORE(0));
}

Datum
rfm_score_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended(PG_GETARG_RFM_SCORE(0), PG_GETARG_INT64(1));
}
