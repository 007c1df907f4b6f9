#!/bin/sh
# pg_server.sh CMD [ARGS...] — run CMD beside a throwaway PostgreSQL server,
# for the tests of database sources (SPEC 8): a fresh cluster in a
# temporary directory, reached only through a unix socket there
# (listen_addresses = '', no TCP at all), fsync off; PGHOST, PGUSER and
# PGDATABASE point CMD at it. The server is stopped and the directory
# removed when CMD ends, whatever its status, which is this script's.
#
# initdb refuses to run as root, so as root the server runs as the
# postgres user (Debian's postgresql package creates it). Without the
# server binaries the tests are skipped with a message, as fuzzing is
# without clang.
set -eu
bindir=""
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && bindir=$d
done
if [ -z "$bindir" ]; then
	echo "  SKIP    PostgreSQL tests: no initdb (make deps installs postgresql)"
	exit 0
fi
as_server() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
dir=$(mktemp -d "${TMPDIR:-/tmp}/cxtop-pg-XXXXXX")
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
stop() {
	as_server "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM HUP
as_server "$bindir/initdb" -D "$dir/data" -U cxtop -A trust -E UTF8 --locale=C.UTF-8 \
	--no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# start.sh and stop.sh, for the tests of a server that goes away and comes
# back (tests/pg_fault.sh): CXTOP_PG_START and CXTOP_PG_STOP name them
run=""
[ "$(id -u)" = 0 ] && run="runuser -u postgres --"
cat >"$dir/start.sh" <<EOF
exec $run "$bindir/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
	-o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
	start >/dev/null
EOF
cat >"$dir/stop.sh" <<EOF
exec $run "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
EOF
sh "$dir/start.sh" || { cat "$dir/server.log" >&2; exit 1; }
PGHOST=$dir PGUSER=cxtop PGDATABASE=postgres CXTOP_PG_START="$dir/start.sh" \
	CXTOP_PG_STOP="$dir/stop.sh" "$@"
