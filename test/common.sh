# Shared set-up for test/run-tests.sh, demo/demo.sh, bench/*.sh and test/valgrind.sh.
# Source it; it defines functions and touches nothing until they are called.
#
#   memval_setup     install missing Debian packages, build, install memval
#   memval_start     start a throwaway PostgreSQL 15 cluster (stopped on exit)
#   mv_psql ...      psql against that cluster
#
# Environment:
#   MEMVAL_PORT     port of the throwaway cluster (default 54329)
#   MEMVAL_PGROOT   install into a private copy of PostgreSQL under this
#                   directory instead of the system one (no root needed for
#                   the build; useful for several checkouts side by side)
#   MEMVAL_QUIET    1: less chatter
#   MEMVAL_WERROR   1: compile with -Werror (set by test/run-tests.sh, so CI)

set -euo pipefail

MEMVAL_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEMVAL_PORT=${MEMVAL_PORT:-54329}
PGVER=15
SYS_BINDIR=/usr/lib/postgresql/$PGVER/bin

say() { [ "${MEMVAL_QUIET:-0}" = 1 ] || printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

memval_packages() {
	local need=() p
	for p in postgresql-$PGVER postgresql-server-dev-$PGVER postgresql-$PGVER-pgtap \
	         libtap-parser-sourcehandler-pgtap-perl make gcc; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
	done
	[ ${#need[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages: ${need[*]} (run as root, or install them)"
	say "installing Debian packages: ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

# A private copy of the PostgreSQL installation: the server finds its share
# and lib directories relative to its own binary, so `make install
# DESTDIR=$MEMVAL_PGROOT` lands where this copy looks.
memval_private_root() {
	local root=$MEMVAL_PGROOT
	if [ ! -x "$root/usr/lib/postgresql/$PGVER/bin/postgres" ]; then
		say "making a private PostgreSQL copy in $root"
		mkdir -p "$root/usr/lib/postgresql" "$root/usr/share/postgresql"
		cp -a /usr/lib/postgresql/$PGVER "$root/usr/lib/postgresql/"
		cp -a /usr/share/postgresql/$PGVER "$root/usr/share/postgresql/"
	fi
}

memval_bindir() {
	if [ -n "${MEMVAL_PGROOT:-}" ]; then
		echo "$MEMVAL_PGROOT/usr/lib/postgresql/$PGVER/bin"
	else
		echo "$SYS_BINDIR"
	fi
}

memval_setup() {
	memval_packages
	export PG_CONFIG=$SYS_BINDIR/pg_config
	cd "$MEMVAL_TOP"
	say "building memval"
	local copt=()
	[ "${MEMVAL_WERROR:-0}" = 1 ] && copt=(COPT=-Werror)
	make -s PG_CONFIG="$PG_CONFIG" "${copt[@]}" >/dev/null
	if [ -n "${MEMVAL_PGROOT:-}" ]; then
		memval_private_root
		make -s PG_CONFIG="$PG_CONFIG" install DESTDIR="$MEMVAL_PGROOT" >/dev/null
	else
		[ "$(id -u)" = 0 ] || [ -w "$($PG_CONFIG --pkglibdir)" ] ||
			die "installing needs root (or set MEMVAL_PGROOT for a private copy)"
		make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
	fi
}

# The cluster runs as an unprivileged OS user (initdb refuses root).
memval_run_as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

memval_stop() {
	if [ -n "${MEMVAL_PGDATA:-}" ] && [ -d "$MEMVAL_PGDATA" ]; then
		memval_run_as "$(memval_bindir)/pg_ctl" -D "$MEMVAL_PGDATA" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$MEMVAL_PGDATA" "$MEMVAL_SOCKDIR"
		MEMVAL_PGDATA=
	fi
}

# memval_start [extra postgresql.conf lines...]
memval_start() {
	local bindir owner
	bindir=$(memval_bindir)
	owner=$([ "$(id -u)" = 0 ] && echo postgres || id -un)
	MEMVAL_PGDATA=$(mktemp -d /tmp/memval-data.XXXXXX)
	MEMVAL_SOCKDIR=$(mktemp -d /tmp/memval-sock.XXXXXX)
	chown "$owner" "$MEMVAL_PGDATA" "$MEMVAL_SOCKDIR"
	chmod 700 "$MEMVAL_PGDATA"; chmod 755 "$MEMVAL_SOCKDIR"
	trap memval_stop EXIT
	trap 'memval_stop; exit 130' INT TERM
	say "starting a throwaway PostgreSQL $PGVER cluster on port $MEMVAL_PORT"
	memval_run_as "$bindir/initdb" -D "$MEMVAL_PGDATA" -U postgres -A trust \
		--no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
	{
		echo "port = $MEMVAL_PORT"
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$MEMVAL_SOCKDIR'"
		echo "fsync = off"
		echo "synchronous_commit = off"
		echo "full_page_writes = off"
		echo "max_wal_size = 4GB"
		echo "timezone = 'UTC'"
		for line in "$@"; do echo "$line"; done
	} >> "$MEMVAL_PGDATA/postgresql.conf"
	memval_run_as "$bindir/pg_ctl" -D "$MEMVAL_PGDATA" -l "$MEMVAL_PGDATA/server.log" -w start >/dev/null ||
		{ cat "$MEMVAL_PGDATA/server.log" >&2; die "the cluster did not start"; }
	export PGHOST=$MEMVAL_SOCKDIR PGPORT=$MEMVAL_PORT PGUSER=postgres
	export MEMVAL_SERVER_LOG=$MEMVAL_PGDATA/server.log
}

mv_psql() {
	"$(memval_bindir)/psql" -X -v ON_ERROR_STOP=1 -q "$@"
}
