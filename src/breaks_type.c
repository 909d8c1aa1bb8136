/*
 * breaks_type.c
 *	  The rfm_breaks type (README, "RFM scores"): n and the three breakpoint arrays,
 *	  built by the rfm_breaks aggregate (breaks.c) or from custom intervals
 *	  with rfm_breaks(recency float8[], frequency float8[], monetary
 *	  numeric[]).
 *
 * Text form:  n=5 recency={..} frequency={..} monetary={..}
 * (recency and frequency in the shortest exact float8 text, monetary as
 * exact numeric).  Breakpoints are finite and non-decreasing (equal
 * neighbours occur naturally as percentiles of tied data).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "breaks.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "state_io.h"

/* ----------------------------------------------------------------
 * The rfm_breaks type
 * ----------------------------------------------------------------
 */

typedef struct RfmBreaksData
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* MEMVAL_STATE_VERSION (state_io.h) */
	uint8		pad;
	int16		n;				/* scale */
	/* float8 rec[n-1], float8 freq[n-1], then n-1 Numerics, each MAXALIGNed */
} RfmBreaksData;

#define RB_HDR		MAXALIGN(sizeof(RfmBreaksData))

/* Fill the derived fields of b (monf, monkey) from b->mon. */
void
breaks_finish(ScoreBreaks *b)
{
	AmountSum	s[RFM_MAX_BREAKS];
	int			k;
	int			nb = b->n - 1;
	int32		scale = 0;
	bool		ok = true;

	for (k = 0; k < nb; k++)
	{
		int			sign;

		b->monf[k] = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
														NumericGetDatum(b->mon[k])));
		memset(&s[k], 0, sizeof(s[k]));
		if (!amount_add_datum(&s[k], NumericGetDatum(b->mon[k]), &sign))
			ok = false;
		else
		{
			amount_normalize(&s[k]);
			scale = Max(scale, s[k].scale);
		}
	}
	for (k = 0; ok && k < nb; k++)
		ok = amount_scale_int64(s[k].acc, scale - s[k].scale, &b->monkey[k]);
	b->monscale = scale;
	b->monkey_ok = ok;
}

struct varlena *
breaks_flatten(const ScoreBreaks *b)
{
	int			nb = b->n - 1;
	Size		size = RB_HDR + 2 * sizeof(float8) * nb;
	RfmBreaksData *rb;
	char	   *p;
	int			k;

	for (k = 0; k < nb; k++)
		size += MAXALIGN(VARSIZE(b->mon[k]));
	rb = (RfmBreaksData *) palloc0(size);
	SET_VARSIZE(rb, size);
	rb->version = MEMVAL_STATE_VERSION;
	rb->n = b->n;
	p = (char *) rb + RB_HDR;
	memcpy(p, b->rec, sizeof(float8) * nb);
	p += sizeof(float8) * nb;
	memcpy(p, b->freq, sizeof(float8) * nb);
	p += sizeof(float8) * nb;
	for (k = 0; k < nb; k++)
	{
		memcpy(p, b->mon[k], VARSIZE(b->mon[k]));
		p += MAXALIGN(VARSIZE(b->mon[k]));
	}
	return (struct varlena *) rb;
}

void
breaks_parse(struct varlena *flat, ScoreBreaks *out)
{
	RfmBreaksData *rb = (RfmBreaksData *) PG_DETOAST_DATUM(PointerGetDatum(flat));
	char	   *p = (char *) rb + RB_HDR;
	char	   *end = (char *) rb + VARSIZE(rb);
	int			nb;
	int			k;

	state_check_stored_version(rb->version, "rfm_breaks");
	memset(out, 0, sizeof(*out));
	if (rb->n < RFM_SCORE_MIN_N || rb->n > RFM_SCORE_MAX_N)
		elog(ERROR, "corrupt rfm_breaks value (n = %d)", rb->n);
	out->n = rb->n;
	nb = rb->n - 1;
	memcpy(out->rec, p, sizeof(float8) * nb);
	p += sizeof(float8) * nb;
	memcpy(out->freq, p, sizeof(float8) * nb);
	p += sizeof(float8) * nb;
	for (k = 0; k < nb; k++)
	{
		Size		len;

		if (p + VARHDRSZ > end || p + (len = VARSIZE(p)) > end)
			elog(ERROR, "corrupt rfm_breaks value");
		out->mon[k] = (Numeric) palloc(len);
		memcpy(out->mon[k], p, len);
		p += MAXALIGN(len);
	}
	breaks_finish(out);
}

/* Breakpoints must be finite and non-decreasing; sqlstate says who asked. */
static void
breaks_validate(const ScoreBreaks *b, int sqlstate)
{
	int			k;
	int			nb = b->n - 1;

	for (k = 0; k < nb; k++)
	{
		const char *bad = NULL;

		if (isnan(b->rec[k]) || isinf(b->rec[k]))
			bad = "recency";
		else if (isnan(b->freq[k]) || isinf(b->freq[k]))
			bad = "frequency";
		else if ((numeric_is_nan(b->mon[k]) || numeric_is_inf(b->mon[k])))
			bad = "monetary";
		if (bad)
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("%s breakpoint %d must be finite", bad, k + 1)));
		if (k == 0)
			continue;
		if (b->rec[k] < b->rec[k - 1])
			bad = "recency";
		else if (b->freq[k] < b->freq[k - 1])
			bad = "frequency";
		else if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(b->mon[k]),
												   NumericGetDatum(b->mon[k - 1]))) < 0)
			bad = "monetary";
		if (bad)
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("%s breakpoints must be in ascending order", bad),
					 errdetail("Breakpoint %d is smaller than breakpoint %d.", k + 1, k)));
	}
}

PG_FUNCTION_INFO_V1(rfm_breaks_in);
PG_FUNCTION_INFO_V1(rfm_breaks_out);
PG_FUNCTION_INFO_V1(rfm_breaks_recv);
PG_FUNCTION_INFO_V1(rfm_breaks_send);
PG_FUNCTION_INFO_V1(rfm_breaks_custom);
PG_FUNCTION_INFO_V1(rfm_breaks_n);
PG_FUNCTION_INFO_V1(rfm_breaks_recency);
PG_FUNCTION_INFO_V1(rfm_breaks_frequency);
PG_FUNCTION_INFO_V1(rfm_breaks_monetary);

Datum
rfm_breaks_out(PG_FUNCTION_ARGS)
{
	ScoreBreaks b;
	StringInfoData buf;
	int			k;

	breaks_parse(PG_GETARG_VARLENA_P(0), &b);
	initStringInfo(&buf);
	appendStringInfo(&buf, "n=%d recency={", b.n);
	for (k = 0; k < b.n - 1; k++)
	{
		if (k)
			appendStringInfoChar(&buf, ',');
		state_append_float8(&buf, b.rec[k]);
	}
	appendStringInfoString(&buf, "} frequency={");
	for (k = 0; k < b.n - 1; k++)
	{
		if (k)
			appendStringInfoChar(&buf, ',');
		state_append_float8(&buf, b.freq[k]);
	}
	appendStringInfoString(&buf, "} monetary={");
	for (k = 0; k < b.n - 1; k++)
	{
		if (k)
			appendStringInfoChar(&buf, ',');
		appendStringInfoString(&buf, DatumGetCString(DirectFunctionCall1(numeric_out,
																		 NumericGetDatum(b.mon[k]))));
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Skip spaces, then the literal lit (or fail). */
static void
rb_expect(char **p, const char *lit, const char *input)
{
	while (isspace((unsigned char) **p))
		(*p)++;
	if (strncmp(*p, lit, strlen(lit)) != 0)
		state_syntax_error("rfm_breaks", input, psprintf("Expected \"%s\".", lit));
	*p += strlen(lit);
}

/* Parse "{a,b,...}" into at most max tokens (NUL-terminated in place). */
static int
rb_list(char **p, char **tok, int max, const char *input)
{
	int			nt = 0;

	rb_expect(p, "{", input);
	if (**p == '}')
	{
		(*p)++;
		return 0;
	}
	for (;;)
	{
		char	   *start = *p;

		while (**p && **p != ',' && **p != '}')
			(*p)++;
		if (**p == '\0')
			state_syntax_error("rfm_breaks", input, "Unterminated list.");
		if (nt >= max)
			state_syntax_error("rfm_breaks", input, "Too many breakpoints.");
		tok[nt++] = start;
		if (**p == '}')
		{
			**p = '\0';
			(*p)++;
			return nt;
		}
		**p = '\0';
		(*p)++;
	}
}

Datum
rfm_breaks_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *s = pstrdup(input);
	char	   *p = s;
	char	   *tok[3][RFM_MAX_BREAKS];
	int			cnt[3];
	ScoreBreaks b;
	char	   *end;
	long		n;
	int			a,
				k;

	memset(&b, 0, sizeof(b));
	rb_expect(&p, "n=", input);
	errno = 0;
	n = strtol(p, &end, 10);
	if (end == p || errno != 0)
		state_syntax_error("rfm_breaks", input, "Expected the scale n.");
	p = end;
	if (n < RFM_SCORE_MIN_N || n > RFM_SCORE_MAX_N)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("scale n must be between %d and %d, got %ld",
						RFM_SCORE_MIN_N, RFM_SCORE_MAX_N, n)));
	for (a = 0; a < 3; a++)
	{
		rb_expect(&p, axis_name(a), input);
		rb_expect(&p, "=", input);
		cnt[a] = rb_list(&p, tok[a], RFM_MAX_BREAKS, input);
		if (cnt[a] != n - 1)
			state_syntax_error("rfm_breaks", input, psprintf("Expected %ld %s breakpoints.", n - 1, axis_name(a)));
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		state_syntax_error("rfm_breaks", input, "Unexpected text after the monetary list.");
	b.n = n;
	for (k = 0; k < n - 1; k++)
	{
		b.rec[k] = float8in_internal(tok[0][k], NULL, "double precision", input);
		b.freq[k] = float8in_internal(tok[1][k], NULL, "double precision", input);
		b.mon[k] = amount_numeric_in(tok[2][k]);
	}
	breaks_validate(&b, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(breaks_flatten(&b));
}

Datum
rfm_breaks_send(PG_FUNCTION_ARGS)
{
	ScoreBreaks b;
	StringInfoData buf;
	int			k;

	breaks_parse(PG_GETARG_VARLENA_P(0), &b);
	pq_begintypsend(&buf);
	pq_sendint8(&buf, MEMVAL_STATE_VERSION);
	pq_sendint32(&buf, b.n);
	for (k = 0; k < b.n - 1; k++)
		pq_sendfloat8(&buf, b.rec[k]);
	for (k = 0; k < b.n - 1; k++)
		pq_sendfloat8(&buf, b.freq[k]);
	for (k = 0; k < b.n - 1; k++)
	{
		bytea	   *nb = DatumGetByteaPP(DirectFunctionCall1(numeric_send, NumericGetDatum(b.mon[k])));

		pq_sendint32(&buf, VARSIZE_ANY_EXHDR(nb));
		pq_sendbytes(&buf, VARDATA_ANY(nb), VARSIZE_ANY_EXHDR(nb));
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* A numeric from a length-prefixed numeric_send image in buf. */
static Numeric
recv_numeric(StringInfo buf, const char *type)
{
	int			len = pq_getmsgint(buf, 4);
	StringInfoData nbuf;

	if (len < 0 || len > buf->len - buf->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("truncated %s", type)));
	initStringInfo(&nbuf);
	appendBinaryStringInfo(&nbuf, pq_getmsgbytes(buf, len), len);
	return DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&nbuf),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

Datum
rfm_breaks_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ScoreBreaks b;
	int			k;

	state_recv_version(buf, "rfm_breaks");
	memset(&b, 0, sizeof(b));
	b.n = pq_getmsgint(buf, 4);
	if (b.n < RFM_SCORE_MIN_N || b.n > RFM_SCORE_MAX_N)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid rfm_breaks scale %d", b.n)));
	for (k = 0; k < b.n - 1; k++)
		b.rec[k] = pq_getmsgfloat8(buf);
	for (k = 0; k < b.n - 1; k++)
		b.freq[k] = pq_getmsgfloat8(buf);
	for (k = 0; k < b.n - 1; k++)
		b.mon[k] = recv_numeric(buf, "rfm_breaks");
	pq_getmsgend(buf);
	breaks_validate(&b, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(breaks_flatten(&b));
}

/* Elements of a one-dimensional array without NULLs (22023 otherwise). */
static int
array_elems(ArrayType *arr, Oid elemtype, const char *what, Datum **elems)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	bool	   *nulls;
	int			ne;
	int			i;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s breakpoints must be a one-dimensional array", what)));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elemtype, typlen, typbyval, typalign, elems, &nulls, &ne);
	for (i = 0; i < ne; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s breakpoint %d is null", what, i + 1)));
	return ne;
}

/* rfm_breaks(recency float8[], frequency float8[], monetary numeric[]) */
Datum
rfm_breaks_custom(PG_FUNCTION_ARGS)
{
	Datum	   *r,
			   *f,
			   *m;
	int			nr = array_elems(PG_GETARG_ARRAYTYPE_P(0), FLOAT8OID, "recency", &r);
	int			nf = array_elems(PG_GETARG_ARRAYTYPE_P(1), FLOAT8OID, "frequency", &f);
	int			nm = array_elems(PG_GETARG_ARRAYTYPE_P(2), NUMERICOID, "monetary", &m);
	ScoreBreaks b;
	int			k;

	if (nr != nf || nr != nm)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("breakpoint arrays must have the same length, got %d, %d and %d",
						nr, nf, nm),
				 errhint("For n score levels give n - 1 breakpoints per axis.")));
	if (nr < 1 || nr > RFM_MAX_BREAKS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("breakpoint arrays must have 1 to %d elements, got %d",
						RFM_MAX_BREAKS, nr),
				 errhint("For n score levels (2 to %d) give n - 1 breakpoints per axis.",
						 RFM_SCORE_MAX_N)));
	memset(&b, 0, sizeof(b));
	b.n = nr + 1;
	for (k = 0; k < nr; k++)
	{
		b.rec[k] = DatumGetFloat8(r[k]);
		b.freq[k] = DatumGetFloat8(f[k]);
		b.mon[k] = DatumGetNumeric(m[k]);
	}
	breaks_validate(&b, ERRCODE_INVALID_PARAMETER_VALUE);
	PG_RETURN_POINTER(breaks_flatten(&b));
}

Datum
rfm_breaks_n(PG_FUNCTION_ARGS)
{
	RfmBreaksData *rb = (RfmBreaksData *) PG_GETARG_VARLENA_P(0);

	PG_RETURN_INT32(rb->n);
}

static Datum
f8_array(const float8 *v, int nv)
{
	Datum	   *d = palloc(sizeof(Datum) * nv);
	int			k;

	for (k = 0; k < nv; k++)
		d[k] = Float8GetDatum(v[k]);
	return PointerGetDatum(construct_array(d, nv, FLOAT8OID, sizeof(float8),
										   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

Datum
rfm_breaks_recency(PG_FUNCTION_ARGS)
{
	ScoreBreaks b;

	breaks_parse(PG_GETARG_VARLENA_P(0), &b);
	return f8_array(b.rec, b.n - 1);
}

Datum
rfm_breaks_frequency(PG_FUNCTION_ARGS)
{
	ScoreBreaks b;

	breaks_parse(PG_GETARG_VARLENA_P(0), &b);
	return f8_array(b.freq, b.n - 1);
}

Datum
rfm_breaks_monetary(PG_FUNCTION_ARGS)
{
	ScoreBreaks b;
	Datum		d[RFM_MAX_BREAKS];
	int			k;

	breaks_parse(PG_GETARG_VARLENA_P(0), &b);
	for (k = 0; k < b.n - 1; k++)
		d[k] = NumericGetDatum(b.mon[k]);
	PG_RETURN_POINTER(construct_array(d, b.n - 1, NUMERICOID, -1, false, TYPALIGN_INT));
}
