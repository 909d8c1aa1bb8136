/*
 * fit_state_io.c
 *	  Text and binary I/O of fit_state (README, "Scaling out"): the flat form, already
 *	  sorted, is written as it is; input is validated row by row and built
 *	  through the expanded form, so a repeated row adds up and the result is
 *	  sorted like any other state.
 *
 * Text form (exact, sorted):
 *
 *	 count pen=<p|none> skipped=<k> <x>:<a>:<b>*<count> ...
 *
 * with shortest round-trip float8 text, so partial states can travel
 * between Citus nodes; the binary form starts with a version byte.
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "fit_state.h"
#include "libpq/pqformat.h"
#include "memval.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "state_io.h"

PG_FUNCTION_INFO_V1(fit_state_in);
PG_FUNCTION_INFO_V1(fit_state_out);
PG_FUNCTION_INFO_V1(fit_state_recv);
PG_FUNCTION_INFO_V1(fit_state_send);

/* The flat form is sorted: output and send write the entries as they are. */
Datum
fit_state_out(PG_FUNCTION_ARGS)
{
	FitState   *st = (FitState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;

	state_check_stored_version(st->version, "fit_state");
	initStringInfo(&buf);
	appendStringInfo(&buf, "%s pen=", fit_kind_name(st->info.kind));
	if (st->info.flags & FIT_HAS_PENALIZER)
		state_append_float8(&buf, st->info.penalizer);
	else
		appendStringInfoString(&buf, "none");
	appendStringInfo(&buf, " skipped=" INT64_FORMAT, st->info.skipped);
	for (int64 i = 0; i < st->info.used; i++)
	{
		FitEntry   *e = &st->entries[i];

		appendStringInfoChar(&buf, ' ');
		state_append_float8(&buf, e->x);
		appendStringInfoChar(&buf, ':');
		state_append_float8(&buf, e->a);
		appendStringInfoChar(&buf, ':');
		state_append_float8(&buf, e->b);
		appendStringInfo(&buf, "*" INT64_FORMAT, e->count);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* Validate one entry read from outside and add it (a repeated row adds up). */
static void
fit_add_checked(FitExpanded *eo, float8 x, float8 a, float8 b, int64 count,
				const char *input)
{
	if (count <= 0)
		state_syntax_error("fit_state", input, "Counts must be positive.");
	if (isnan(x) || isinf(x) || x < 0 || x != floor(x) || x > MEMVAL_MAX_X ||
		isnan(a) || isinf(a) || isnan(b) || isinf(b))
		state_syntax_error("fit_state", input, "x must be a whole number in [0, 2^53] and every value finite.");
	if (eo->info.kind == FIT_COUNT ? (a < 0 || a > b || (x == 0 && a != 0))
		: (x == 0 || a <= 0 || b != 0))
		state_syntax_error("fit_state", input, "A row violates the invariants of its kind.");
	fit_insert(eo, x, a, b, count);
}

static float8
fit_parse_float(char **p, char stop, const char *input)
{
	char	   *start = *p;
	char	   *end = strchr(start, stop);
	float8		v;

	if (end == NULL)
		state_syntax_error("fit_state", input, "Expected x:a:b*count.");
	*end = '\0';
	v = float8in_internal(start, NULL, "double precision", input);
	*p = end + 1;
	return v;
}

Datum
fit_state_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *s = pstrdup(input);
	char	   *tok;
	char	   *save = NULL;
	FitInfo		info;
	FitExpanded *eo;

	memset(&info, 0, sizeof(info));
	tok = strtok_r(s, " ", &save);
	if (tok && strcmp(tok, "count") == 0)
		info.kind = FIT_COUNT;
	else if (tok && strcmp(tok, "spend") == 0)
		info.kind = FIT_SPEND;
	else
		state_syntax_error("fit_state", input, "The kind must be \"count\" or \"spend\".");

	tok = strtok_r(NULL, " ", &save);
	if (tok == NULL || strncmp(tok, "pen=", 4) != 0)
		state_syntax_error("fit_state", input, "Expected pen=<penalizer|none>.");
	if (strcmp(tok + 4, "none") != 0)
	{
		info.penalizer = float8in_internal(tok + 4, NULL, "double precision", input);
		fit_check_penalizer_value(info.penalizer);
		info.flags |= FIT_HAS_PENALIZER;
	}
	tok = strtok_r(NULL, " ", &save);
	if (tok == NULL || strncmp(tok, "skipped=", 8) != 0)
		state_syntax_error("fit_state", input, "Expected skipped=<count>.");
	{
		char	   *end;

		errno = 0;
		info.skipped = strtoll(tok + 8, &end, 10);
		if (tok[8] == '\0' || *end != '\0' || errno != 0 || info.skipped < 0)
			state_syntax_error("fit_state", input, "skipped must be an integer >= 0.");
	}
	eo = fit_expanded_new(CurrentMemoryContext, &info, 0);
	while ((tok = strtok_r(NULL, " ", &save)) != NULL)
	{
		char	   *p = tok;
		float8		x = fit_parse_float(&p, ':', input);
		float8		a = fit_parse_float(&p, ':', input);
		float8		b = fit_parse_float(&p, '*', input);
		char	   *end;
		long long	c;

		errno = 0;
		c = strtoll(p, &end, 10);
		if (*p == '\0' || *end != '\0' || errno != 0)
			state_syntax_error("fit_state", input, "Expected an integer count after \"*\".");
		fit_add_checked(eo, x, a, b, (int64) c, input);
	}
	PG_RETURN_POINTER(fit_expanded_flatten(eo));
}

Datum
fit_state_send(PG_FUNCTION_ARGS)
{
	FitState   *st = (FitState *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;

	state_check_stored_version(st->version, "fit_state");
	pq_begintypsend(&buf);
	pq_sendint8(&buf, MEMVAL_STATE_VERSION);
	pq_sendint8(&buf, st->info.kind);
	pq_sendint8(&buf, st->info.flags & FIT_HAS_PENALIZER);
	pq_sendfloat8(&buf, st->info.penalizer);
	pq_sendint64(&buf, st->info.skipped);
	pq_sendint64(&buf, st->info.used);
	for (int64 i = 0; i < st->info.used; i++)
	{
		FitEntry   *e = &st->entries[i];

		pq_sendfloat8(&buf, e->x);
		pq_sendfloat8(&buf, e->a);
		pq_sendfloat8(&buf, e->b);
		pq_sendint64(&buf, e->count);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
fit_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	FitInfo		info;
	FitExpanded *eo;
	int64		used;

	state_recv_version(buf, "fit_state");
	memset(&info, 0, sizeof(info));
	info.kind = pq_getmsgint(buf, 1);
	if (info.kind != FIT_COUNT && info.kind != FIT_SPEND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid fit_state kind %d", info.kind)));
	info.flags = pq_getmsgint(buf, 1) & FIT_HAS_PENALIZER;
	info.penalizer = pq_getmsgfloat8(buf);
	if (info.flags & FIT_HAS_PENALIZER)
		fit_check_penalizer_value(info.penalizer);
	else
		info.penalizer = 0;
	info.skipped = pq_getmsgint64(buf);
	used = pq_getmsgint64(buf);
	if (info.skipped < 0 || used < 0 || used > (buf->len - buf->cursor) / 32)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("truncated or invalid fit_state")));
	eo = fit_expanded_new(CurrentMemoryContext, &info, used);
	for (int64 i = 0; i < used; i++)
	{
		float8		x = pq_getmsgfloat8(buf);
		float8		a = pq_getmsgfloat8(buf);
		float8		b = pq_getmsgfloat8(buf);
		int64		c = pq_getmsgint64(buf);

		fit_add_checked(eo, x, a, b, c, STATE_BINARY_INPUT);
	}
	pq_getmsgend(buf);
	PG_RETURN_POINTER(fit_expanded_flatten(eo));
}
