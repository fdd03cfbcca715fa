#!/usr/bin/env bash
# Runs the bench's load scenarios against AgentWire and its peers, each server in its own process, one at a time,
# fresh for every scenario, on 127.0.0.1; writes bench/results/<UTC time>.md (and the raw .tsv beside it).
#
# Usage: bench/run.sh [idle|fanout|echo|storm|connect|all]        (default all; ≈ 11 min for all on 2 cores)
# Environment: SERVERS="agentwire envelope socketio netty-socketio ws" (which servers), SMALL=1 (tiny sizes, a
#   smoke run of a minute), SERVER_CPUS=1 GEN_CPUS=0 (taskset lists), GEN_LOOPS (the generator's event loop
#   threads; default: the CPUs in GEN_CPUS), IDLE_N, FANOUT_N, FANOUT_RATES, ECHO_N, STORM_N, CONNECT_N, CONNECT_WARMUP
#   (clients per warm-up round, 5 000), CONNECT_WARMUP_SECONDS (its least length, 20; JVM servers go on until their JIT
#   settles, up to 3 × as long), BUILD=1
#   (rebuild the jars first), ECHO_PACED_RATE (echo's paced step, round trips/s for every server; default: half of
#   each server's own saturated rate; 0: no paced step), PACED_SECONDS (its measured length, 10) and PACED_AFTER (it
#   is measured from this many seconds after the connects, 52: past the servers' second ping round), ECHO_MEASURE_AFTER
#   (echo's windows start this many seconds after the connects at the earliest, 27: past the first ping round) and
#   ECHO_WARMUP_MAX_SECONDS (a JVM server's echo warm-up goes on until its JIT settles, to this many seconds after the
#   connects at most, 33: the windows end before the second round),
#   AGENTWIRE_BENCH_JAR (the benchmarks.jar the agentwire server runs from, e.g. an older build's, measured by this
#   generator; default: this tree's), KEEP=1 (keep the work directory: server logs, generator stderr), PORT (first
#   port tried).
# Everything stops by itself: servers exit after SERVER_SECONDS, every generator run is under `timeout`, and the
# EXIT trap kills what is still running.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$DIR/.." && pwd)
WHAT=${1:-all}
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
SERVERS=${SERVERS:-"agentwire envelope socketio netty-socketio ws"}
SERVER_CPUS=${SERVER_CPUS:-1} GEN_CPUS=${GEN_CPUS:-0}
cpu_count() { # CPUs in a taskset list such as 0 / 0-3 / 0,2-3
  local n=0 part
  for part in ${1//,/ }; do
    if [[ $part == *-* ]]; then n=$((n + ${part#*-} - ${part%-*} + 1)); else n=$((n + 1)); fi
  done
  echo "$n"
}
GEN_LOOPS=${GEN_LOOPS:-$(cpu_count "$GEN_CPUS")} # the generator's event loop threads: one per CPU it may use
SERVER_SECONDS=${SERVER_SECONDS:-300}
# every Java process (AgentWire, netty-socketio, the generator) runs with what bin/agentwire and the image give the
# JVM besides the heap: native access for SQLite/Netty's epoll, on Java 24+ Netty's sun.misc.Unsafe allowed (the
# default, "warn", cost AgentWire's echo ≈ 14 % more CPU per round trip in Netty's buffer and queue accesses:
# bench/README.md), and on Java 25+ compact object headers (8-byte headers, JEP 519)
JAVA_MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
JVM_COMMON=${JVM_COMMON:-"--enable-native-access=ALL-UNNAMED$([ "${JAVA_MAJOR:-0}" -ge 24 ] && echo " --sun-misc-unsafe-memory-access=allow")$([ "${JAVA_MAJOR:-0}" -ge 25 ] && echo " -XX:+UseCompactObjectHeaders")"}
# every Java server (AgentWire, netty-socketio; not the generator) also gets the memory options bin/agentwire gives
# `serve` on one CPU, where the JVM runs Serial: the young generation at most 16 MiB and, on Java 23+, the native heap
# trimmed every second (docs/deploy.md; bench/README.md, "tenth stop", for what they change for each server, and why
# the launcher bounds the young generation only under Serial; JVM_MEMORY= leaves them out)
JVM_MEMORY=${JVM_MEMORY-"-XX:MaxNewSize=16m$([ "${JAVA_MAJOR:-0}" -ge 23 ] && echo " -XX:TrimNativeHeapInterval=1000")"}
JVM_SERVER="${JVM_SERVER:-"-Xms256m -Xmx2g"} $JVM_MEMORY $JVM_COMMON"
# the generator's long-lived objects (clients, histograms) go to the old generation at their first collection: with
# the default tenuring, Serial copied them between survivor spaces in every young pause (6–28 ms, measured as the
# server's latency by every echo in flight then); now its young pauses take < 1 ms after the first
JVM_GEN="${JVM_GEN:-"-Xms512m -Xmx2g -XX:MaxTenuringThreshold=0 -XX:+AlwaysPreTouch"} $JVM_COMMON"
PORT=${PORT:-3370}

# fd limit: as high as this process may go (a server holds one fd per client, so does the generator)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
ulimit -n 200000 2>/dev/null || true
FDS=$(ulimit -n)
if [ -n "${SMALL:-}" ]; then
  IDLE_N=${IDLE_N:-500} FANOUT_N=${FANOUT_N:-200} FANOUT_RATES=${FANOUT_RATES:-10,30} ECHO_N=${ECHO_N:-50}
  STORM_N=${STORM_N:-100} CONNECT_N=${CONNECT_N:-1000} CONNECT_WARMUP=${CONNECT_WARMUP:-100} CONNECT_WARMUP_SECONDS=${CONNECT_WARMUP_SECONDS:-0}
  SECONDS_STEP=1 WARMUP=1
  PACED_SECONDS=1 PACED_AFTER=0 ECHO_MEASURE_AFTER=0 ECHO_WARMUP_MAX_SECONDS=0
else
  # the idle count is the target (50 000) bounded by the fd limit of the server process (it needs one per client)
  IDLE_N=${IDLE_N:-$(( FDS - 1000 < 50000 ? FDS - 1000 : 50000 ))}
  FANOUT_N=${FANOUT_N:-10000} FANOUT_RATES=${FANOUT_RATES:-10,30} ECHO_N=${ECHO_N:-500}
  STORM_N=${STORM_N:-5000} CONNECT_N=${CONNECT_N:-$(( FDS - 1000 < 50000 ? FDS - 1000 : 50000 ))}
  # the connect step's warm-up: rounds of CONNECT_WARMUP clients for at least CONNECT_WARMUP_SECONDS and, on a JVM
  # server, until a round's JIT share is under 0.05 (at most 3 × as long): one round of 5 000 left the JIT 0.3-0.4
  CONNECT_WARMUP=${CONNECT_WARMUP:-5000} CONNECT_WARMUP_SECONDS=${CONNECT_WARMUP_SECONDS:-20}
  SECONDS_STEP=${SECONDS_STEP:-5} WARMUP=${WARMUP:-3}
  # echo's windows between the servers' first and second ping rounds (25 s, 50 s after the connects), JVM servers
  # warmed until their JIT settles; its paced step between the second and third (EchoLoad)
  ECHO_MEASURE_AFTER=${ECHO_MEASURE_AFTER:-27} ECHO_WARMUP_MAX_SECONDS=${ECHO_WARMUP_MAX_SECONDS:-33}
  PACED_SECONDS=${PACED_SECONDS:-10} PACED_AFTER=${PACED_AFTER:-52}
fi
CONNECT_WARMUP_MAX_SECONDS=$((3 * CONNECT_WARMUP_SECONDS)) # given to the generator and written in the settings

# AgentWire's limits that a deployment for this many clients raises (bench/README.md, "Limits the bench raises"),
# in the environment variables of `agentwire serve`, which the Socket.IO peer reads too; the rest stay at their defaults
export AGENTWIRE_LIMITS_HTTP_MAX_CONNECTIONS=${AGENTWIRE_LIMITS_HTTP_MAX_CONNECTIONS:-100000}
export AGENTWIRE_SESSIONS_MAX_PER_PRINCIPAL=${AGENTWIRE_SESSIONS_MAX_PER_PRINCIPAL:-100000}
export AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS=${AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS:-2000}
export AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS_PER_ADDRESS=${AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS_PER_ADDRESS:-$AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS}

BENCH_JAR="$ROOT/bench/target/benchmarks.jar" SERVER_JAR="$ROOT/server/target/agentwire.jar"
AGENTWIRE_BENCH_JAR=${AGENTWIRE_BENCH_JAR:-$BENCH_JAR}
if [ -n "${BUILD:-}" ] || [ ! -f "$BENCH_JAR" ] || [ ! -f "$SERVER_JAR" ]; then
  (cd "$ROOT" && ./mvnw -B -q -o -pl server,bench -am package -DskipTests)
fi
[ -d "$DIR/peers/node_modules" ] || (cd "$DIR/peers" && timeout 300 npm ci --no-audit --no-fund)

mkdir -p "$DIR/results"
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
# a second run in the same minute (short scenarios back to back) gets the seconds too: never append to another run's file
[ -e "$DIR/results/$STAMP.tsv" ] && STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
TSV="$DIR/results/$STAMP.tsv" MD="$DIR/results/$STAMP.md"
WORK=$(mktemp -d /tmp/agentwire-bench.XXXXXX)
SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
cleanup() { stop_server; if [ -n "${KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

meta() { printf 'meta\t-\t%s\t%s\n' "$1" "$2" >>"$TSV"; }
meta "machine" "$(nproc) cpus ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem/{print $2}') GiB, $(uname -sr)"
meta "load average before" "$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine is not stopped)"
meta "versions" "AgentWire $(git -C "$ROOT" rev-parse --short HEAD)$([ "$AGENTWIRE_BENCH_JAR" = "$BENCH_JAR" ] || echo " (the agentwire server: $AGENTWIRE_BENCH_JAR, $(git -C "$(dirname "$AGENTWIRE_BENCH_JAR")" rev-parse --short HEAD 2>/dev/null || echo '?'))"), $("$JAVA" -version 2>&1 | head -1), node $(node --version), socket.io $(node -p "require('$DIR/peers/node_modules/socket.io/package.json').version"), ws $(node -p "require('$DIR/peers/node_modules/ws/package.json').version"), netty-socketio $(unzip -p "$BENCH_JAR" META-INF/maven/com.corundumstudio.socketio/netty-socketio/pom.properties 2>/dev/null | grep '^version' | cut -d= -f2)"
meta "pinning" "servers: taskset -c $SERVER_CPUS; generator: taskset -c $GEN_CPUS ($GEN_LOOPS event loop thread(s)); Java servers $JVM_SERVER; generator $JVM_GEN"
meta "agentwire limits" "limits.http.max-connections $AGENTWIRE_LIMITS_HTTP_MAX_CONNECTIONS, sessions.max-per-principal $AGENTWIRE_SESSIONS_MAX_PER_PRINCIPAL, rooms.max-pending-sessions $AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS (per address $AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS_PER_ADDRESS); every other limit at its default"
meta "settings" "idle $IDLE_N clients; fan-out $FANOUT_N members, ${WARMUP} s warm-up, saturation (16 messages in flight), then $FANOUT_RATES msg/s, ${SECONDS_STEP} s per step; echo $ECHO_N clients, unmeasured ≥ ${WARMUP} s and until $ECHO_MEASURE_AFTER s after the connects (JVM servers: then until a 2 s round's JIT share < 0.05, ≤ $ECHO_WARMUP_MAX_SECONDS s), 3 × ${SECONDS_STEP} s windows (median), then paced at ${ECHO_PACED_RATE:-half the median} round trips/s, $PACED_SECONDS s measured from $PACED_AFTER s after the connects; storm $STORM_N clients, 3 s away (Socket.IO: 5 broadcasts/s go on); connect ${SECONDS_STEP} s or $CONNECT_N clients after rounds of $CONNECT_WARMUP connected and left unmeasured (≥ $CONNECT_WARMUP_SECONDS s and, JVM servers, until a round's JIT share < 0.05, ≤ $CONNECT_WARMUP_MAX_SECONDS s), 200 handshakes in flight; fd limit $FDS"

start_server() { # name → SERVER_PID, LOG, PROTO, HEAP
  local name=$1
  PORT=$((PORT + 1))
  # the next port nobody listens on (other benchmarks may run on the machine): never measure someone else's server
  while (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
  LOG="$WORK/$name-$PORT.log"
  case "$name" in
    agentwire)
      PROTO=sio
      taskset -c "$SERVER_CPUS" "$JAVA" $JVM_SERVER -cp "$AGENTWIRE_BENCH_JAR" io.agentwire.bench.peer.AgentWireSocketIoPeer "$PORT" "$SERVER_SECONDS" >"$LOG" 2>&1 &
      SERVER_PID=$!; HEAP="$DIR/heap.sh java $SERVER_PID" ;;
    netty-socketio)
      PROTO=sio
      taskset -c "$SERVER_CPUS" "$JAVA" $JVM_SERVER -cp "$BENCH_JAR" io.agentwire.bench.peer.NettySocketIoPeer "$PORT" "$SERVER_SECONDS" >"$LOG" 2>&1 &
      SERVER_PID=$!; HEAP="$DIR/heap.sh java $SERVER_PID" ;;
    envelope)
      PROTO=env
      AGENTWIRE_TRACKING_ENABLED=false AGENTWIRE_AGENTS_DEMO_CONFIRM_PLAN=false AGENTWIRE_AGENTS_DEMO_STEP_DELAY=200ms \
      AGENTWIRE_ENVELOPE_RATE_LIMIT_BURST=1000 AGENTWIRE_MESH_PORT=0 AGENTWIRE_PROGRESS_PORT=0 AGENTWIRE_ROOMS_PORT=0 \
        taskset -c "$SERVER_CPUS" "$JAVA" $JVM_SERVER -jar "$SERVER_JAR" serve --dev --host 127.0.0.1 --port "$PORT" \
        --data-dir "$WORK/data-$PORT" >"$LOG" 2>&1 &
      SERVER_PID=$!; HEAP="$DIR/heap.sh java $SERVER_PID"
      (sleep "$SERVER_SECONDS"; kill "$SERVER_PID" 2>/dev/null) >/dev/null 2>&1 & ;;
    socketio|ws)
      PROTO=$([ "$name" = ws ] && echo ws || echo sio)
      taskset -c "$SERVER_CPUS" node --expose-gc "$DIR/peers/$([ "$name" = ws ] && echo ws || echo socketio)-server.mjs" "$PORT" "$SERVER_SECONDS" >"$LOG" 2>&1 &
      SERVER_PID=$!; HEAP="$DIR/heap.sh node $SERVER_PID $LOG" ;;
  esac
  for _ in $(seq 1 150); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    # ready: its own line says it listens on the port (READY … / the envelope server's "listening on")
    grep -qE "(READY .*|listening) on 127.0.0.1:$PORT( |\$)" "$LOG" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$name did not start:" >&2; cat "$LOG" >&2; return 1
}

supports() { # scenario server
  case "$1:$2" in
    fanout:envelope|echo:envelope) return 1 ;;         # the envelope protocol has no rooms or echo: its scenarios are idle, storm, connect
    storm:netty-socketio|storm:ws) return 1 ;;         # no connection state recovery: n/a
  esac
}

generate() { # scenario server args…
  local scenario=$1 name=$2; shift 2
  start_server "$name"
  echo "== $scenario on $name ($(cut -d' ' -f1-3 /proc/loadavg))"
  timeout 240 taskset -c "$GEN_CPUS" "$JAVA" $JVM_GEN -cp "$BENCH_JAR" io.agentwire.bench.load.LoadGen \
    --scenario "$scenario" --proto "$PROTO" --port "$PORT" --loops "$GEN_LOOPS" --label "$name" --out "$TSV" --server-pid "$SERVER_PID" \
    --heap-cmd "$HEAP" "$@" 2>"$WORK/gen-$scenario-$name.err" | grep '^RESULT' || { echo "generator failed:" >&2; tail -5 "$WORK/gen-$scenario-$name.err" >&2; }
  stop_server
}

ORDER=0
scenario() { # servers in the given order for the 1st, 3rd, 5th scenario, reversed for the others: contention that
  local s=$1 order=$SERVERS   # comes and goes on a shared machine then does not always hit the same server last
  ORDER=$((ORDER + 1))
  [ $((ORDER % 2)) -eq 0 ] && order=$(echo $SERVERS | tr ' ' '\n' | tac | tr '\n' ' ')
  for name in $order; do
    supports "$s" "$name" || continue
    case "$s" in
      idle) generate idle "$name" --n "$IDLE_N" ;;
      fanout) generate fanout "$name" --n "$FANOUT_N" --rates "$FANOUT_RATES" --seconds "$SECONDS_STEP" --warmup "$WARMUP" ;;
      echo) generate echo "$name" --n "$ECHO_N" --seconds "$SECONDS_STEP" --warmup "$WARMUP" --paced-seconds "$PACED_SECONDS" --paced-after "$PACED_AFTER" --measure-after "$ECHO_MEASURE_AFTER" --warmup-max-seconds "$ECHO_WARMUP_MAX_SECONDS" ${ECHO_PACED_RATE:+--paced-rate "$ECHO_PACED_RATE"} ;;
      storm) generate storm "$name" --n "$STORM_N" ;;
      connect) generate connect "$name" --n "$CONNECT_N" --seconds "$SECONDS_STEP" --warmup-n "$CONNECT_WARMUP" --warmup-seconds "$CONNECT_WARMUP_SECONDS" --warmup-max-seconds "$CONNECT_WARMUP_MAX_SECONDS" ;;
    esac
  done
}

START=$(date +%s)
if [ "$WHAT" = all ]; then for s in idle fanout echo storm connect; do scenario "$s"; done; else scenario "$WHAT"; fi
meta "load average after" "$(cut -d' ' -f1-3 /proc/loadavg); $(( $(date +%s) - START )) s in all"
"$JAVA" -cp "$BENCH_JAR" io.agentwire.bench.load.Report "$TSV" "Bench run $STAMP ($WHAT)" >"$MD"
echo "wrote $MD"
