#!/usr/bin/env bash
# The mutual mesh (reliability.md L3): does an owner's own backup starve while it keeps its
# partners' shards? An owner and three partner agents on 127.0.0.1-4 (mesh_homes, 2+1 over SSH for
# the owner); each partner also backs up data of its own to the owner, its one partner
# (redundancy.tolerate 0 there). The owner's backup of DATA is timed twice, page cache dropped
# before each: alone, then while the three partners' backups land on it. In between, forget and
# prune empty the owner's repository, so both backups do the same work.
#
# The partners run at nice 19 (every thread of their agents): on one machine they stand for other
# machines, and their own chunking and sealing would otherwise take the owner's two cores, which no
# real partner does. What the owner pays for serving them stays in: SSH, shard writes and fsyncs on
# its disk, RPC. reliability.md's target: the loaded backup's throughput at least half the idle
# one's (idle wall / loaded wall >= 0.5).
#
#   bench/mutual-trial.sh LAUNCHER WORK DATA OTHER    # OTHER: the partners' data, not DATA (no page
#                                                     # cache shared): e.g. GenerateData --seed 2
set -uo pipefail
L=$1 W=$2 D=$3 O=$4
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mesh_trial "$L" "$W" "$D"
declare -n pid=mesh_pid
o=${pid[owner]}
hz=$(getconf CLK_TCK)

# the partners' sources: OTHER's top directories, dealt out in turn
i=0
declare -A sources=()
for d in "$O"/*/; do
  who="p$((i % 3 + 1))"; i=$((i + 1)); name=$(basename "$d")
  "$L" --home "$W/$who" source add "$d" --name "$name" >> "$W/setup.log" 2>&1 || { echo "source add $name on $who failed"; exit 1; }
  sources[$who]="${sources[$who]:-} $name"
done
for who in p1 p2 p3; do
  "$L" --home "$W/$who" config set redundancy.tolerate 0 >> "$W/setup.log" 2>&1
  for t in /proc/${pid[$who]}/task/*; do renice -n 19 -p "${t##*/}" > /dev/null; done
done

# owner_backup NAME: the owner's backup of DATA, cold cache: wall, owner CPU and peak RSS
owner_backup() {
  sync; echo 3 > /proc/sys/vm/drop_caches; echo 5 > "/proc/$o/clear_refs"
  local t0 s e; t0=$(proc_ticks $o | awk '{ print $1 + $2 }'); s=$(date +%s.%N)
  "$L" --home "$W/owner" backup data > "$W/$1.log" 2>&1 || { echo "$1 failed:"; tail -n 5 "$W/$1.log"; }
  e=$(date +%s.%N)
  awk -v n="$1" -v s="$s" -v e="$e" -v a="$t0" -v b="$(proc_ticks $o | awk '{ print $1 + $2 }')" -v h="$(proc_hwm $o)" -v hz="$hz" \
    'BEGIN { printf "%-7s wall %6.2f s  owner CPU %6.2f s  owner peak RSS %4d MB\n", n, e - s, (b - a) / hz, h / 1024 }'
  awk -v s="$s" -v e="$e" 'BEGIN { print e - s }' > "$W/$1.wall"
}

owner_backup idle
"$L" --home "$W/owner" forget --snapshot latest >> "$W/setup.log" 2>&1
"$L" --home "$W/owner" prune >> "$W/setup.log" 2>&1 || { echo "prune failed: $W/setup.log"; exit 1; }

# the partners' backups, each partner's sources one after another, all three partners at once
declare -a runs=()
for who in p1 p2 p3; do
  ( for name in ${sources[$who]}; do "$L" --home "$W/$who" backup "$name" -q > /dev/null 2>> "$W/$who-backups.log" || echo "backup $name failed" >> "$W/$who-backups.log"; done ) &
  runs+=($!)
done
# loaded once shards arrive at the owner
for _ in $(seq 1 300); do
  [ "$(du -sm "$W/owner/hosted" 2>/dev/null | cut -f1)" -gt 50 ] 2>/dev/null && break
  sleep 0.1
done
hosted0=$(du -sm "$W/owner/hosted" | cut -f1)
owner_backup loaded
hosted1=$(du -sm "$W/owner/hosted" | cut -f1)
busy=0; for r in "${runs[@]}"; do kill -0 "$r" 2>/dev/null && busy=$((busy + 1)); done
echo "partners' shards written to the owner during its loaded backup: $((hosted1 - hosted0)) MB; partners still backing up at its end: $busy of 3"
wait "${runs[@]}"
grep -h "failed" "$W"/p?-backups.log 2>/dev/null | head -3
awk -v a="$(cat "$W/idle.wall")" -v b="$(cat "$W/loaded.wall")" 'BEGIN { printf "owner throughput while serving: %.2f of idle (target >= 0.5)\n", a / b }'
mesh_stop
[ -z "${KEEP:-}" ] && rm -rf "$W"/p?/hosted "$W"/owner/hosted
exit 0
