/*
 * state_io.h
 *	  What the state types of memval share (state_io.c): the format version
 *	  they carry, the helpers of their text and binary input/output, and
 *	  taking a state argument for update in place.
 *
 * Every state type (rfm_state, rfm_breaks_state, rfm_score_state,
 * clv_state, btyd_state, fit_state) and the rfm_breaks value has a text
 * form, exact and independent of the session's settings, and a binary
 * form led by the format version byte.  The states also carry the version
 * in the stored value (README, "Upgrading"), so a later release can tell
 * a value stored by this one.
 */
#ifndef MEMVAL_STATE_IO_H
#define MEMVAL_STATE_IO_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

/*
 * The format version of every state: the first byte of the binary form,
 * and a byte of the stored value.  A release that changes a format bumps
 * it and keeps reading the older versions.
 */
#define MEMVAL_STATE_VERSION	1

/* What the input functions pass as input for the binary form. */
#define STATE_BINARY_INPUT		"(binary)"

/* Append the shortest text of v that reads back to the same double. */
extern void state_append_float8(StringInfo buf, float8 v);

/* ERROR (22P02): invalid input syntax for type type_name, with why as detail. */
extern void state_syntax_error(const char *type_name, const char *input,
							   const char *why) pg_attribute_noreturn();

/*
 * The next field of a parenthesised, comma-separated text form, "(a,b,c)":
 * the text up to the next ',' (or ')' when last), terminated in place; *p
 * moves past it.  nfields is the number of fields the form has, for the
 * error.
 */
extern char *state_next_field(char **p, bool last, const char *type_name,
							  const char *input, int nfields);

/*
 * The start of a parenthesised text form: a copy of input, past leading
 * spaces and the "(" (a syntax error otherwise), for state_next_field().
 */
extern char *state_text_open(const char *input, const char *type_name);

/* Only spaces may follow the closing ")" (p: just past it). */
extern void state_text_end(const char *p, const char *type_name, const char *input);

/* The amount kind field: "numeric" or "float8", as AMOUNT_KIND_*. */
extern uint8 state_parse_kind(const char *field, const char *type_name,
							  const char *input);

/* ERROR (22023): a state of type_name holds amounts of another kind. */
extern void state_kind_error(const char *type_name, int have,
							 int want) pg_attribute_noreturn();

/* A decimal int64 field (syntax error otherwise). */
extern int64 state_parse_int64(const char *field, const char *type_name,
							   const char *input);

/*
 * Read the version byte leading a binary form; ERROR (22P03) unless this
 * release reads that version.  Returns it.
 */
extern int	state_recv_version(StringInfo buf, const char *type_name);

/*
 * ERROR (XX001, data corrupted) unless version, read from a stored value,
 * is one this release reads.
 */
extern void state_check_stored_version(int version, const char *type_name);

/*
 * The varlena state in argument 0 of a transition or combine function,
 * ready to update: the argument itself when called as an aggregate (the
 * state then lives in the aggregate context and is ours) unless it is
 * toasted or has a short header, a detoasted copy otherwise, so that a
 * plain call never scribbles on its input.  The caller handles NULL.
 * Inline: transition functions call it once per row.
 */
static inline struct varlena *
state_arg_writable(FunctionCallInfo fcinfo)
{
	if (AggCheckCallContext(fcinfo, NULL))
	{
		struct varlena *st = (struct varlena *) PG_GETARG_POINTER(0);

		if (!VARATT_IS_EXTENDED(st))
			return st;
	}
	return PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
}

#endif							/* MEMVAL_STATE_IO_H */
