#!/usr/bin/env bash
# Measures AgentWire's Socket.IO server (and, with "both" or "socketio", Node's socket.io 4.8 as the peer) with the
# socket.io-client load drivers of this directory: emit-with-ack round trips (ack.mjs) and broadcast deliveries to
# one room (broadcast.mjs). Everything on 127.0.0.1; every step is bounded by `timeout`; servers stop by themselves.
# Not part of the test run. Build first: ./mvnw -B -o -q -pl protocol,transport install -DskipTests
#
# Usage: transport/src/test/js/bench/run.sh [agentwire|socketio|both]
# Tuning (environment): CLIENTS=500 ACK_PROCS=2 DURATION=10 SOCKETS=10000 PROCS=4 MESSAGES=50 ROUNDS=3 BYTES=100
# RECOVERY=on
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$DIR/../../../../.." && pwd)
TARGET=${1:-agentwire}
CLIENTS=${CLIENTS:-500} DURATION=${DURATION:-10} SOCKETS=${SOCKETS:-10000} PROCS=${PROCS:-4}
MESSAGES=${MESSAGES:-50} ROUNDS=${ROUNDS:-3} BYTES=${BYTES:-100} RECOVERY=${RECOVERY:-on} ACK_PROCS=${ACK_PROCS:-2}
ulimit -n "$(ulimit -Hn)" # 10 000 sockets on each side of the loopback
echo "# $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), ulimit -n $(ulimit -n), node $(node --version), recovery $RECOVERY"
[ -d "$DIR/node_modules" ] || (cd "$DIR" && npm ci --no-audit --no-fund)

SERVER_PID=
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; fi; }
trap stop_server EXIT

wait_port() {
  for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done
  echo "server on port $1 did not start" >&2; return 1
}

drive() { # name url
  echo "## $1"
  timeout 300 node "$DIR/ack.mjs" "$2" "$CLIENTS" "$DURATION" 3 "$ACK_PROCS"
  timeout 900 node "$DIR/broadcast.mjs" "$2" "$SOCKETS" "$PROCS" "$MESSAGES" "$ROUNDS" "$BYTES"
}

if [ "$TARGET" = agentwire ] || [ "$TARGET" = both ]; then
  (cd "$ROOT" && ./mvnw -B -o -q -pl transport dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/bench.cp >/dev/null)
  CP="$ROOT/transport/target/test-classes:$ROOT/transport/target/classes:$(cat "$ROOT/transport/target/bench.cp")"
  "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xms1g -Xmx4g -Dlogback.configurationFile="$DIR/logback-bench.xml" -cp "$CP" \
      io.agentwire.transport.socketio.bench.BenchServer 3100 1200 "$RECOVERY" </dev/null &
  SERVER_PID=$!
  wait_port 3100
  drive "agentwire" http://127.0.0.1:3100
  stop_server
fi
if [ "$TARGET" = socketio ] || [ "$TARGET" = both ]; then
  node "$DIR/socketio-server.mjs" 3101 1200 "$RECOVERY" </dev/null &
  SERVER_PID=$!
  wait_port 3101
  drive "socket.io 4.8.1 (Node $(node --version))" http://127.0.0.1:3101
  stop_server
fi
