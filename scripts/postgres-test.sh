#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster:
#   scripts/postgres-test.sh swift test --filter PostgresTests
# Installs Debian's postgresql package if missing (needs root, as on this
# project's machines), creates a private cluster in a temp folder listening on
# 127.0.0.1 only, on a free port, as the postgres OS user (PostgreSQL refuses
# to run as root), creates a role and a database for the tests, and runs the
# command with HEALTH_SYNC_POSTGRES_URL (and PGPASSWORD) set, and
# HEALTH_SYNC_POSTGRES_BIN naming PostgreSQL's programs. The cluster is
# stopped and deleted afterwards, whatever the command's outcome; the script
# exits with the command's status.
#
# Nothing is inherited: the URL and the password are made here, so an unset or
# stale variable in the caller's environment cannot skip or misdirect the run.
set -euo pipefail
cd "$(dirname "$0")/.."

if (($# == 0)); then
    echo "usage: scripts/postgres-test.sh COMMAND [ARGUMENTS...]" >&2
    exit 64
fi

missing=()
for package in postgresql postgresql-client; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "postgres-test: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
bin=/usr/lib/postgresql/$version/bin
# From /, which the postgres user can always enter.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

since() { awk -v start="$1" -v now="$EPOCHREALTIME" 'BEGIN { printf "%.2f", now - start }'; }
started=$EPOCHREALTIME
cluster=$(mktemp -d /tmp/health-sync-postgres.XXXXXX)
chown postgres: "$cluster"
chmod 700 "$cluster"

stop_cluster() {
    if [ -f "$cluster/data/postmaster.pid" ]; then
        local stopping=$EPOCHREALTIME
        # immediate: the data is thrown away, so no checkpoint is worth waiting for.
        as_postgres "$bin/pg_ctl" stop -D "$cluster/data" -m immediate -w >/dev/null 2>&1 || true
        echo "postgres-test: cluster stopped in $(since "$stopping") s" >&2
    fi
    rm -rf "$cluster"
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The superuser logs in through the cluster's own socket as the postgres OS
# user (peer); the tests log in over TCP with a password (SCRAM, as a hub
# would). -N: no fsync of the new files, and fsync=off below: a throwaway
# cluster loses nothing it needs in a crash, and the tests do not depend on it.
as_postgres "$bin/initdb" -D "$cluster/data" -U postgres \
    --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C -N >"$cluster/initdb.log" 2>&1 || {
    cat "$cluster/initdb.log" >&2
    exit 1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
running=""
for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    # Another process may take the port between the check and the start:
    # then the start fails and another port is tried.
    if as_postgres "$bin/pg_ctl" start -D "$cluster/data" -l "$cluster/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster -c fsync=off" >/dev/null; then
        running=yes
        break
    fi
done
if [ -z "$running" ]; then
    echo "postgres-test: the cluster did not start; its log:" >&2
    cat "$cluster/server.log" >&2 || true
    exit 1
fi

password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
# The role's password goes through psql's standard input, not argv.
as_postgres "$bin/psql" -X -q -h "$cluster" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE ROLE hubtest LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE hubtest OWNER hubtest TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';
SQL
echo "postgres-test: PostgreSQL $version on 127.0.0.1:$port, ready in $(since "$started") s" >&2

export HEALTH_SYNC_POSTGRES_URL="postgres://hubtest@127.0.0.1:$port/hubtest"
export PGPASSWORD="$password"
# For tests that need a cluster of their own (a restart would disturb the others).
export HEALTH_SYNC_POSTGRES_BIN="$bin"
status=0
"$@" || status=$?
exit "$status"
