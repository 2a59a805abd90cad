#!/usr/bin/env bash
# Where an initial backup's CPU goes: a fresh home with three local stores (as bench/agent-trial.sh),
# the agent started and warmed up, then `perf record` on the agent for a cold-cache backup of DATA.
# The JVM writes a perf map at exit, so compiled Java frames have names; frame pointers are kept so
# that call stacks through Java code can be read. Needs root and perf (apt install linux-perf).
#
#   bench/perf-trial.sh LAUNCHER WORK DATA       # e.g. /tmp/clone/selfstorage /tmp/perf /tmp/benchdata
#   perf report -i WORK/perf.data --no-children --sort comm,sym -g none --stdio | head -40
#   perf script -i WORK/perf.data -F comm,time    # per-thread samples over time
#
# EXTRA='...' adds more JVM flags to the agent's. PHASE=restore profiles the restore instead: the
# backup runs unprofiled, then the restore goes onto a new ext4 file system (as bench/run.sh
# --fresh-restore-fs does) at WORK/out.
set -uo pipefail
L=$1 W=$2 D=$3
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export SELFSTORAGE_JAVA_EXTRA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer ${EXTRA:-}"
local_agent "$L" "$W" "$D" || exit 1
pid=$agent_pid
if [ "${PHASE:-backup}" = restore ]; then
  "$L" --home "$W/home" backup data > "$W/initial.log" 2>&1 || { echo "backup failed:"; tail -n 5 "$W/initial.log"; }
  mkdir -p "$W/out"; truncate -s 16G "$W/out.img" &&
    mkfs.ext4 -q -F -N 400000 -E lazy_itable_init=0,lazy_journal_init=0 "$W/out.img" &&
    mount -o loop "$W/out.img" "$W/out" && rmdir "$W/out/lost+found" || echo "no fresh file system: restoring to $W/out"
  work=("$L" --home "$W/home" restore latest --target "$W/out/r")
else
  work=("$L" --home "$W/home" backup data)
fi
sync; echo 3 > /proc/sys/vm/drop_caches
perf record -F 999 -g -p $pid -o "$W/perf.data" 2> "$W/perf.err" &
rec=$!
s=$(date +%s.%N)
"${work[@]}" > "$W/${PHASE:-backup}.log" 2>&1 || { echo "${PHASE:-backup} failed:"; tail -n 5 "$W/${PHASE:-backup}.log"; }
e=$(date +%s.%N)
kill -INT $rec; wait $rec
awk -v s="$s" -v e="$e" -v p="${PHASE:-backup}" 'BEGIN { printf "%s: %.2f s wall; profile in %s\n", p, e - s, ARGV[1] }' "$W/perf.data"
kill $pid; wait $pid 2>/dev/null # the perf map (/tmp/perf-PID.map) is written now, at exit
mountpoint -q "$W/out" && umount "$W/out"
rm -rf "$W/s1" "$W/s2" "$W/s3" "$W/out" "$W/out.img"
