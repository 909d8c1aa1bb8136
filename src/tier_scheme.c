/*
 * tier_scheme.c
 *	  The tier_rules value type: a tier scheme's rules as a value, so a
 *	  scheme reaches every node of a Citus cluster with the query.
 *
 * tier_scheme_value(name, lang) builds the value once (on the
 * coordinator, from the table tier_scheme or a built-in); tier_of(x,
 * scheme tier_rules) evaluates it with no table lookup and is IMMUTABLE.
 * Passed as a scalar subquery, (SELECT tier_scheme_value('my_tiers')),
 * Citus evaluates it on the coordinator and ships the value to the workers
 * in the shard queries, so every node applies the same rules.
 *
 * Storage and binary form are the same bytes (network byte order):
 *
 *	 uint8   version (MEMVAL_STATE_VERSION, state_io.h)
 *	 uint8   kind: 0 score rules, 1 score flags (rfm8, value4, value3), 2 value
 *	 int16   scale (score rules; 0 otherwise)
 *	 int32   number of rules (flags: 8)
 *	 label   fallback (length -1: none)
 *	 per rule: score rules: int32 lo[3], hi[3], label
 *			   flags:       label (the label of flag index R<<2 | F<<1 | M)
 *			   value:       threshold (numeric as text), label
 *
 * where a label is an int32 length and that many bytes of server-encoded
 * text.  Every value is validated when it is read (input, receive, and
 * before use), so a damaged value is an error, never a wrong tier: a
 * version this release does not read is 22P03 when received and XX001
 * when stored (as for every state type).
 *
 * Text form (tier_rules_out; tier_rules_in reads it back):
 *
 *	 score 5 fallback "Others"; "Champions" 5-5 5-5 5-5; ...
 *	 flags; "general win-back"; ... (8 labels, index R<<2 | F<<1 | M)
 *	 value fallback "basic"; "silver" >= 1000; "gold" >= 5000; ...
 *
 * Labels are double-quoted; a double quote or backslash inside one is
 * preceded by a backslash.
 */
#include "postgres.h"

#include <ctype.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "state_io.h"
#include "tier_scheme.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(tier_rules_in);
PG_FUNCTION_INFO_V1(tier_rules_out);
PG_FUNCTION_INFO_V1(tier_rules_recv);
PG_FUNCTION_INFO_V1(tier_rules_send);
PG_FUNCTION_INFO_V1(tier_scheme_value);
PG_FUNCTION_INFO_V1(tier_of_score_scheme);
PG_FUNCTION_INFO_V1(tier_of_value_scheme);
PG_FUNCTION_INFO_V1(tier_of_value_float8_scheme);

#define TIER_KIND_RULES			0
#define TIER_KIND_FLAGS			1
#define TIER_KIND_VALUE			2
#define TIER_MAX_RULES			10000
#define TIER_MAX_LABEL			1000

/* ----------------------------------------------------------------
 * Bytes <-> TierScheme
 * ----------------------------------------------------------------
 */

static void
put_label(StringInfo buf, const char *label)
{
	if (label == NULL)
	{
		pq_sendint32(buf, -1);
		return;
	}
	pq_sendint32(buf, (int32) strlen(label));
	pq_sendbytes(buf, label, strlen(label));
}

/* The bytes of sc (see the header comment) in buf. */
static void
scheme_serialize(StringInfo buf, const TierScheme *sc)
{
	int			kind = sc->kind == SCHEME_VALUE ? TIER_KIND_VALUE :
		sc->builtin == BI_FLAGS ? TIER_KIND_FLAGS : TIER_KIND_RULES;
	int			i,
				a;

	pq_sendint8(buf, MEMVAL_STATE_VERSION);
	pq_sendint8(buf, kind);
	pq_sendint16(buf, kind == TIER_KIND_RULES ? sc->scale : 0);
	pq_sendint32(buf, kind == TIER_KIND_FLAGS ? 8 : sc->nrules);
	put_label(buf, kind == TIER_KIND_FLAGS ? NULL : sc->fallback);
	if (kind == TIER_KIND_FLAGS)
	{
		for (i = 0; i < 8; i++)
			put_label(buf, sc->flag_label[i]);
		return;
	}
	for (i = 0; i < sc->nrules; i++)
	{
		const TierRule *r = &sc->rules[i];

		if (kind == TIER_KIND_RULES)
		{
			for (a = 0; a < 3; a++)
				pq_sendint32(buf, r->lo[a]);
			for (a = 0; a < 3; a++)
				pq_sendint32(buf, r->hi[a]);
		}
		else
			put_label(buf, DatumGetCString(DirectFunctionCall1(numeric_out,
															   NumericGetDatum(r->value_min))));
		put_label(buf, r->label);
	}
}

/*
 * The SQLSTATE of a bad value: 22P03 when it came in binary, 22023 when it
 * came as text (set by tier_rules_in around its check).
 */
static int	bad_scheme_code = ERRCODE_INVALID_BINARY_REPRESENTATION;

static void
bad_scheme(const char *detail)
{
	ereport(ERROR,
			(errcode(bad_scheme_code),
			 errmsg("invalid tier_rules value"),
			 errdetail("%s", detail)));
}

/* An integer of n bytes of the value, or an error if it is truncated. */
static int
get_int(StringInfo buf, int n)
{
	if (buf->len - buf->cursor < n)
		bad_scheme("The value is truncated.");
	return pq_getmsgint(buf, n);
}

/* A label of the bytes: NULL for length -1 when allowed. */
static char *
get_label(StringInfo buf, bool allow_null)
{
	int32		len = get_int(buf, 4);
	char	   *s;

	if (len == -1 && allow_null)
		return NULL;
	if (len <= 0 || len > TIER_MAX_LABEL || len > buf->len - buf->cursor)
		bad_scheme("A label has a bad length.");
	s = palloc(len + 1);
	pq_copymsgbytes(buf, s, len);
	s[len] = '\0';
	if (strlen(s) != (size_t) len || !pg_verifymbstr(s, len, true))
		bad_scheme("A label is not valid text.");
	return s;
}

/*
 * Read and check the bytes into sc (in CurrentMemoryContext): every field
 * in range, thresholds finite and strictly ascending, nothing left over.
 * stored: the bytes are a stored value (not received).
 */
static void
scheme_deserialize(TierScheme *sc, const char *data, int len, bool stored)
{
	StringInfoData buf;
	int			kind,
				nrules,
				i,
				a;

	memset(sc, 0, sizeof(*sc));
	buf.data = (char *) data;
	buf.len = len;
	buf.maxlen = len;
	buf.cursor = 0;

	if (len < 8)
		bad_scheme("The value is truncated.");
	if (stored)
		state_check_stored_version(get_int(&buf, 1), "tier_rules");
	else
		state_recv_version(&buf, "tier_rules");
	kind = get_int(&buf, 1);
	sc->scale = (int16) get_int(&buf, 2);
	nrules = get_int(&buf, 4);
	if (kind != TIER_KIND_RULES && kind != TIER_KIND_FLAGS && kind != TIER_KIND_VALUE)
		bad_scheme("Unknown scheme kind.");
	if (kind == TIER_KIND_RULES ? (sc->scale < RFM_SCORE_MIN_N || sc->scale > RFM_SCORE_MAX_N)
		: sc->scale != 0)
		bad_scheme("The scale is out of range.");
	if (kind == TIER_KIND_FLAGS ? nrules != 8 : (nrules < 0 || nrules > TIER_MAX_RULES))
		bad_scheme("The number of rules is out of range.");
	sc->kind = kind == TIER_KIND_VALUE ? SCHEME_VALUE : SCHEME_SCORE;
	sc->builtin = kind == TIER_KIND_FLAGS ? BI_FLAGS : BI_NONE;
	sc->fallback = get_label(&buf, true);
	if (kind == TIER_KIND_FLAGS)
	{
		if (sc->fallback != NULL)
			bad_scheme("A flag scheme has no fallback.");
		for (i = 0; i < 8; i++)
			sc->flag_label[i] = get_label(&buf, false);
	}
	else
	{
		sc->nrules = nrules;
		sc->rules = palloc0(sizeof(TierRule) * Max(nrules, 1));
		for (i = 0; i < nrules; i++)
		{
			TierRule   *r = &sc->rules[i];

			if (kind == TIER_KIND_RULES)
			{
				for (a = 0; a < 3; a++)
					r->lo[a] = get_int(&buf, 4);
				for (a = 0; a < 3; a++)
				{
					r->hi[a] = get_int(&buf, 4);
					if (r->lo[a] < 1 || r->lo[a] > r->hi[a] || r->hi[a] > sc->scale)
						bad_scheme("A score range is empty or outside the scale.");
				}
			}
			else
			{
				char	   *t = get_label(&buf, false);

				r->value_min = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(t),
																   ObjectIdGetDatum(InvalidOid),
																   Int32GetDatum(-1)));
				if (numeric_is_nan(r->value_min) || numeric_is_inf(r->value_min))
					bad_scheme("A threshold is not finite.");
				if (i > 0 && DatumGetInt32(DirectFunctionCall2(numeric_cmp,
															   NumericGetDatum(sc->rules[i - 1].value_min),
															   NumericGetDatum(r->value_min))) >= 0)
					bad_scheme("Thresholds are not strictly ascending.");
			}
			r->label = get_label(&buf, false);
		}
	}
	if (buf.cursor != buf.len)
		bad_scheme("Extra bytes after the last rule.");
	tier_scheme_prepare(sc);
}

static bytea *
scheme_to_datum(const TierScheme *sc)
{
	StringInfoData buf;
	bytea	   *result;

	initStringInfo(&buf);
	scheme_serialize(&buf, sc);
	result = (bytea *) palloc(VARHDRSZ + buf.len);
	SET_VARSIZE(result, VARHDRSZ + buf.len);
	memcpy(VARDATA(result), buf.data, buf.len);
	pfree(buf.data);
	return result;
}

/* ----------------------------------------------------------------
 * Text form
 * ----------------------------------------------------------------
 */

static void
out_label(StringInfo s, const char *label)
{
	const char *p;

	appendStringInfoChar(s, '"');
	for (p = label; *p; p++)
	{
		if (*p == '"' || *p == '\\')
			appendStringInfoChar(s, '\\');
		appendStringInfoChar(s, *p);
	}
	appendStringInfoChar(s, '"');
}

Datum
tier_rules_out(PG_FUNCTION_ARGS)
{
	bytea	   *v = PG_GETARG_BYTEA_PP(0);
	TierScheme	sc;
	StringInfoData s;
	int			i;

	scheme_deserialize(&sc, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), true);
	initStringInfo(&s);
	if (sc.builtin == BI_FLAGS)
	{
		appendStringInfoString(&s, "flags");
		for (i = 0; i < 8; i++)
		{
			appendStringInfoString(&s, "; ");
			out_label(&s, sc.flag_label[i]);
		}
		PG_RETURN_CSTRING(s.data);
	}
	if (sc.kind == SCHEME_SCORE)
		appendStringInfo(&s, "score %d", sc.scale);
	else
		appendStringInfoString(&s, "value");
	if (sc.fallback != NULL)
	{
		appendStringInfoString(&s, " fallback ");
		out_label(&s, sc.fallback);
	}
	for (i = 0; i < sc.nrules; i++)
	{
		const TierRule *r = &sc.rules[i];

		appendStringInfoString(&s, "; ");
		out_label(&s, r->label);
		if (sc.kind == SCHEME_SCORE)
			appendStringInfo(&s, " %d-%d %d-%d %d-%d",
							 r->lo[0], r->hi[0], r->lo[1], r->hi[1], r->lo[2], r->hi[2]);
		else
			appendStringInfo(&s, " >= %s",
							 DatumGetCString(DirectFunctionCall1(numeric_out,
																 NumericGetDatum(r->value_min))));
	}
	PG_RETURN_CSTRING(s.data);
}

/* A small reader of the text form. */
typedef struct SchemeReader
{
	const char *input;			/* the whole text, for messages */
	const char *p;				/* the next character */
} SchemeReader;

static void
syntax_error(SchemeReader *rd, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type tier_rules: \"%s\"", rd->input),
			 errdetail("Expected %s at character %d.", expected,
					   (int) (rd->p - rd->input) + 1)));
}

static void
skip_space(SchemeReader *rd)
{
	while (*rd->p == ' ' || *rd->p == '\t' || *rd->p == '\n' || *rd->p == '\r')
		rd->p++;
}

/* true (and consumed) if the next token is the word w */
static bool
read_word(SchemeReader *rd, const char *w)
{
	size_t		n = strlen(w);

	skip_space(rd);
	if (strncmp(rd->p, w, n) == 0 && !isalnum((unsigned char) rd->p[n]))
	{
		rd->p += n;
		return true;
	}
	return false;
}

static bool
read_char(SchemeReader *rd, char c)
{
	skip_space(rd);
	if (*rd->p != c)
		return false;
	rd->p++;
	return true;
}

static char *
read_label(SchemeReader *rd)
{
	StringInfoData s;

	skip_space(rd);
	if (*rd->p != '"')
		syntax_error(rd, "a double-quoted label");
	rd->p++;
	initStringInfo(&s);
	while (*rd->p != '"')
	{
		if (*rd->p == '\0')
			syntax_error(rd, "the closing double quote of a label");
		if (*rd->p == '\\')
		{
			rd->p++;
			if (*rd->p == '\0')
				syntax_error(rd, "a character after the backslash");
		}
		appendStringInfoChar(&s, *rd->p++);
	}
	rd->p++;
	if (s.len == 0 || s.len > TIER_MAX_LABEL)
		syntax_error(rd, "a label of 1 to 1000 bytes");
	return s.data;
}

static int
read_int(SchemeReader *rd)
{
	long		v;
	char	   *end;

	skip_space(rd);
	if (!isdigit((unsigned char) *rd->p))
		syntax_error(rd, "a number");
	errno = 0;
	v = strtol(rd->p, &end, 10);
	if (errno != 0 || v > PG_INT32_MAX)
		syntax_error(rd, "a smaller number");
	rd->p = end;
	return (int) v;
}

/* a threshold: the characters up to ';' or the end, as numeric */
static Numeric
read_numeric(SchemeReader *rd)
{
	const char *start;
	char	   *t;

	skip_space(rd);
	start = rd->p;
	while (*rd->p != '\0' && *rd->p != ';')
		rd->p++;
	t = pnstrdup(start, rd->p - start);
	if (*t == '\0')
		syntax_error(rd, "a numeric threshold");
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(t),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

Datum
tier_rules_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	SchemeReader rd = {str, str};
	TierScheme	sc;
	int			cap = 8;
	int			i;
	bytea	   *result;

	memset(&sc, 0, sizeof(sc));
	if (read_word(&rd, "flags"))
	{
		sc.kind = SCHEME_SCORE;
		sc.builtin = BI_FLAGS;
		for (i = 0; i < 8; i++)
		{
			if (!read_char(&rd, ';'))
				syntax_error(&rd, "\";\" and the next of 8 labels");
			sc.flag_label[i] = read_label(&rd);
		}
	}
	else
	{
		if (read_word(&rd, "score"))
		{
			sc.kind = SCHEME_SCORE;
			sc.scale = read_int(&rd);
		}
		else if (read_word(&rd, "value"))
			sc.kind = SCHEME_VALUE;
		else
			syntax_error(&rd, "\"score\", \"flags\" or \"value\"");
		if (read_word(&rd, "fallback"))
			sc.fallback = read_label(&rd);
		sc.rules = palloc0(sizeof(TierRule) * cap);
		while (read_char(&rd, ';'))
		{
			TierRule   *r;
			int			a;

			if (sc.nrules == cap)
			{
				cap *= 2;
				sc.rules = repalloc(sc.rules, sizeof(TierRule) * cap);
			}
			r = &sc.rules[sc.nrules++];
			memset(r, 0, sizeof(*r));
			r->label = read_label(&rd);
			if (sc.kind == SCHEME_SCORE)
				for (a = 0; a < 3; a++)
				{
					r->lo[a] = read_int(&rd);
					if (!read_char(&rd, '-'))
						syntax_error(&rd, "\"-\" in a score range");
					r->hi[a] = read_int(&rd);
				}
			else
			{
				if (!read_char(&rd, '>') || !read_char(&rd, '='))
					syntax_error(&rd, "\">=\" and a threshold");
				r->value_min = read_numeric(&rd);
			}
		}
	}
	skip_space(&rd);
	if (*rd.p != '\0')
		syntax_error(&rd, "\";\" or the end");

	/* the same checks as every other way in, with the text SQLSTATE */
	result = scheme_to_datum(&sc);
	bad_scheme_code = ERRCODE_INVALID_PARAMETER_VALUE;
	PG_TRY();
	{
		TierScheme	check;

		scheme_deserialize(&check, VARDATA(result), VARSIZE(result) - VARHDRSZ, false);
	}
	PG_FINALLY();
	{
		bad_scheme_code = ERRCODE_INVALID_BINARY_REPRESENTATION;
	}
	PG_END_TRY();
	PG_RETURN_BYTEA_P(result);
}

void
tier_rules_read(TierScheme *sc, const struct varlena *v)
{
	scheme_deserialize(sc, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), true);
}

Datum
tier_rules_send(PG_FUNCTION_ARGS)
{
	bytea	   *v = PG_GETARG_BYTEA_P_COPY(0);

	{
		TierScheme	sc;

		tier_rules_read(&sc, v);	/* never send a value we cannot read */
	}

	PG_RETURN_BYTEA_P(v);
}

Datum
tier_rules_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	const char *data = pq_getmsgbytes(buf, len);
	TierScheme	sc;
	bytea	   *result;

	scheme_deserialize(&sc, data, len, false);
	result = (bytea *) palloc(VARHDRSZ + len);
	SET_VARSIZE(result, VARHDRSZ + len);
	memcpy(VARDATA(result), data, len);
	PG_RETURN_BYTEA_P(result);
}

/* ----------------------------------------------------------------
 * Building a value and using it
 * ----------------------------------------------------------------
 */

/* tier_scheme_value(name text, lang text DEFAULT 'en') */
Datum
tier_scheme_value(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int			lang = tier_lang(PG_GETARG_TEXT_PP(1));
	TierScheme	sc;

	tier_scheme_resolve(&sc, name, lang, fcinfo->flinfo->fn_oid);
	PG_RETURN_BYTEA_P(scheme_to_datum(&sc));
}

/*
 * The scheme of argument 1, read once per call site: fn_extra keeps the
 * bytes it was read from and the scheme (a scalar subquery gives the same
 * value on every row).
 */
typedef struct SchemeCache
{
	MemoryContext cxt;
	bytea	   *bytes;
	TierScheme	sc;
} SchemeCache;

static const TierScheme *
scheme_arg(FunctionCallInfo fcinfo, SchemeKind want)
{
	bytea	   *v = PG_GETARG_BYTEA_PP(1);
	SchemeCache *c = (SchemeCache *) fcinfo->flinfo->fn_extra;
	Size		len = VARSIZE_ANY_EXHDR(v);
	MemoryContext old;

	/* c->bytes is NULL while (or if an error left) the entry half made */
	if (c != NULL && c->bytes != NULL && VARSIZE_ANY_EXHDR(c->bytes) == len &&
		memcmp(VARDATA(c->bytes), VARDATA_ANY(v), len) == 0)
		return &c->sc;
	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SchemeCache));
		fcinfo->flinfo->fn_extra = c;
	}
	if (c->cxt)
		MemoryContextReset(c->cxt);
	else
		c->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "tier_of scheme value",
									   ALLOCSET_SMALL_SIZES);
	c->bytes = NULL;
	old = MemoryContextSwitchTo(c->cxt);
	scheme_deserialize(&c->sc, VARDATA_ANY(v), len, true);
	MemoryContextSwitchTo(old);
	if (c->sc.kind != want)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("this tier scheme classifies %s, not %s",
						c->sc.kind == SCHEME_SCORE ? "rfm scores" : "values",
						want == SCHEME_SCORE ? "rfm scores" : "values")));
	c->bytes = MemoryContextAlloc(c->cxt, VARHDRSZ + len);
	SET_VARSIZE(c->bytes, VARHDRSZ + len);
	memcpy(VARDATA(c->bytes), VARDATA_ANY(v), len);
	return &c->sc;
}

/* tier_of(s rfm_score, scheme tier_rules) */
Datum
tier_of_score_scheme(PG_FUNCTION_ARGS)
{
	return tier_score_label(fcinfo, scheme_arg(fcinfo, SCHEME_SCORE), PG_GETARG_RFM_SCORE(0));
}

/* tier_of(value numeric, scheme tier_rules) */
Datum
tier_of_value_scheme(PG_FUNCTION_ARGS)
{
	return tier_value_label(fcinfo, scheme_arg(fcinfo, SCHEME_VALUE), PG_GETARG_NUMERIC(0));
}

/* tier_of(value float8, scheme tier_rules) */
Datum
tier_of_value_float8_scheme(PG_FUNCTION_ARGS)
{
	return tier_value_label_float8(fcinfo, scheme_arg(fcinfo, SCHEME_VALUE), PG_GETARG_FLOAT8(0));
}
