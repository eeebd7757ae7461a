#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and the benchmark: `scripts/postgres.sh start DIR`
# installs Debian's PostgreSQL when it is missing, makes a cluster in DIR (a temporary
# directory), starts it on a free loopback port as an unprivileged user (`postgres` when run as
# root, else the caller), and prints the address of its `postgres` database; `scripts/postgres.sh
# stop DIR` stops it. The cluster trusts connections from 127.0.0.1 only: it holds test data,
# lives for one run, and listens nowhere else. Not for production (see the README's centre
# section for running the centre on the municipality's own server).
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

bin_dir() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$found" ] && command -v pg_ctl >/dev/null; then
    found="$(dirname "$(command -v pg_ctl)")"
  fi
  echo "$found"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    bin="$(bin_dir)"
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      sudo=""
      [ "$(id -u)" = 0 ] || sudo="sudo"
      echo "installing Debian's PostgreSQL (once)" >&2
      $sudo apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
      # Debian starts a cluster of its own on install; the tests use their own, on another port.
      bin="$(bin_dir)"
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir"
      runuser -u postgres -- test -x "$dir" \
        || { echo "$dir is not reachable by the user postgres; give a directory under /tmp" >&2; exit 1; }
    fi
    chmod 700 "$dir"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=on -c wal_recycle=off" start >&2 \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin="$(bin_dir)"
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
