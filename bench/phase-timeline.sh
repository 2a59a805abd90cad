#!/usr/bin/env bash
# Where the initial backup's time goes, half a second at a time: a fresh home with three local
# stores (2+1), the agent started and warmed up, then a cold-cache initial backup of DATA while the
# machine's busy cores, the disk's read and write rates and the CPU of each of the agent's threads
# (grouped by name) are sampled every 0.1 s. Shows which phase of the data set is bound by what:
# idle cores with the disk well below its rate mean a thread waits on another. Needs root
# (drop_caches) and python3.
#
#   bench/phase-timeline.sh LAUNCHER WORK DATA [DISK]     # DISK: the block device, default vda
#
# Linux cuts thread names to 15 characters, so "selfstorage-sea" is the sealers, "-com" the command
# (the walker), "-rea" the read-ahead of small files, "-fil" the read-ahead of large ones, "-sto"
# the store writes, "-pac" the packs being erasure-coded and placed.
set -uo pipefail
L=$1 W=$2 D=$3 DISK=${4:-vda}
here="$(dirname "${BASH_SOURCE[0]}")"
. "$here/lib.sh"
local_agent "$L" "$W" "$D" || exit 1
pid=$agent_pid
sync; echo 3 > /proc/sys/vm/drop_caches
python3 - "$pid" "$DISK" "$W/samples.txt" "$W/stop" <<'PY' &
import os, sys, time
pid, disk, out, stop = sys.argv[1:]
def ticks(stat):
    f = open(stat).read().rsplit(')', 1)[1].split()
    return int(f[11]) + int(f[12])
with open(out, 'w') as o:
    t0 = time.time()
    while not os.path.exists(stop):
        cpu = list(map(int, open('/proc/stat').readline().split()[1:]))
        rd = wr = 0
        for line in open('/proc/diskstats'):
            f = line.split()
            if f[2] == disk:
                rd, wr = int(f[5]), int(f[9])
        threads = {}
        for t in os.listdir(f'/proc/{pid}/task'):
            try:
                name = open(f'/proc/{pid}/task/{t}/comm').read().strip().rstrip('0123456789').rstrip('-#').replace(' ', '_')
                threads[name] = threads.get(name, 0) + ticks(f'/proc/{pid}/task/{t}/stat')
            except OSError:
                pass  # a thread that ended
        o.write(f"{time.time() - t0:.2f} {sum(cpu)} {cpu[3] + cpu[4]} {rd} {wr} "
                + " ".join(f"{k}={v}" for k, v in threads.items()) + "\n")
        time.sleep(0.1)
PY
sampler=$!
s=$(date +%s.%N)
"$L" --home "$W/home" backup data > "$W/initial.log" 2>&1 || { echo "backup failed:"; tail -n 5 "$W/initial.log"; }
e=$(date +%s.%N)
touch "$W/stop"; wait $sampler
kill $pid; wait $pid 2>/dev/null
rm -rf "$W/s1" "$W/s2" "$W/s3"
echo "initial backup $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }') s; per half second:"
python3 - "$W/samples.txt" "$(getconf CLK_TCK)" "$(nproc)" <<'PY'
import sys
hz, cores = int(sys.argv[2]), int(sys.argv[3])
rows = []
for line in open(sys.argv[1]):
    f = line.split()
    rows.append((float(f[0]), int(f[1]), int(f[2]), int(f[3]), int(f[4]),
                 {k: int(v) for k, v in (x.split('=') for x in f[5:])}))
prev = rows[0]
for r in rows[5::5]:
    dt = r[0] - prev[0]
    busy = cores * 100 * (1 - (r[2] - prev[2]) / max(1, r[1] - prev[1]))
    rd, wr = ((r[i] - prev[i]) * 512 / dt / 1e6 for i in (3, 4))
    use = sorted(((k, (v - prev[5].get(k, 0)) * 100 / hz / dt) for k, v in r[5].items()), key=lambda x: -x[1])
    print(f"{prev[0]:5.1f}-{r[0]:4.1f} s  cores busy {busy:4.0f}%  disk read {rd:4.0f} write {wr:4.0f} MB/s  "
          + " ".join(f"{k.replace('selfstorage', '')}:{u:.0f}%" for k, u in use[:6] if u >= 1))
    prev = r
PY
