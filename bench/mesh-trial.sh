#!/usr/bin/env bash
# One quick measurement of the partner case, for trying a change to the mesh paths: an owner and
# three partner agents on 127.0.0.1-4 (2+1 over SSH), all warmed up, then a cold-cache initial
# backup of DATA and a restore of it, each with its wall time, the owner's CPU, all four agents'
# CPU (they share the machine) and the owner's peak RSS. Needs root (drop_caches, clear_refs).
#
#   bench/mesh-trial.sh LAUNCHER WORK DATA        # e.g. /tmp/clone/selfstorage /tmp/mesh-trial /tmp/benchdata
#   SAMPLE=1 bench/mesh-trial.sh ...              # also the owner's CPU per thread name (sampled
#                                                 # every 0.2 s, which costs some CPU itself), and
#                                                 # partner p1's (its threads outlive a phase: before/after)
#   JFR='jdk.ExecutionSample#period=10ms' bench/mesh-trial.sh ...   # a JFR recording of the owner (WORK/rec.jfr)
#
#   REPAIR="1 2 1 2" bench/mesh-trial.sh ...     # then, for each N: p3's shards deleted by hand and
#                                                 # `repair` with repair.packs-at-once N (reads every
#                                                 # pack, rebuilds p3's shards in place)
#
# WORK/faults gets each phase's minor page faults (first touches of memory), the owner's and all agents'.
#
# JFR uses the jcmd of the JDK the launcher runs on ($JCMD, default: Temurin 25's).
set -uo pipefail
L=$1 W=$2 D=$3
JCMD="${JCMD:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mesh_trial "$L" "$W" "$D"
declare -n pid=mesh_pid
o=${pid[owner]}
cpu() { proc_ticks "$1" | awk '{ print $1 + $2 }'; }
all() { local t=0 w; for w in owner p1 p2 p3; do t=$((t + $(cpu ${pid[$w]}))); done; echo $t; }
# minor page faults of a process so far (first touches of memory)
minflt() { awk '{ n = split($0, f, ") "); split(f[n], g, " "); print g[8] }' "/proc/$1/stat" 2>/dev/null || echo 0; }
allflt() { local t=0 w; for w in owner p1 p2 p3; do t=$((t + $(minflt ${pid[$w]}))); done; echo $t; }
# one line per thread of a process (the owner by default): task id, CPU ticks, name (as the kernel keeps it: 15 characters)
threads() {
  local f
  for f in /proc/${1:-$o}/task/*/stat; do
    awk -v t="${f%/stat}" '{ n = split($0, f, ") "); split(f[n], g, " "); name = substr($0, index($0, "(") + 1); sub(/\).*/, "", name); print t, g[12] + g[13], name }' "$f"
  done 2>/dev/null
}
phase() {
  local name=$1; shift
  sync; echo 3 > /proc/sys/vm/drop_caches; echo 5 > "/proc/$o/clear_refs"
  threads > "$W/threads-before"; threads "${pid[p1]}" > "$W/p1-before"
  local a0 t0 f0 g0 s sampler=""; a0=$(all); t0=$(cpu $o); f0=$(minflt $o); g0=$(allflt); s=$(date +%s.%N)
  # threads of a phase's pools end with it: sample while it runs and keep each one's last figure
  if [ -n "${SAMPLE:-}" ]; then (while :; do threads; sleep 0.2; done) > "$W/threads-during" & sampler=$!; fi
  "$@" > "$W/$name.log" 2>&1 || { echo "$name failed:"; tail -n 5 "$W/$name.log"; }
  local e t1 a1; e=$(date +%s.%N); t1=$(cpu $o); a1=$(all)
  echo "$name: minor page faults: owner $(( $(minflt $o) - f0 )), all agents $(( $(allflt) - g0 ))" >> "$W/faults"
  awk -v n="$name" -v s="$s" -v e="$e" -v a="$t0" -v b="$t1" -v c="$a0" -v d="$a1" -v h="$(proc_hwm $o)" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%-8s wall %6.2f s  owner CPU %6.2f s  all agents %6.2f s  owner peak RSS %4d MB\n", n, e - s, (b - a) / hz, (d - c) / hz, h / 1024 }'
  if [ -n "$sampler" ]; then
    kill $sampler; wait $sampler 2>/dev/null
    threads >> "$W/threads-during"
    awk -v hz="$(getconf CLK_TCK)" 'NR == FNR { before[$1] = $2; next }
      { last[$1] = $2; $2 = ""; t = $1; $1 = ""; name[t] = $0 }
      END { for (t in last) { k = name[t]; gsub(/^ +|[-#]?[0-9]+\]?$/, "", k); s[k] += last[t] - before[t] }
            for (k in s) if (s[k] > 5) printf "    %6.2f s  %s\n", s[k] / hz, k }' "$W/threads-before" "$W/threads-during" | sort -rn
    threads "${pid[p1]}" > "$W/p1-after"
    echo "    partner p1:"
    awk -v hz="$(getconf CLK_TCK)" 'NR == FNR { before[$1] = $2; next }
      { d = $2 - before[$1]; $1 = ""; $2 = ""; k = $0; gsub(/^ +|[-#]?[0-9]+\]?$/, "", k); s[k] += d }
      END { for (k in s) if (s[k] > 5) printf "      %6.2f s  %s\n", s[k] / hz, k }' "$W/p1-before" "$W/p1-after" | sort -rn
  fi
}
[ -n "${JFR:-}" ] && "$JCMD" $o JFR.start name=trial filename="$W/rec.jfr" $JFR > /dev/null
phase initial "$L" --home "$W/owner" backup data
phase restore "$L" --home "$W/owner" restore latest --target "$W/out"
for n in ${REPAIR:-}; do
  "$L" --home "$W/owner" config set repair.packs-at-once "$n" > /dev/null
  find "$W/p3/hosted/owner/shards" -type f -delete
  phase "repair-$n" "$L" --home "$W/owner" repair
  tail -n 3 "$W/repair-$n.log" | sed 's/^/    /'
done
[ -n "${JFR:-}" ] && "$JCMD" $o JFR.stop name=trial > /dev/null
mesh_stop
# the partners' shards and the restore are 2-3 GB for the full set: keep only logs
[ -z "${KEEP:-}" ] && rm -rf "$W/out" "$W"/p?/hosted
exit 0
