/*
 * state_io.c
 *	  Helpers of the text and binary input/output every state type shares
 *	  (see state_io.h).
 */
#include "postgres.h"

#include <errno.h>
#include <stdlib.h>

#include "common/shortest_dec.h"
#include "amount.h"
#include "libpq/pqformat.h"
#include "state_io.h"

void
state_append_float8(StringInfo buf, float8 v)
{
	char		out[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, out);
	appendStringInfoString(buf, out);
}

void
state_syntax_error(const char *type_name, const char *input, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", type_name, input),
			 errdetail("%s", why)));
}

char *
state_next_field(char **p, bool last, const char *type_name,
				 const char *input, int nfields)
{
	char	   *start = *p;
	char	   *end = strchr(start, last ? ')' : ',');

	if (end == NULL)
	{
		char		why[64];

		snprintf(why, sizeof(why), "Expected %d comma-separated fields in parentheses.", nfields);
		state_syntax_error(type_name, input, why);
	}
	*end = '\0';
	*p = end + 1;
	return start;
}

char *
state_text_open(const char *input, const char *type_name)
{
	char	   *p = pstrdup(input);

	while (isspace((unsigned char) *p))
		p++;
	if (*p++ != '(')
		state_syntax_error(type_name, input, "Expected \"(\".");
	return p;
}

void
state_text_end(const char *p, const char *type_name, const char *input)
{
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		state_syntax_error(type_name, input, "Unexpected text after \")\".");
}

uint8
state_parse_kind(const char *field, const char *type_name, const char *input)
{
	if (strcmp(field, "numeric") == 0)
		return AMOUNT_KIND_NUMERIC;
	if (strcmp(field, "float8") == 0)
		return AMOUNT_KIND_FLOAT8;
	state_syntax_error(type_name, input, "The kind must be \"numeric\" or \"float8\".");
}

void
state_kind_error(const char *type_name, int have, int want)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s holds %s amounts, expected %s", type_name,
					amount_kind_name(have), amount_kind_name(want))));
}

int64
state_parse_int64(const char *field, const char *type_name, const char *input)
{
	char	   *end;
	long long	v;

	errno = 0;
	v = strtoll(field, &end, 10);
	if (*field == '\0' || *end != '\0' || errno != 0)
		state_syntax_error(type_name, input, "Expected an integer.");
	return (int64) v;
}

int
state_recv_version(StringInfo buf, const char *type_name)
{
	int			version = pq_getmsgint(buf, 1);

	if (version != MEMVAL_STATE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported %s binary format version %d", type_name, version)));
	return version;
}

void
state_check_stored_version(int version, const char *type_name)
{
	if (version != MEMVAL_STATE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s value has format version %d, this release reads version %d",
						type_name, version, MEMVAL_STATE_VERSION),
				 errhint("The value was stored by another release of memval; see README, \"Upgrading\".")));
}
