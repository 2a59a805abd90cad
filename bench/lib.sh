# Helpers shared by bench/run.sh and bench/agent-trial.sh; sourced, not run.

# user and system CPU ticks of a process so far
proc_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat" 2>/dev/null || echo "0 0"; }

# peak resident set of a process in KiB since its counter was last reset (echo 5 > /proc/PID/clear_refs)
proc_hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# CPU ticks of a process's JIT compiler threads (C1 and C2) so far: what a warm-up did not compile
# shows here. The thread name is the stat file's second field, in parentheses, and may hold spaces.
jit_ticks() {
  cat /proc/"$1"/task/*/stat 2>/dev/null |
    awk '/\((C1|C2) Compi/ { n = split($0, f, ") "); split(f[n], g, " "); s += g[12] + g[13] } END { print s + 0 }'
}

# wait_log LOG TEXT: waits up to two minutes for LOG to hold TEXT; fails when it never does
wait_log() {
  local _
  for _ in $(seq 1 1200); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# wait_warm LOG: waits for an agent's log to say that its start-up warm-up is done (a real agent has
# long finished it before its first scheduled backup)
wait_warm() { wait_log "$1" 'warmed up'; }

# free_port HOST: a TCP port free on HOST just now, for an agent to listen on
free_port() { python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$1"; }

# local_home LAUNCHER HOME STORES DATA: a new home with three local-directory stores under STORES,
# each its own site (2 data + 1 parity shard per pack), and DATA as the source "data". The output
# of `init` (the recovery code) goes to stdout, the rest to stderr.
local_home() {
  local launcher="$1" home="$2" stores="$3" data="$4" i
  mkdir -p "$stores/s1" "$stores/s2" "$stores/s3"
  "$launcher" --home "$home" init || return 1
  for i in 1 2 3; do
    "$launcher" --home "$home" store add "$stores/s$i" --site "s$i" >&2 || return 1
  done
  "$launcher" --home "$home" source add "$data" --name data >&2
}
