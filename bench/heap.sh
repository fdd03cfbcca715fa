#!/usr/bin/env bash
# Prints the heap in use (bytes) of a bench server after a full GC: heap.sh java PID | heap.sh node PID LOGFILE.
# Java: jcmd GC.run, then the "used" of GC.heap_info's generations. Node: SIGUSR2 makes the peer print "HEAP <bytes>" (heapUsed +
# external, after gc()) to its log.
set -euo pipefail
case "$1" in
  java)
    JCMD="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
    timeout 20 "$JCMD" "$2" GC.run >/dev/null
    # the generations' lines (G1: one "garbage-first heap total …"; Serial, the default on one CPU: DefNew + tenured)
    kib=$(timeout 20 "$JCMD" "$2" GC.heap_info | grep 'total' | grep -o 'used [0-9]*K' | awk '{s += $2} END {print s + 0}')
    # HEAP_HOOK (optional): a command given the PID after the GC, e.g. to take a class histogram of the held state
    [ -z "${HEAP_HOOK:-}" ] || $HEAP_HOOK "$2" >/dev/null 2>&1 || true
    echo $((kib * 1024)) ;;
  node)
    before=$(grep -c '^HEAP ' "$3" || true)
    kill -USR2 "$2"
    for _ in $(seq 1 50); do
      [ "$(grep -c '^HEAP ' "$3" || true)" -gt "$before" ] && break
      sleep 0.1
    done
    grep '^HEAP ' "$3" | tail -1 | cut -d' ' -f2 ;;
esac
