# Helpers shared by bench/run.sh and the trial scripts; sourced, not run.

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

# local_agent LAUNCHER WORK DATA: a fresh WORK holding a local_home (WORK/home, stores WORK/s1-s3,
# setup output in WORK/setup.log) and its agent started (log WORK/agent.log, PID in agent_pid: the
# launcher execs java, so this is the agent's JVM) and warmed up. On failure it says why, stops the
# agent and returns 1.
agent_pid=
local_agent() {
  local launcher="$1" work="$2" data="$3"
  rm -rf "$work"; mkdir -p "$work"
  local_home "$launcher" "$work/home" "$work" "$data" > "$work/setup.log" 2>&1 \
    || { echo "setup failed: $work/setup.log"; return 1; }
  "$launcher" --home "$work/home" agent > "$work/agent.log" 2>&1 &
  agent_pid=$!
  wait_warm "$work/agent.log" || { echo "the agent did not warm up: $work/agent.log"; kill $agent_pid; return 1; }
}

# mesh_homes LAUNCHER DIR DATA LOGPREFIX: four homes DIR/owner, DIR/p1..p3 listening on 127.0.0.1-4,
# their agents started (logs LOGPREFIXagent-WHO.log, PIDs in the array mesh_pid[WHO]), the three
# partners paired with the owner by invitation (100G each way), DATA as the owner's source "data",
# and every agent's start-up warm-up done. Recovery codes go to DIR/WHO.recovery-code.txt, command
# output to stderr. On failure it says which step failed and returns 1; the caller stops the agents.
declare -gA mesh_pid=()

# mesh_stop: stops the agents mesh_homes started
mesh_stop() { local p; for p in "${mesh_pid[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }

# mesh_trial LAUNCHER WORK DATA: a fresh WORK with the mesh of mesh_homes (setup output in
# WORK/setup.log, agent logs in WORK/), stopped when the script exits; exits the script if it fails
mesh_trial() {
  rm -rf "$2"; mkdir -p "$2"
  trap mesh_stop EXIT
  mesh_homes "$1" "$2" "$3" "$2/" 2> "$2/setup.log" || { echo "setting up the mesh failed: $2/setup.log"; exit 1; }
}
mesh_homes() {
  local launcher="$1" dir="$2" data="$3" logs="$4" i=1 who host code
  mkdir -p "$dir"
  for who in owner p1 p2 p3; do
    host="127.0.0.$i"; i=$((i + 1))
    "$launcher" --home "$dir/$who" init --name "$who" --listen "$host:$(free_port "$host")" \
      > "$dir/$who.recovery-code.txt" || { echo "init of $who failed" >&2; return 1; }
  done
  for who in owner p1 p2 p3; do
    "$launcher" --home "$dir/$who" agent > "${logs}agent-$who.log" 2>&1 &
    mesh_pid[$who]=$!
  done
  for who in owner p1 p2 p3; do
    wait_log "${logs}agent-$who.log" 'ready;' || { echo "agent $who did not start (${logs}agent-$who.log)" >&2; return 1; }
  done
  for who in p1 p2 p3; do
    code=$("$launcher" --home "$dir/owner" invite --quota 100G --json | sed -n 's/.*"code" : "\(ssi1-[^"]*\)".*/\1/p')
    "$launcher" --home "$dir/$who" join "$code" --quota 100G >&2 || { echo "$who could not join" >&2; return 1; }
  done
  "$launcher" --home "$dir/owner" source add "$data" --name data >&2 || return 1
  "$launcher" --home "$dir/owner" partners >&2
  # a long-running agent compiles its hot code once at start (a throwaway backup); wait for that
  for who in owner p1 p2 p3; do
    wait_warm "${logs}agent-$who.log" || { echo "agent $who did not warm up" >&2; return 1; }
  done
}
