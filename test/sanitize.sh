#!/usr/bin/env bash
# The whole suite (test/run-tests.sh) against memval built with
# AddressSanitizer and UndefinedBehaviorSanitizer (gcc's libasan/libubsan),
# in a server started with the ASan runtime preloaded (LD_PRELOAD; the
# postgres binary itself is not instrumented, so reports come from memval's
# code or from PostgreSQL calls intercepted by the runtime).
#
#   bash test/sanitize.sh
#
# Fails when the suite fails or when any sanitizer report has memval.so in
# its stack.  Reports without memval.so (PostgreSQL's own) are listed, not
# fatal.  Leak detection is off (PostgreSQL frees by memory context, at exit).
# Builds in a copy of the tree, installs into its own PostgreSQL copy
# (MEMVAL_PGROOT, default /tmp/memval-asan-root) on MEMVAL_PORT (default 54339).
source "$(dirname "$0")/common.sh"
MEMVAL_PGROOT=${MEMVAL_ASAN_PGROOT:-${MEMVAL_PGROOT:-/tmp/memval-asan-root}-asan}
MEMVAL_PORT=${MEMVAL_PORT:-54339}
export MEMVAL_PGROOT MEMVAL_PORT
memval_packages
export PG_CONFIG=$SYS_BINDIR/pg_config
libasan=$(readlink -f "$(gcc -print-file-name=libasan.so)")
libubsan=$(readlink -f "$(gcc -print-file-name=libubsan.so)")
[ -f "$libasan" ] && [ -f "$libubsan" ] || die "gcc's libasan/libubsan are missing (apt-get install gcc)"
# Why a plain LD_PRELOAD of libasan hangs Debian 12's postgres (even
# `postgres --version`): postgres links libsystemd -> libgcrypt ->
# libgpg-error, whose constructor calls bindtextdomain() before libasan's
# own constructor has run (the dynamic loader initialises dependencies
# first, a preloaded library late).  bindtextdomain holds glibc's
# _nl_state_lock as writer and calls malloc; ASan's malloc interceptor then
# initialises ASan lazily, which calls dlsym("swift_demangle") and dlerror(),
# whose dcgettext takes and releases the same lock as reader.  The lock's
# reader count underflows (__readers = 0xfffffff8 at main, seen in gdb) and
# the next bindtextdomain (postgres' set_pglocale_pgservice) waits forever
# on the futex.  The cure: a tiny second preload (asan_init_shim.so) whose
# bindtextdomain initialises ASan (__asan_init, idempotent) before taking
# the lock.  If postgres still does not start under ASan, fall back to
# UndefinedBehaviorSanitizer alone (libubsan preloads fine) and say so.
shimdir=$(mktemp -d /tmp/memval-asan-shim.XXXXXX)
chmod 755 "$shimdir"
cat > "$shimdir/asan_init_shim.c" <<'SHIM'
#define _GNU_SOURCE
#include <dlfcn.h>
extern void __asan_init(void);
char *bindtextdomain(const char *domain, const char *dir);
char *
bindtextdomain(const char *domain, const char *dir)
{
	static char *(*real) (const char *, const char *);

	__asan_init();				/* before glibc takes _nl_state_lock */
	if (!real)
		real = (char *(*) (const char *, const char *)) dlsym(RTLD_NEXT, "bindtextdomain");
	return real(domain, dir);
}
SHIM
gcc -shared -fPIC -O2 -Wall -Werror -o "$shimdir/asan_init_shim.so" "$shimdir/asan_init_shim.c" -ldl
chmod 755 "$shimdir/asan_init_shim.so"
sanitizers=address,undefined preload="$libasan $shimdir/asan_init_shim.so"
if ! timeout 20 env ASAN_OPTIONS=detect_leaks=0 LD_PRELOAD="$preload" "$SYS_BINDIR/postgres" --version >/dev/null 2>&1; then
	say "postgres hangs with libasan preloaded even with the shim: UndefinedBehaviorSanitizer only"
	sanitizers=undefined preload=$libubsan
fi

build=$(mktemp -d /tmp/memval-asan-build.XXXXXX)
logdir=$(mktemp -d /tmp/memval-asan-log.XXXXXX)
chmod 777 "$logdir"
cleanup() { memval_stop; rm -rf "$build" "$shimdir"; }
trap cleanup EXIT
say "building memval with -fsanitize=$sanitizers in $build"
(cd "$MEMVAL_TOP" && tar cf - --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' .) | (cd "$build" && tar xf -)
make -s -C "$build" PG_CONFIG="$PG_CONFIG" \
	COPT="-Werror -fsanitize=$sanitizers -fno-omit-frame-pointer -fno-sanitize=alignment" >/dev/null
memval_private_root
make -s -C "$build" PG_CONFIG="$PG_CONFIG" install DESTDIR="$MEMVAL_PGROOT" >/dev/null
bindir=$(memval_bindir)

# Every server the suite starts from this copy of PostgreSQL runs with the
# runtime preloaded, the shell tests' own clusters too (pg_cron's,
# privileges'): "postgres" becomes a wrapper of the real binary.  (An
# ASan-built memval.so in a server without libasan preloaded cannot load.)
[ -f "$bindir/postgres.real" ] || mv "$bindir/postgres" "$bindir/postgres.real"
case "$preload" in *asan_init_shim.so*)
	cp "$shimdir/asan_init_shim.so" "$MEMVAL_PGROOT/asan_init_shim.so"
	preload="$libasan $MEMVAL_PGROOT/asan_init_shim.so";;
esac
cat > "$bindir/postgres" <<WRAP
#!/bin/sh
export LD_PRELOAD="$preload"
export ASAN_OPTIONS=detect_leaks=0:log_path=$logdir/asan:abort_on_error=0:detect_odr_violation=0:verify_asan_link_order=0
export UBSAN_OPTIONS=print_stacktrace=1:log_path=$logdir/ubsan:halt_on_error=0
exec "$bindir/postgres.real" "\$@"
WRAP
chmod 755 "$bindir/postgres"
MEMVAL_PGDATA=$(mktemp -d /tmp/memval-data.XXXXXX)
MEMVAL_SOCKDIR=$(mktemp -d /tmp/memval-sock.XXXXXX)
owner=$([ "$(id -u)" = 0 ] && echo postgres || id -un)
chown "$owner" "$MEMVAL_PGDATA" "$MEMVAL_SOCKDIR"; chmod 700 "$MEMVAL_PGDATA"; chmod 755 "$MEMVAL_SOCKDIR"
memval_run_as "$bindir/initdb" -D "$MEMVAL_PGDATA" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$MEMVAL_PGDATA/postgresql.conf" <<CONF
port = $MEMVAL_PORT
listen_addresses = ''
unix_socket_directories = '$MEMVAL_SOCKDIR'
fsync = off
synchronous_commit = off
max_wal_size = 4GB
timezone = 'UTC'
max_stack_depth = '4MB'
CONF
say "starting the server with the $sanitizers runtime preloaded"
memval_run_as "$bindir/pg_ctl" -D "$MEMVAL_PGDATA" -t 120 \
	-l "$MEMVAL_PGDATA/server.log" -w start >/dev/null || { cat "$MEMVAL_PGDATA/server.log"; die "no start"; }
export PGHOST=$MEMVAL_SOCKDIR PGPORT=$MEMVAL_PORT PGUSER=postgres MEMVAL_SERVER_LOG=$MEMVAL_PGDATA/server.log
# The runtime is really there: a backend's own memory map lists it, and the
# installed memval.so calls ASan's checks.  (grep -c reads all of nm's
# output: with grep -q, nm could die of SIGPIPE and pipefail would fail the
# check although the symbol is there.)
case "$sanitizers" in address*)
	[ "$("$bindir/psql" -X -At -d postgres -c "SELECT pg_read_file('/proc/self/maps') ~ 'libasan'")" = t ] ||
		die "the backend has no libasan mapped"
	nm -D "$("$bindir/pg_config" --pkglibdir)/memval.so" | grep -c '__asan_report_load' >/dev/null ||
		die "memval.so is not instrumented";;
esac
set +e
MEMVAL_EXTERNAL_CLUSTER=1 bash "$MEMVAL_TOP/test/run-tests.sh" 2>&1 | tee "$logdir/suite.log"
rc=${PIPESTATUS[0]}
set -e
memval_run_as "$bindir/pg_ctl" -D "$MEMVAL_PGDATA" -m fast stop >/dev/null 2>&1 || true

mine=0 theirs=0
for f in "$logdir"/asan.* "$logdir"/ubsan.*; do
	[ -e "$f" ] || continue
	if grep -q 'memval\.so' "$f"; then
		mine=$((mine + 1)); echo "---- $f"; cat "$f"
	else
		theirs=$((theirs + 1))
	fi
done
signals=$(grep -c 'terminated by signal' "$MEMVAL_PGDATA/server.log" || true)
summary=$(tail -1 "$logdir/suite.log")
echo "sanitize (-fsanitize=$sanitizers): suite [$summary]; $mine report file(s) from memval.so, $theirs from PostgreSQL alone; $signals backend(s) terminated by a signal; $SECONDS s"
if [ "$theirs" -gt 0 ]; then
	echo "reports outside memval.so (first lines):"
	for f in "$logdir"/asan.* "$logdir"/ubsan.*; do
		[ -e "$f" ] && ! grep -q 'memval\.so' "$f" && grep -m2 -E 'ERROR|runtime error' "$f"
	done | sort | uniq -c | head -20
fi
[ "$mine" -eq 0 ] && [ "$signals" -eq 0 ] && [ "$rc" -eq 0 ] && rm -rf "$logdir"
[ "$mine" -eq 0 ] && [ "$signals" -eq 0 ] && [ "$rc" -eq 0 ]
