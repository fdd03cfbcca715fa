#!/usr/bin/env bash
# Prints the heap in use (bytes) of a bench server after a full GC: heap.sh java PID | heap.sh node PID LOGFILE.
# Java: the live bytes of jcmd GC.class_histogram (after its full GC), the GC's filler objects left out. Node: SIGUSR2 makes the peer print "HEAP <bytes>" (heapUsed +
# external, after gc()) to its log.
set -euo pipefail
case "$1" in
  java)
    JCMD="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
    # the live bytes: the class histogram (it runs a full GC first) without the GC's filler objects. A Serial full
    # GC may leave dead space uncompacted (MarkSweepDeadRatio, up to 5 % of the old generation: up to 0.45 KiB per
    # connection at 19 000), filled with jdk.internal.vm.FillerElement arrays; GC.heap_info counted it as used
    bytes=$(timeout 60 "$JCMD" "$2" GC.class_histogram | awk '$1 ~ /^[0-9]+:$/ && $4 !~ /^\[?L?jdk\.internal\.vm\.Filler/ {s += $3} END {printf "%d", s}')
    # HEAP_HOOK (optional): a command given the PID after the GC, e.g. to take a class histogram of the held state
    [ -z "${HEAP_HOOK:-}" ] || $HEAP_HOOK "$2" >/dev/null 2>&1 || true
    echo "$bytes" ;;
  node)
    before=$(grep -c '^HEAP ' "$3" || true)
    kill -USR2 "$2"
    for _ in $(seq 1 50); do
      [ "$(grep -c '^HEAP ' "$3" || true)" -gt "$before" ] && break
      sleep 0.1
    done
    grep '^HEAP ' "$3" | tail -1 | cut -d' ' -f2 ;;
esac
