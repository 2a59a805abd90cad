#!/usr/bin/env bash
# Is the walker (the thread that reads, cuts and hashes files, and so sets the pace of a backup)
# running, waiting for a core, or blocked? A fresh home with three local stores (2+1), the agent
# started and warmed up, then a cold-cache initial backup of DATA while the walker's
# /proc/PID/task/TID/schedstat (time on a core, time runnable but waiting for one) is sampled
# every 50 ms; printed per half second. Needs root (drop_caches) and python3.
#
#   bench/walker-timeline.sh LAUNCHER WORK DATA
set -uo pipefail
L=$1 W=$2 D=$3
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
local_agent "$L" "$W" "$D" || exit 1
pid=$agent_pid
sync; echo 3 > /proc/sys/vm/drop_caches
python3 - "$pid" "$W/stop" <<'PY' > "$W/sched.txt" &
import os, sys, time
pid, stop = sys.argv[1:]
t0 = time.time(); last = {}; series = []
while not os.path.exists(stop):
    now = time.time() - t0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            cpu, wait, _ = map(int, open(f"/proc/{pid}/task/{tid}/schedstat").read().split())
        except OSError:
            continue
        if name.startswith("selfstorage-com"):
            series.append((now, tid, cpu, wait))
        last[tid] = (name, cpu, wait)
    time.sleep(0.05)
# per 0.5 s of the walker: on CPU, waiting for a CPU (runnable), and the rest (blocked)
by = {}
for now, tid, cpu, wait in series:
    by.setdefault(tid, []).append((now, cpu, wait))
for tid, pts in by.items():
    if pts[-1][1] - pts[0][1] < 1e9: continue
    print("walker thread", tid)
    start = pts[0]; prev = start
    for p in pts:
        if p[0] - prev[0] >= 0.5:
            dt = p[0] - prev[0]
            c = (p[1] - prev[1]) / 1e9 / dt; w = (p[2] - prev[2]) / 1e9 / dt
            print(f"  {prev[0]-start[0]:5.1f}-{p[0]-start[0]:5.1f} s  on CPU {c*100:4.0f}%  runnable, waiting for a CPU {w*100:4.0f}%  blocked {max(0,1-c-w)*100:4.0f}%")
            prev = p
    tot = pts[-1][0]-start[0]
    print(f"  all: on CPU {(pts[-1][1]-start[1])/1e9:.2f} s, waiting for a CPU {(pts[-1][2]-start[2])/1e9:.2f} s, of {tot:.2f} s")
PY
sampler=$!
s=$(date +%s.%N); "$L" --home "$W/home" backup data -q > /dev/null; e=$(date +%s.%N)
touch "$W/stop"; wait $sampler
awk -v s="$s" -v e="$e" 'BEGIN { printf "initial backup %.2f s\n", e - s }'
cat "$W/sched.txt"
kill $pid; wait $pid 2>/dev/null
[ -z "${KEEP:-}" ] && rm -rf "$W/s1" "$W/s2" "$W/s3"
exit 0
