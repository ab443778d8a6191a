#!/usr/bin/env bash
# A throwaway local PostgreSQL cluster for lagsim: one primary and N streaming hot-standby replicas on
# loopback ports, each replica held back by its own recovery_min_apply_delay (docs/postgres.md).
#
#   scripts/pg-cluster.sh start  [--dir DIR] [--replicas N] [--delays 100ms,300ms] [--port P]
#   scripts/pg-cluster.sh status [--dir DIR]
#   scripts/pg-cluster.sh stop   [--dir DIR]
#   scripts/pg-cluster.sh check  (prints the server's bin folder, or why there is none; exit 1)
#
# `start` prints shell assignments on stdout (eval them):
#   LAGSIM_PRIMARY=postgres://postgres@127.0.0.1:P/postgres
#   LAGSIM_REPLICAS='postgres://...:P+1/postgres postgres://...:P+2/postgres'
# `stop` stops exactly the servers listed in DIR/cluster.state (by data directory, through their
# postmaster.pid) and removes DIR, which `start` created; it refuses a DIR that start did not make.
#
# The servers trust every connection from 127.0.0.1 (test data only), run with fsync off (a crash
# loses the test data, which stop deletes anyway) and are run as the `postgres` user when this script
# runs as root (the server refuses to run as root).
set -euo pipefail

MARKER=.lagsim-pg-cluster
DIR=${LAGSIM_PG_DIR:-/tmp/lagsim-pg}
REPLICAS=
DELAYS=100ms,300ms
PORT=${LAGSIM_PG_PORT:-54320}

die() {
  echo "pg-cluster: $*" >&2
  exit 2
}

usage() {
  sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

command=${1:-}
[ -n "$command" ] || usage
shift
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR=${2:?--dir needs a folder}; shift 2 ;;
    --replicas) REPLICAS=${2:?--replicas needs a number}; shift 2 ;;
    --delays) DELAYS=${2:?--delays needs a list such as 100ms,300ms}; shift 2 ;;
    --port) PORT=${2:?--port needs a number}; shift 2 ;;
    -h | --help) usage ;;
    *) die "unknown option $1 (expected --dir, --replicas, --delays or --port)" ;;
  esac
done
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
STATE="$DIR/cluster.state"

# The server's binaries: PG_BINDIR, else pg_config's, else the newest Debian install, else PATH.
find_bindir() {
  local candidate
  if [ -n "${PG_BINDIR:-}" ]; then
    [ -x "$PG_BINDIR/postgres" ] && [ -x "$PG_BINDIR/initdb" ] || return 1
    echo "$PG_BINDIR"
    return
  fi
  if command -v pg_config >/dev/null 2>&1; then
    candidate=$(pg_config --bindir 2>/dev/null || true)
    if [ -x "$candidate/postgres" ] && [ -x "$candidate/initdb" ]; then
      echo "$candidate"
      return
    fi
  fi
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/postgres" ] && [ -x "$candidate/initdb" ]; then
      echo "$candidate"
      return
    fi
  done
  if command -v postgres >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v postgres)")"
    return
  fi
  return 1
}

# Runs a server binary as the postgres user when we are root (initdb and postgres refuse root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

next_free_port() {
  local port=$1
  while port_in_use "$port"; do
    port=$((port + 1))
    [ "$port" -lt 65535 ] || die "no free loopback port from $1 up"
  done
  echo "$port"
}

# "300ms" / "0.3s" / "300" (ms) -> whole milliseconds, for recovery_min_apply_delay.
delay_ms() {
  local value=$1
  case "$value" in
    *ms) value=${value%ms}; awk -v v="$value" 'BEGIN { if (v !~ /^[0-9.]+$/) exit 1; printf "%d", v + 0.5 }' ;;
    *s) value=${value%s}; awk -v v="$value" 'BEGIN { if (v !~ /^[0-9.]+$/) exit 1; printf "%d", v * 1000 + 0.5 }' ;;
    *) awk -v v="$value" 'BEGIN { if (v !~ /^[0-9.]+$/) exit 1; printf "%d", v + 0.5 }' ;;
  esac || die "expected a delay such as 100ms or 0.3s, got \"$1\""
}

url() {
  echo "postgres://postgres@127.0.0.1:$1/postgres"
}

stop_cluster() {
  [ -e "$DIR" ] || { echo "pg-cluster: nothing to stop in $DIR" >&2; return 0; }
  [ -f "$DIR/$MARKER" ] || die "$DIR was not made by pg-cluster.sh start (no $MARKER): not touching it"
  local bindir
  bindir=$(find_bindir) || bindir=
  if [ -f "$STATE" ]; then
    # Replicas first, so the primary's shutdown does not wait for their WAL senders.
    while read -r _role name _port data _delay; do
      if [ -f "$data/postmaster.pid" ] && [ -n "$bindir" ]; then
        as_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
          echo "pg-cluster: could not stop $name cleanly (data $data)" >&2
      fi
    done < <(tac "$STATE")
  fi
  rm -rf "$DIR"
  echo "pg-cluster: stopped and removed $DIR" >&2
}

status_cluster() {
  [ -f "$STATE" ] || die "no cluster in $DIR (start one with: scripts/pg-cluster.sh start --dir $DIR)"
  local bindir running=0 total=0
  bindir=$(find_bindir) || die "no PostgreSQL server binaries found"
  while read -r role name port data delay; do
    total=$((total + 1))
    if as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      running=$((running + 1))
      echo "$name $role running $(url "$port") apply-delay ${delay}ms"
    else
      echo "$name $role stopped $(url "$port") apply-delay ${delay}ms"
    fi
  done <"$STATE"
  [ "$running" = "$total" ]
}

start_cluster() {
  local bindir
  bindir=$(find_bindir) || die "no PostgreSQL server binaries found (install the Debian package postgresql, or set PG_BINDIR)"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root, but there is no postgres user to run the server as"
  fi
  if [ -e "$DIR" ]; then
    [ -f "$DIR/$MARKER" ] && die "a cluster already lives in $DIR (stop it first: scripts/pg-cluster.sh stop --dir $DIR)"
    [ -z "$(ls -A "$DIR")" ] || die "$DIR exists and is not empty (give another --dir)"
    rmdir "$DIR"
  fi
  IFS=, read -r -a delays <<<"$DELAYS"
  [ "${#delays[@]}" -gt 0 ] || die "expected at least one delay"
  local count=${REPLICAS:-${#delays[@]}}
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || die "expected --replicas to be a whole number >= 1, got \"$count\""
  [[ "$PORT" =~ ^[0-9]+$ ]] || die "expected --port to be a port number, got \"$PORT\""

  mkdir -p "$DIR"
  touch "$DIR/$MARKER"
  # From here on a failure stops whatever started and removes the folder.
  trap 'echo "pg-cluster: start failed; cleaning up" >&2; stop_cluster' ERR
  if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
  : >"$STATE"

  local port
  port=$(next_free_port "$PORT")
  local primary="$DIR/primary"
  as_pg "$bindir/initdb" -D "$primary" -U postgres -A trust -N >"$DIR/initdb.log" 2>&1
  cat >>"$primary/postgresql.conf" <<EOF
# lagsim test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DIR'
max_connections = 300
shared_buffers = 64MB
wal_level = replica
max_wal_senders = 16
max_replication_slots = 16
hot_standby = on
hot_standby_feedback = on
fsync = off
full_page_writes = off
cluster_name = 'lagsim-primary'
EOF
  cat >>"$primary/pg_hba.conf" <<EOF
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
EOF
  as_pg "$bindir/pg_ctl" -D "$primary" -l "$DIR/primary.log" -w -t 60 start >/dev/null
  echo "primary primary $port $primary 0" >>"$STATE"
  local primary_port=$port

  local replicas="" i delay data
  for ((i = 1; i <= count; i++)); do
    delay=${delays[$((i <= ${#delays[@]} ? i - 1 : ${#delays[@]} - 1))]}
    delay=$(delay_ms "$delay")
    port=$(next_free_port $((port + 1)))
    data="$DIR/replica-$i"
    as_pg "$bindir/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$data" -R -X stream \
      -C -S "lagsim_replica_$i" >"$DIR/basebackup-$i.log" 2>&1
    cat >>"$data/postgresql.conf" <<EOF
# lagsim replica $i
port = $port
recovery_min_apply_delay = '${delay}ms'
hot_standby_feedback = on
cluster_name = 'lagsim-replica-$i'
EOF
    # The state line goes first so that a failed start still gets this server stopped.
    echo "replica replica-$i $port $data $delay" >>"$STATE"
    as_pg "$bindir/pg_ctl" -D "$data" -l "$DIR/replica-$i.log" -w -t 60 start >/dev/null
    replicas="$replicas${replicas:+ }$(url "$port")"
  done

  # Wait until every replica streams from the primary.
  local streaming=0 tries
  for ((tries = 0; tries < 300; tries++)); do
    streaming=$(as_pg "$bindir/psql" -h "$DIR" -p "$primary_port" -U postgres -d postgres -Atq \
      -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null || echo 0)
    [ "$streaming" -ge "$count" ] && break
    sleep 0.1
  done
  [ "$streaming" -ge "$count" ] || { echo "pg-cluster: only $streaming of $count replicas stream" >&2; false; }
  trap - ERR

  echo "pg-cluster: primary $(url "$primary_port"), $count replica(s) with apply delays ${DELAYS}, in $DIR" >&2
  echo "LAGSIM_PRIMARY=$(url "$primary_port")"
  echo "LAGSIM_REPLICAS='$replicas'"
}

check_server() {
  local bindir
  if ! bindir=$(find_bindir); then
    echo "pg-cluster: no PostgreSQL server binaries found (install the Debian package postgresql, or set PG_BINDIR)" >&2
    exit 1
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "pg-cluster: running as root, but there is no postgres user to run the server as" >&2
    exit 1
  fi
  echo "$bindir"
}

case "$command" in
  check) check_server ;;
  start) start_cluster ;;
  stop) stop_cluster ;;
  status) status_cluster ;;
  *) usage ;;
esac
