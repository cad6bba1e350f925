#!/usr/bin/env bash
# Start a PostgreSQL server on loopback for the store's contract tests, and print its URL.
#
#   url=$(bash scripts/postgres.sh)   # ONRECORD_TEST_POSTGRES=$url pytest tests/test_store.py
#
# Installs Debian's postgresql package when no server is installed (needs root and apt), starts
# the first cluster that pg_lsclusters lists (creating one when there is none), and creates the
# role and database onrecord/onrecord_test. Idempotent: a second run only prints the URL.
set -euo pipefail

# Only the URL goes to stdout (callers capture it): everything the tools print goes to stderr.
exec 3>&1 1>&2

say() { printf 'postgres: %s\n' "$*" >&2; }
die() { printf 'postgres: error: %s\n' "$*" >&2; exit 1; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
    [[ $(id -u) == 0 ]] || die "PostgreSQL is not installed; run as root to install Debian's postgresql package"
    say "installing Debian's postgresql package"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } ||
        die "apt-get install postgresql failed"
fi

read -r version cluster port state _ < <(pg_lsclusters --no-header | head -n 1) || true
if [[ -z ${version:-} ]]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    say "creating cluster $version/main"
    pg_createcluster "$version" main >/dev/null 3>&-
    read -r version cluster port state _ < <(pg_lsclusters --no-header | head -n 1)
fi
if [[ $state != online* ]]; then
    say "starting cluster $version/$cluster on port $port"
    # the server must not inherit the URL pipe (fd 3), or a caller's $(...) never ends
    if ! pg_ctlcluster "$version" "$cluster" start 3>&-; then   # may print "Removed stale pid file."
        # a server killed without a shutdown leaves its socket lock behind: drop locks whose process is gone
        for lock in /var/run/postgresql/.s.PGSQL."$port".lock; do
            [[ -f $lock ]] || continue
            pid=$(head -n 1 "$lock")
            if ! kill -0 "$pid" 2>/dev/null; then
                say "removing stale socket lock $lock (process $pid is gone)"
                rm -f "$lock"
            fi
        done
        pg_ctlcluster "$version" "$cluster" start 3>&- || die "could not start cluster $version/$cluster"
    fi
fi

as_postgres() { su postgres -c "$1" 2>/dev/null || runuser -u postgres -- sh -c "$1"; }
for _ in $(seq 30); do
    as_postgres "psql -p $port -tAc 'SELECT 1'" >/dev/null 2>&1 && break
    sleep 1
done
if [[ $(as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'onrecord'\"") != 1 ]]; then
    as_postgres "psql -p $port -qc \"CREATE ROLE onrecord LOGIN PASSWORD 'onrecord'\""
fi
if [[ $(as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = 'onrecord_test'\"") != 1 ]]; then
    as_postgres "createdb -p $port -O onrecord onrecord_test"
fi
echo "postgresql://onrecord:onrecord@127.0.0.1:$port/onrecord_test" >&3
