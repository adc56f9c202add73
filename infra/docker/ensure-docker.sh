#!/usr/bin/env bash
# Make a Docker daemon available, or stop the one this script started.
#
#   infra/docker/ensure-docker.sh start   # install docker.io if dockerd is missing, start it if down
#   infra/docker/ensure-docker.sh stop    # stop dockerd only if `start` started it
#
# `start` leaves var/docker/dockerd.pid behind only when it started the daemon itself, so
# `stop` never touches a daemon somebody else runs. Every failure exits non-zero, loudly.
set -euo pipefail
cd "$(dirname "$0")/../.."

STATE=var/docker
PIDFILE=$STATE/dockerd.pid
READY_SECONDS=60

say() { echo "== ensure-docker: $*"; }
fail() { echo "!! ensure-docker: $*" >&2; exit 1; }

daemon_answers() { docker info >/dev/null 2>&1; }

install_docker() {
  say "dockerd missing: installing Debian's docker.io"
  command -v apt-get >/dev/null || fail "no dockerd and no apt-get: install Docker yourself"
  apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null \
    || fail "apt-get install docker.io failed"
}

start() {
  if daemon_answers; then
    say "a Docker daemon already answers; using it"
    return
  fi
  command -v dockerd >/dev/null || install_docker
  command -v docker >/dev/null || fail "the docker client is missing"
  mkdir -p "$STATE"
  say "starting dockerd (log: $STATE/dockerd.log)"
  dockerd >"$STATE/dockerd.log" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq "$READY_SECONDS"); do
    daemon_answers && { say "dockerd ready (pid $(cat "$PIDFILE"))"; return; }
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break
    sleep 1
  done
  tail -20 "$STATE/dockerd.log" >&2 || true
  rm -f "$PIDFILE"
  fail "dockerd did not answer within ${READY_SECONDS}s"
}

stop() {
  [[ -f $PIDFILE ]] || { say "dockerd was not started here; leaving it alone"; return; }
  local pid
  pid=$(cat "$PIDFILE")
  rm -f "$PIDFILE"
  kill -0 "$pid" 2>/dev/null || return 0
  say "stopping the dockerd this script started (pid $pid)"
  kill "$pid"
  for _ in $(seq 30); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 1
  done
  fail "dockerd (pid $pid) did not stop within 30s"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) fail "usage: $0 start|stop" ;;
esac
