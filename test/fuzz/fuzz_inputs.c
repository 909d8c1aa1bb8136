/*
 * fuzz_inputs: random strings and byte sequences into memval's type input
 * and receive functions and its text-taking functions (issue 14, item 2).
 *
 *   fuzz_inputs [count [seed]]     connection from PGHOST/PGPORT/... (libpq)
 *
 * Inputs are pure noise, or a valid text/binary form (fetched from the
 * server) with a few random mutations: characters that matter to the
 * parsers, huge numbers, cut tails, trailing garbage, flipped bytes and
 * oversized length words.  Text goes in as a text parameter cast to the type
 * (the type's input function); bytes go in as a binary parameter of the
 * type (its receive function).  Fails when an error has SQLSTATE XX000
 * (internal error) or the connection dies (a crashed backend).  Prints one
 * line: inputs, accepted, rejected, by SQLSTATE class.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "libpq-fe.h"

static uint64_t rng;

static uint64_t
next(void)
{
	uint64_t	z = (rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int
rnd(int n)
{
	return (int) (next() % (uint64_t) n);
}

typedef struct Target
{
	const char *name;			/* for the report */
	const char *sql;			/* query with $1 */
	unsigned int typoid;		/* binary: the type; 0 = text parameter */
	char	   *valid;			/* valid text or bytes */
	int			validlen;
} Target;

#define MAXLEN 4096
static const char interesting[] = "0123456789-+.,:;=/*{}()[] eEnNaIifxyz\"\\\t'%";
static const char *const words[] = {
	"99999999999999999999999999", "-1", "0", "NaN", "Infinity", "-Infinity", "1e308", "1e-400",
	"2147483648", "9223372036854775808", "n=", "{", "}", "(", ")", ",", "numeric", "float8",
	"count", "spend", "pen=", "skipped=", "recency=", "frequency=", "monetary=", "*", ":", "/",
	"\xc3\xa9", "\xe5\xbf\xa0"
};

/* a mutated copy of the valid form, or noise; returns its length */
static int
make_input(const Target *t, char *buf)
{
	int			len,
				k,
				n;

	if (rnd(8) == 0 || t->validlen == 0)
	{
		len = rnd(t->typoid ? 80 : 60);
		for (k = 0; k < len; k++)
			buf[k] = t->typoid ? (char) rnd(256) :
				(rnd(4) ? interesting[rnd(sizeof(interesting) - 1)] : (char) (32 + rnd(95)));
		return len;
	}
	len = t->validlen;
	memcpy(buf, t->valid, len);
	n = 1 + rnd(4);
	while (n-- > 0)
	{
		int			pos = len ? rnd(len + 1) : 0;

		switch (rnd(t->typoid ? 7 : 6))
		{
			case 0:				/* cut the tail */
				len = pos;
				break;
			case 1:				/* delete a span */
				if (pos < len)
				{
					int			d = 1 + rnd(len - pos);

					memmove(buf + pos, buf + pos + d, len - pos - d);
					len -= d;
				}
				break;
			case 2:				/* replace a character or byte */
				if (pos < len)
					buf[pos] = t->typoid ? (char) rnd(256) : interesting[rnd(sizeof(interesting) - 1)];
				break;
			case 3:				/* insert a word or random bytes */
				{
					const char *w = words[rnd(sizeof(words) / sizeof(words[0]))];
					char		tmp[8];
					int			wl;

					if (t->typoid && rnd(2))
					{
						wl = 1 + rnd(8);
						for (k = 0; k < wl; k++)
							tmp[k] = (char) rnd(256);
						w = tmp;
					}
					else
						wl = (int) strlen(w);
					if (len + wl >= MAXLEN)
						break;
					memmove(buf + pos + wl, buf + pos, len - pos);
					memcpy(buf + pos, w, wl);
					len += wl;
				}
				break;
			case 4:				/* duplicate a span (repeated sections) */
				if (pos < len)
				{
					int			d = 1 + rnd(len - pos);

					if (len + d >= MAXLEN)
						break;
					memmove(buf + pos + d, buf + pos, len - pos);
					len += d;
				}
				break;
			case 5:				/* trailing garbage */
				if (len + 1 < MAXLEN)
					buf[len++] = t->typoid ? (char) rnd(256) : interesting[rnd(sizeof(interesting) - 1)];
				break;
			case 6:				/* binary: an oversized or negative 4-byte word */
				if (pos + 4 <= len)
				{
					static const uint32_t big[] = {0x7fffffff, 0xffffffff, 0x80000000, 0x00ffffff, 0x40000000};
					uint32_t	v = big[rnd(5)];

					buf[pos] = (char) (v >> 24);
					buf[pos + 1] = (char) (v >> 16);
					buf[pos + 2] = (char) (v >> 8);
					buf[pos + 3] = (char) v;
				}
				break;
		}
	}
	return len;
}

int
main(int argc, char **argv)
{
	long		count = argc > 1 ? atol(argv[1]) : 100000;
	unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 14;
	PGconn	   *conn = PQconnectdb("");
	PGresult   *res;
	Target		targets[64];
	int			nt = 0,
				i;
	long		done = 0,
				accepted = 0,
				rejected = 0,
				bad = 0,
				byclass[36 * 36] = {0};
	char		buf[MAXLEN + 1];

	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "fuzz_inputs: %s", PQerrorMessage(conn));
		return 2;
	}
	rng = seed;
	PQclear(PQexec(conn, "SET client_min_messages = error"));

	/*
	 * Every base type of the extension, text and binary, with a valid value
	 * of each: the first row of the sample table made by the caller
	 * (memval_fuzz_sample, one column per type), else no valid prefix.
	 */
	res = PQexec(conn,
				 "SELECT t.oid, t.typname::text, t.typsend::text FROM pg_type t"
				 " JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'"
				 " JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'memval'"
				 " WHERE t.typtype = 'b' ORDER BY 2");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0)
	{
		fprintf(stderr, "fuzz_inputs: listing types: %s", PQerrorMessage(conn));
		return 2;
	}
	for (i = 0; i < PQntuples(res) && nt + 2 < 60; i++)
	{
		unsigned int oid = (unsigned int) strtoul(PQgetvalue(res, i, 0), NULL, 10);
		const char *typ = PQgetvalue(res, i, 1);
		char		q[512];
		PGresult   *v;

		snprintf(q, sizeof(q), "SELECT (SELECT %s::text FROM memval_fuzz_sample LIMIT 1),"
				 " (SELECT %s(%s) FROM memval_fuzz_sample LIMIT 1)", typ, PQgetvalue(res, i, 2), typ);
		v = PQexecParams(conn, q, 0, NULL, NULL, NULL, NULL, 1);
		targets[nt].name = strdup(typ);
		snprintf(q, sizeof(q), "SELECT $1::text::%s::text IS NULL", typ);
		targets[nt].sql = strdup(q);
		targets[nt].typoid = 0;
		targets[nt].valid = "";
		targets[nt].validlen = 0;
		targets[nt + 1] = targets[nt];
		snprintf(q, sizeof(q), "SELECT $1::%s::text IS NULL", typ);
		targets[nt + 1].sql = strdup(q);
		targets[nt + 1].typoid = oid;
		if (PQresultStatus(v) == PGRES_TUPLES_OK && PQntuples(v) == 1 && !PQgetisnull(v, 0, 0))
		{
			targets[nt].validlen = PQgetlength(v, 0, 0);
			targets[nt].valid = malloc(targets[nt].validlen);
			memcpy(targets[nt].valid, PQgetvalue(v, 0, 0), targets[nt].validlen);
			targets[nt + 1].validlen = PQgetlength(v, 0, 1);
			targets[nt + 1].valid = malloc(targets[nt + 1].validlen);
			memcpy(targets[nt + 1].valid, PQgetvalue(v, 0, 1), targets[nt + 1].validlen);
		}
		else
		{
			/* every type gets valid-looking prefixes: add it to the sample */
			fprintf(stderr, "fuzz_inputs: no sample of %s in memval_fuzz_sample\n", typ);
			return 2;
		}
		PQclear(v);
		nt += 2;
	}
	PQclear(res);
	/* text-taking functions: scheme and language names, ad hoc labels */
	{
		static const struct { const char *sql; const char *valid; } fns[] = {
			{"SELECT tier_of('544'::rfm_score, $1::text)", "rfm10"},
			{"SELECT tier_of('544'::rfm_score, 'rfm10', $1::text)", "zh"},
			{"SELECT tier_of(150::numeric, $1::text)", "tier4"},
			{"SELECT tier_of(150::float8, 'tier4', $1::text)", "en"},
			{"SELECT tier_of(5::numeric, '{1,10}'::numeric[], $1::text::text[])", "{low,mid,high}"},
			{"SELECT rfm_breaks($1::text::float8[], '{1,2}', '{10,100}')", "{7,30}"},
			{"SELECT tier_track_scheme(1.0, $1::text) OVER ()", "tier4"},
			{"SELECT tier_track_scheme(1.0, 'tier4', 1, 1, $1::text) OVER ()", "zh"},
			{"SELECT tier_track_scheme(1.0, $1::text::tier_rules) OVER ()", "value; \"silver\" >= 100"},
			{"SELECT aipl_stage(1, 2, 3, 30, $1::text)", "zh"},
			{"SELECT churn_stage(0.5, $1::text)", "en"},
			{"SELECT cohort_activity('2025-01-01'::timestamptz, 1::numeric, '1 month', $1::text)", "Asia/Shanghai"},
		};

		for (i = 0; i < (int) (sizeof(fns) / sizeof(fns[0])); i++, nt++)
		{
			targets[nt].name = fns[i].sql;
			targets[nt].sql = fns[i].sql;
			targets[nt].typoid = 0;
			targets[nt].valid = (char *) fns[i].valid;
			targets[nt].validlen = (int) strlen(fns[i].valid);
		}
	}

	for (done = 0; done < count; done++)
	{
		const Target *t = &targets[done % nt];
		int			len = make_input(t, buf);
		const char *vals[1] = {buf};
		int			lens[1] = {len};
		int			fmts[1] = {t->typoid ? 1 : 0};
		unsigned int types[1] = {t->typoid};

		if (!t->typoid)
		{
			/* a text parameter is a C string: no NUL inside */
			for (i = 0; i < len; i++)
				if (buf[i] == '\0')
					buf[i] = ' ';
			buf[len] = '\0';
		}
		res = PQexecParams(conn, t->sql, 1, types, vals, lens, fmts, 0);
		if (PQresultStatus(res) == PGRES_TUPLES_OK)
			accepted++;
		else
		{
			const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);

			rejected++;
			if (PQstatus(conn) != CONNECTION_OK || st == NULL)
			{
				fprintf(stderr, "fuzz_inputs: the connection died on input %ld (%s, %d bytes): %s",
						done, t->name, len, PQerrorMessage(conn));
				return 1;
			}
			if (strcmp(st, "XX000") == 0)
			{
				bad++;
				fprintf(stderr, "fuzz_inputs: XX000 on input %ld (%s): %s", done, t->name,
						PQresultErrorMessage(res));
			}
			byclass[(st[0] >= 'A' ? st[0] - 'A' + 10 : st[0] - '0') * 36 +
					(st[1] >= 'A' ? st[1] - 'A' + 10 : st[1] - '0')]++;
		}
		PQclear(res);
	}
	printf("fuzz_inputs: %ld inputs into %d targets (seed %llu): %ld accepted, %ld rejected (",
		   done, nt, seed, accepted, rejected);
	for (i = 0; i < 36 * 36; i++)
		if (byclass[i])
			printf(" %c%c:%ld", i / 36 < 10 ? '0' + i / 36 : 'A' + i / 36 - 10,
				   i % 36 < 10 ? '0' + i % 36 : 'A' + i % 36 - 10, byclass[i]);
	printf(" ), %ld XX000\n", bad);
	PQfinish(conn);
	return bad ? 1 : 0;
}
