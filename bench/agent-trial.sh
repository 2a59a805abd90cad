#!/usr/bin/env bash
# One quick measurement through a running agent, for trying a change to the backup or restore:
# a fresh home with three local stores (2+1), the agent started and warmed up, then a cold-cache
# initial backup of DATA and a restore of it, each with its wall time, the agent's CPU and its peak
# RSS. Needs root (drop_caches, clear_refs) and a data set (bench/GenerateData.java).
#
#   bench/agent-trial.sh LAUNCHER WORK DATA            # e.g. /tmp/clone/selfstorage /tmp/trial /tmp/benchdata
#   JFR='jdk.Compilation#threshold=0ms' bench/agent-trial.sh ...   # also a JFR recording (WORK/rec.jfr)
#   NMT=1 SELFSTORAGE_JAVA_EXTRA_OPTS=-XX:NativeMemoryTracking=summary bench/agent-trial.sh ...
#   CONFIG='compression.level=3' bench/agent-trial.sh ...   # settings (KEY=VALUE ...) set before the backup
#
# JFR and NMT use the jcmd of the JDK the launcher runs on ($JCMD, default: Temurin 25's).
set -uo pipefail
L=$1 W=$2 D=$3
JCMD="${JCMD:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
local_agent "$L" "$W" "$D" || exit 1
pid=$agent_pid
for kv in ${CONFIG:-}; do
  "$L" --home "$W/home" config set "${kv%%=*}" "${kv#*=}" > /dev/null || { echo "config set $kv failed"; kill $pid; exit 1; }
done
ticks() { proc_ticks $pid | awk '{ print $1 + $2 }'; }
mb() { awk -v k="^$1:" '$0 ~ k { print int($2 / 1024) }' "/proc/$pid/status"; }
echo "agent idle after warm-up: RSS $(mb VmRSS) MB"
[ -n "${JFR:-}" ] && "$JCMD" $pid JFR.start name=trial filename="$W/rec.jfr" $JFR > /dev/null
phase() {
  local name=$1; shift
  sync; echo 3 > /proc/sys/vm/drop_caches; echo 5 > "/proc/$pid/clear_refs"
  local t0 s e t1 j0 j1; t0=$(ticks); j0=$(jit_ticks $pid); s=$(date +%s.%N)
  "$@" > "$W/$name.log" 2>&1 || { echo "$name failed:"; tail -n 5 "$W/$name.log"; }
  e=$(date +%s.%N); t1=$(ticks); j1=$(jit_ticks $pid)
  awk -v n="$name" -v s="$s" -v e="$e" -v a="$t0" -v b="$t1" -v h="$(mb VmHWM)" -v hz="$(getconf CLK_TCK)" -v j="$((j1 - j0))" \
    'BEGIN { printf "%-8s wall %6.2f s  agent CPU %6.2f s (JIT %5.2f s)  peak RSS %4d MB\n", n, e - s, (b - a) / hz, j / hz, h }'
  [ -n "${NMT:-}" ] && "$JCMD" $pid VM.native_memory summary > "$W/nmt-$name.txt"
}
phase initial "$L" --home "$W/home" backup data
phase restore "$L" --home "$W/home" restore latest --target "$W/out"
[ -n "${JFR:-}" ] && "$JCMD" $pid JFR.stop name=trial > /dev/null
kill $pid; wait $pid 2>/dev/null
# the stores and the restore are 2-3 GB for the full set: keep only logs and recordings
[ -z "${KEEP:-}" ] && rm -rf "$W/s1" "$W/s2" "$W/s3" "$W/out"
exit 0
