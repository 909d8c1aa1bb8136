/*
 * breaks_io.c
 *	  Text and binary input/output of rfm_breaks_state, the exact
 *	  histograms behind the rfm_breaks aggregate (see breaks.c).
 *
 *	 (kind,n,mscale,R,F,M)
 *
 * kind is numeric, float8 or none (no customer yet); R, F and M are
 * space-separated value:count pairs in ascending order; recency (and
 * float8 monetary) values are the shortest exact float8 text, numeric
 * monetary values are integers in units of 10^-mscale.  Input checks
 * every invariant the aggregate relies on.
 */
#include "postgres.h"

#include <math.h>

#include "breaks.h"
#include "common/int.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "state_io.h"

PG_FUNCTION_INFO_V1(rfm_breaks_state_in);
PG_FUNCTION_INFO_V1(rfm_breaks_state_out);
PG_FUNCTION_INFO_V1(rfm_breaks_state_recv);
PG_FUNCTION_INFO_V1(rfm_breaks_state_send);

static const char *
kind_name(uint8 kind)
{
	return kind == RFM_NUMERIC ? "numeric" : kind == RFM_FLOAT8 ? "float8" : "none";
}

Datum
rfm_breaks_state_out(PG_FUNCTION_ARGS)
{
	BreaksState *st = (BreaksState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;
	int			a;
	int64		i;

	state_check_stored_version(st->version, "rfm_breaks_state");
	initStringInfo(&buf);
	appendStringInfo(&buf, "(%s,%d,%d", kind_name(st->kind), st->n, st->mscale);
	for (a = 0; a < NAXES; a++)
	{
		Pairs		p;

		bs_pairs(st, a, &p);
		appendStringInfoChar(&buf, ',');
		for (i = 0; i < p.nd; i++)
		{
			if (i)
				appendStringInfoChar(&buf, ' ');
			if (axis_is_f8(st->kind, a))
				state_append_float8(&buf, key_f8(p.keys[i]));
			else
				appendStringInfo(&buf, INT64_FORMAT, p.keys[i]);
			appendStringInfo(&buf, ":" INT64_FORMAT, p.counts[i]);
		}
		pairs_free(&p);
	}
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/*
 * A state from parsed histograms, after checking every invariant the code
 * relies on; errors use sqlstate (text or binary input).
 */
static BreaksState *
bs_from_pairs(BreaksState *proto, Pairs *p, const char *input, int sqlstate)
{
	int			a;
	int64		i;

	if (proto->n < RFM_SCORE_MIN_N || proto->n > RFM_SCORE_MAX_N)
		ereport(ERROR, (errcode(sqlstate), errmsg("invalid scale n %d in \"%s\"", proto->n, input)));
	if (proto->mscale < 0 || proto->mscale > AMOUNT_MAX_SCALE)
		ereport(ERROR, (errcode(sqlstate), errmsg("invalid monetary scale %d in \"%s\"", proto->mscale, input)));
	proto->count = 0;
	for (a = 0; a < NAXES; a++)
	{
		int64		total = 0;

		if (p[a].nd > PG_INT32_MAX)
			ereport(ERROR, (errcode(sqlstate), errmsg("too many distinct values in \"%s\"", input)));
		for (i = 0; i < p[a].nd; i++)
		{
			if (p[a].counts[i] <= 0 || (i > 0 && p[a].keys[i] <= p[a].keys[i - 1]))
				ereport(ERROR,
						(errcode(sqlstate),
						 errmsg("invalid %s histogram in \"%s\"", axis_name(a), input),
						 errdetail("Values must be strictly ascending with positive counts.")));
			if (axis_is_f8(proto->kind, a))
			{
				float8		d = key_f8(p[a].keys[i]);

				if (isnan(d) || isinf(d))
					ereport(ERROR, (errcode(sqlstate), errmsg("%s values must be finite", axis_name(a))));
			}
			else if (a == AX_FREQ && p[a].keys[i] <= 0)
				ereport(ERROR, (errcode(sqlstate), errmsg("frequency values must be positive")));
			if (pg_add_s64_overflow(total, p[a].counts[i], &total))
				ereport(ERROR, (errcode(sqlstate), errmsg("count overflow in \"%s\"", input)));
		}
		if (a == 0)
			proto->count = total;
		else if (total != proto->count)
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("histograms of \"%s\" count different numbers of customers", input)));
	}
	if (proto->count > 0 && proto->kind == 0)
		ereport(ERROR, (errcode(sqlstate), errmsg("a state with customers needs a kind")));
	return bs_build(proto, p, 0);
}

/* One "value:count value:count ..." field of the text form. */
static void
bs_parse_axis(char *field, uint8 kind, int axis, Pairs *p, const char *input)
{
	int64		cap = 16;
	char	   *tok;
	char	   *save = NULL;

	p->keys = palloc(sizeof(int64) * cap);
	p->counts = palloc(sizeof(int64) * cap);
	p->nd = 0;
	for (tok = strtok_r(field, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
	{
		char	   *colon = strchr(tok, ':');
		char	   *end;
		int64		key;

		if (colon == NULL)
			state_syntax_error("rfm_breaks_state", input, "Expected value:count pairs.");
		*colon = '\0';
		if (axis_is_f8(kind, axis))
			key = f8_key(float8in_internal(tok, NULL, "double precision", input));
		else
		{
			errno = 0;
			key = strtoll(tok, &end, 10);
			if (*tok == '\0' || *end != '\0' || errno != 0)
				state_syntax_error("rfm_breaks_state", input, "Expected an integer value.");
		}
		errno = 0;
		if (p->nd == cap)
		{
			cap *= 2;
			p->keys = repalloc_huge(p->keys, sizeof(int64) * cap);
			p->counts = repalloc_huge(p->counts, sizeof(int64) * cap);
		}
		p->keys[p->nd] = key;
		p->counts[p->nd] = strtoll(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || errno != 0)
			state_syntax_error("rfm_breaks_state", input, "Expected an integer count.");
		p->nd++;
	}
}

Datum
rfm_breaks_state_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *field[6];
	char	   *p = state_text_open(input, "rfm_breaks_state");
	BreaksState proto;
	Pairs		pairs[NAXES];
	int			i;

	for (i = 0; i < 6; i++)
		field[i] = state_next_field(&p, i == 5, "rfm_breaks_state", input, 6);
	state_text_end(p, "rfm_breaks_state", input);
	memset(&proto, 0, sizeof(proto));
	if (strcmp(field[0], "numeric") == 0)
		proto.kind = RFM_NUMERIC;
	else if (strcmp(field[0], "float8") == 0)
		proto.kind = RFM_FLOAT8;
	else if (strcmp(field[0], "none") != 0)
		state_syntax_error("rfm_breaks_state", input, "The kind must be numeric, float8 or none.");
	proto.n = pg_strtoint32(field[1]);
	proto.mscale = pg_strtoint32(field[2]);
	for (i = 0; i < NAXES; i++)
		bs_parse_axis(field[3 + i], proto.kind, i, &pairs[i], input);
	PG_RETURN_POINTER(bs_from_pairs(&proto, pairs, input, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

Datum
rfm_breaks_state_send(PG_FUNCTION_ARGS)
{
	BreaksState *st = (BreaksState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;
	int			a;
	int64		i;

	state_check_stored_version(st->version, "rfm_breaks_state");
	pq_begintypsend(&buf);
	pq_sendint8(&buf, MEMVAL_STATE_VERSION);
	pq_sendint8(&buf, st->kind);
	pq_sendint32(&buf, st->n);
	pq_sendint32(&buf, st->mscale);
	for (a = 0; a < NAXES; a++)
	{
		Pairs		p;

		bs_pairs(st, a, &p);
		pq_sendint64(&buf, p.nd);
		for (i = 0; i < p.nd; i++)
		{
			if (axis_is_f8(st->kind, a))
				pq_sendfloat8(&buf, key_f8(p.keys[i]));
			else
				pq_sendint64(&buf, p.keys[i]);
			pq_sendint64(&buf, p.counts[i]);
		}
		pairs_free(&p);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_breaks_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	BreaksState proto;
	Pairs		pairs[NAXES];
	int			a;
	int64		i;

	state_recv_version(buf, "rfm_breaks_state");
	memset(&proto, 0, sizeof(proto));
	proto.kind = pq_getmsgint(buf, 1);
	if (proto.kind > RFM_FLOAT8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid rfm_breaks_state kind %d", proto.kind)));
	proto.n = pq_getmsgint(buf, 4);
	proto.mscale = pq_getmsgint(buf, 4);
	for (a = 0; a < NAXES; a++)
	{
		int64		nd = pq_getmsgint64(buf);

		if (nd < 0 || nd > (buf->len - buf->cursor) / 16)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("truncated rfm_breaks_state")));
		pairs[a].nd = nd;
		pairs[a].keys = palloc(sizeof(int64) * Max(nd, 1));
		pairs[a].counts = palloc(sizeof(int64) * Max(nd, 1));
		for (i = 0; i < nd; i++)
		{
			if (axis_is_f8(proto.kind, a))
				pairs[a].keys[i] = f8_key(pq_getmsgfloat8(buf));
			else
				pairs[a].keys[i] = pq_getmsgint64(buf);
			pairs[a].counts[i] = pq_getmsgint64(buf);
		}
	}
	pq_getmsgend(buf);
	PG_RETURN_POINTER(bs_from_pairs(&proto, pairs, STATE_BINARY_INPUT, ERRCODE_INVALID_BINARY_REPRESENTATION));
}
