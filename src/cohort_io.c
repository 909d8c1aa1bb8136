/*
 * cohort_io.c
 *	  Text and binary I/O of cohort_activity and cohort_table (cohort.h).
 *
 * Text forms (every number exact, revenues as numeric text):
 *
 *	 cohort_activity:  months,usecs,tzhash;period:purchases:revenue;...
 *	 cohort_table:     months,usecs,tzhash;cohort:k:customers:purchases:repeaters:revenue;...
 *
 * entries ascending by period (by cohort, then k; k = -1 holds a cohort's
 * totals).  The binary forms lead with the format version byte
 * (state_io.h; the stored values carry it too), then the same
 * fields, revenues as the 128-bit scaled integer (two int64) and its
 * scale.  Input checks every invariant the aggregates rely on.
 */
#include "postgres.h"

#include "cohort.h"
#include "state_io.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

PG_FUNCTION_INFO_V1(cohort_activity_in);
PG_FUNCTION_INFO_V1(cohort_activity_out);
PG_FUNCTION_INFO_V1(cohort_activity_recv);
PG_FUNCTION_INFO_V1(cohort_activity_send);
PG_FUNCTION_INFO_V1(cohort_table_in);
PG_FUNCTION_INFO_V1(cohort_table_out);
PG_FUNCTION_INFO_V1(cohort_table_recv);
PG_FUNCTION_INFO_V1(cohort_table_send);

#define NF_ACTIVITY		2		/* period, purchases */
#define NF_TABLE		5		/* cohort, k, customers, purchases, repeaters */

/* One entry of either type, as the I/O sees it. */
typedef struct CohortRow
{
	int64		f[NF_TABLE];
	int128		acc;
	int16		scale;
} CohortRow;

static void
cohort_row_get(const void *st, bool table, int i, CohortRow *r)
{
	memset(r, 0, sizeof(*r));
	if (table)
	{
		const CohortCell *c = &((const CohortTable *) st)->c[i];

		r->f[0] = c->cohort;
		r->f[1] = c->k;
		r->f[2] = c->customers;
		r->f[3] = c->purchases;
		r->f[4] = c->repeaters;
		r->acc = c->acc;
		r->scale = c->scale;
	}
	else
	{
		const CohortActEntry *e = &((const CohortActivity *) st)->e[i];

		r->f[0] = e->period;
		r->f[1] = e->purchases;
		r->acc = e->acc;
		r->scale = e->scale;
	}
}

/* ----------------------------------------------------------------
 * Building a state from rows, with every invariant checked
 * ----------------------------------------------------------------
 */

static void
cohort_bad(const char *type, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid %s value", type),
			 errdetail("%s", why)));
}

static void
cohort_check_row(const char *type, bool table, const CohortRow *r, const CohortRow *prev)
{
	if (r->scale < 0 || r->scale > AMOUNT_MAX_SCALE)
		cohort_bad(type, "A revenue scale is out of range.");
	if (table)
	{
		if (r->f[1] < -1 || r->f[2] < 0 || r->f[3] < 0 || r->f[4] < 0 ||
			(r->f[1] >= 0 && r->f[4] != 0) || r->f[4] > r->f[2])
			cohort_bad(type, "A cell has a negative count or inconsistent fields.");
		if (r->f[1] >= 0 && r->f[2] > r->f[3])
			cohort_bad(type, "A cell counts more active customers than purchases.");
		if (prev && (prev->f[0] > r->f[0] || (prev->f[0] == r->f[0] && prev->f[1] >= r->f[1])))
			cohort_bad(type, "Cells must be ascending by (cohort, k) and distinct.");
	}
	else
	{
		if (r->f[1] < 0 || r->f[1] > PG_INT32_MAX)
			cohort_bad(type, "A purchase count is out of range.");
		if (prev && prev->f[0] >= r->f[0])
			cohort_bad(type, "Periods must be ascending and distinct.");
	}
}

static void
cohort_check_spec_in(const char *type, const CohortSpec *spec)
{
	if (spec->months < 0 || spec->usecs < 0 || (spec->months > 0) == (spec->usecs > 0))
		cohort_bad(type, "The period must be a positive number of months or of microseconds.");
}

static void
cohort_state_put(void *st, bool table, const CohortRow *r)
{
	if (table)
	{
		CohortTable *t = st;
		CohortCell *c = &t->c[t->n++];

		c->cohort = r->f[0];
		c->k = r->f[1];
		c->customers = r->f[2];
		c->purchases = r->f[3];
		c->repeaters = r->f[4];
		c->acc = r->acc;
		c->scale = r->scale;
	}
	else
	{
		CohortActivity *a = st;
		CohortActEntry *e = &a->e[a->n++];

		e->period = r->f[0];
		e->purchases = (int32) r->f[1];
		e->acc = r->acc;
		e->scale = r->scale;
	}
}

/* ----------------------------------------------------------------
 * Text
 * ----------------------------------------------------------------
 */

static char *
cohort_out(const void *st, bool table, const CohortSpec *spec, int32 n)
{
	StringInfoData buf;
	int			nf = table ? NF_TABLE : NF_ACTIVITY;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%d," INT64_FORMAT ",%u", spec->months, spec->usecs, spec->tzhash);
	for (int i = 0; i < n; i++)
	{
		CohortRow	r;

		cohort_row_get(st, table, i, &r);
		appendStringInfoChar(&buf, ';');
		for (int k = 0; k < nf; k++)
			appendStringInfo(&buf, INT64_FORMAT ":", r.f[k]);
		appendStringInfoString(&buf,
							   DatumGetCString(DirectFunctionCall1(numeric_out,
																   NumericGetDatum(cohort_numeric(r.acc, r.scale)))));
	}
	return buf.data;
}

static int64
cohort_parse_int(const char *type, char **p, char sep)
{
	char	   *end;
	long long	v;

	errno = 0;
	v = strtoll(*p, &end, 10);
	if (end == *p || errno != 0 || *end != sep)
		cohort_bad(type, "Expected an integer followed by the next separator.");
	*p = end + 1;
	return (int64) v;
}

static void *
cohort_in(const char *input, bool table)
{
	const char *type = table ? "cohort_table" : "cohort_activity";
	int			nf = table ? NF_TABLE : NF_ACTIVITY;
	char	   *s = pstrdup(input);
	char	   *p = s;
	CohortSpec	spec;
	int32		n = 0;
	void	   *st;
	CohortRow	prev;
	int64		months;
	int64		hash;

	for (char *q = s; *q; q++)
		n += *q == ';';
	months = cohort_parse_int(type, &p, ',');
	spec.usecs = cohort_parse_int(type, &p, ',');
	{
		char	   *end;
		unsigned long long h;

		errno = 0;
		h = strtoull(p, &end, 10);
		if (end == p || errno != 0 || h > PG_UINT32_MAX || (*end != ';' && *end != '\0') || *p == '-')
			cohort_bad(type, "Expected the time zone hash, an unsigned 32-bit integer.");
		hash = (int64) h;
		p = *end ? end + 1 : end;
	}
	if (months < 0 || months > PG_INT32_MAX)
		cohort_bad(type, "The period's months are out of range.");
	spec.months = (int32) months;
	spec.tzhash = (uint32) hash;
	cohort_check_spec_in(type, &spec);
	if (n > COHORT_MAX_ENTRIES)
		cohort_bad(type, "Too many entries.");
	st = cohort_state_make(table, &spec, n);
	for (int i = 0; i < n; i++)
	{
		CohortRow	r;
		char	   *end = strchr(p, ';');
		Numeric		num;
		AmountSum	sum;

		memset(&r, 0, sizeof(r));
		for (int k = 0; k < nf; k++)
			r.f[k] = cohort_parse_int(type, &p, ':');
		if (end)
			*end = '\0';
		num = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(p),
												  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
		if (!amount_from_numeric(&sum, num))
			cohort_overflow();
		r.acc = sum.acc;
		r.scale = (int16) sum.scale;
		cohort_check_row(type, table, &r, i > 0 ? &prev : NULL);
		cohort_state_put(st, table, &r);
		prev = r;
		p = end ? end + 1 : p + strlen(p);
	}
	return st;
}

Datum
cohort_activity_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cohort_in(PG_GETARG_CSTRING(0), false));
}

Datum
cohort_activity_out(PG_FUNCTION_ARGS)
{
	CohortActivity *a = (CohortActivity *) PG_GETARG_VARLENA_P(0);

	cohort_check_version(a, false);
	PG_RETURN_CSTRING(cohort_out(a, false, &a->spec, a->n));
}

Datum
cohort_table_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cohort_in(PG_GETARG_CSTRING(0), true));
}

Datum
cohort_table_out(PG_FUNCTION_ARGS)
{
	CohortTable *t = (CohortTable *) PG_GETARG_VARLENA_P(0);

	cohort_check_version(t, true);
	PG_RETURN_CSTRING(cohort_out(t, true, &t->spec, t->n));
}

/* ----------------------------------------------------------------
 * Binary
 * ----------------------------------------------------------------
 */

static bytea *
cohort_send(const void *st, bool table, const CohortSpec *spec, int32 n)
{
	StringInfoData buf;
	int			nf = table ? NF_TABLE : NF_ACTIVITY;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, MEMVAL_STATE_VERSION);
	pq_sendint32(&buf, spec->months);
	pq_sendint64(&buf, spec->usecs);
	pq_sendint32(&buf, spec->tzhash);
	pq_sendint32(&buf, n);
	for (int i = 0; i < n; i++)
	{
		CohortRow	r;

		cohort_row_get(st, table, i, &r);
		for (int k = 0; k < nf; k++)
			pq_sendint64(&buf, r.f[k]);
		pq_sendint64(&buf, (int64) (r.acc >> 64));
		pq_sendint64(&buf, (int64) (uint64) r.acc);
		pq_sendint16(&buf, r.scale);
	}
	return pq_endtypsend(&buf);
}

static void *
cohort_recv(StringInfo buf, bool table)
{
	const char *type = table ? "cohort_table" : "cohort_activity";
	int			nf = table ? NF_TABLE : NF_ACTIVITY;
	int			rowsize = nf * 8 + 18;
	CohortSpec	spec;
	int32		n;
	void	   *st;
	CohortRow	prev;

	state_recv_version(buf, type);
	spec.months = (int32) pq_getmsgint(buf, 4);
	spec.usecs = pq_getmsgint64(buf);
	spec.tzhash = (uint32) pq_getmsgint(buf, 4);
	n = (int32) pq_getmsgint(buf, 4);
	cohort_check_spec_in(type, &spec);
	if (n < 0 || n > COHORT_MAX_ENTRIES || (int64) n * rowsize != buf->len - buf->cursor)
		cohort_bad(type, "The entry count does not match the data.");
	st = cohort_state_make(table, &spec, n);
	for (int i = 0; i < n; i++)
	{
		CohortRow	r;
		int64		hi;
		uint64		lo;

		memset(&r, 0, sizeof(r));
		for (int k = 0; k < nf; k++)
			r.f[k] = pq_getmsgint64(buf);
		hi = pq_getmsgint64(buf);
		lo = (uint64) pq_getmsgint64(buf);
		r.acc = ((int128) hi << 64) | (int128) lo;
		r.scale = (int16) pq_getmsgint(buf, 2);
		cohort_check_row(type, table, &r, i > 0 ? &prev : NULL);
		cohort_state_put(st, table, &r);
		prev = r;
	}
	pq_getmsgend(buf);
	return st;
}

Datum
cohort_activity_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cohort_recv((StringInfo) PG_GETARG_POINTER(0), false));
}

Datum
cohort_activity_send(PG_FUNCTION_ARGS)
{
	CohortActivity *a = (CohortActivity *) PG_GETARG_VARLENA_P(0);

	cohort_check_version(a, false);
	PG_RETURN_BYTEA_P(cohort_send(a, false, &a->spec, a->n));
}

Datum
cohort_table_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cohort_recv((StringInfo) PG_GETARG_POINTER(0), true));
}

Datum
cohort_table_send(PG_FUNCTION_ARGS)
{
	CohortTable *t = (CohortTable *) PG_GETARG_VARLENA_P(0);

	cohort_check_version(t, true);
	PG_RETURN_BYTEA_P(cohort_send(t, true, &t->spec, t->n));
}
