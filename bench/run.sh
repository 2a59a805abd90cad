#!/usr/bin/env bash
# End-to-end benchmark: selfstorage, restic and borg on the same generated data, phase by phase.
#
#   bench/run.sh                      # full size (scale 1.0, about 1.5 GiB)
#   bench/run.sh --scale 0.1          # a quick run
#   bench/run.sh --only restic        # one tool (or a comma-separated list)
#   bench/run.sh --only selfstorage,selfstorage-agent,restic   # also with the agent running
#
# Phases, in this order, each tool in turn on the same data:
#   initial    first backup into an empty repository
#   unchanged  second backup, nothing changed
#   changed    backup after bench/MutateData.java (a day of use)
#   restore    restore of the latest snapshot into an empty directory
# The page cache is dropped before every timed phase (when the machine allows it). Each restore is
# checked against the source with a checksum manifest (bench/Manifest.java), outside the timed part.
# See bench/README.md for the columns.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
root="$(dirname "$here")"

scale=1.0
seed=1
only="selfstorage,restic,borg"
keep=0
fresh_fs=0
sync_in_timing=0
runs=1
wait_idle=0
mesh=0
base="$here/out"
data=""
selfstorage="$root/selfstorage"

usage() {
  cat <<EOF
usage: bench/run.sh [options]
  --scale F          data set size factor (default 1.0 = about 1.5 GiB; 0.1 for a quick run)
  --seed N           data set and mutation seed (default 1)
  --only LIST        tools to run, comma-separated (default selfstorage,restic,borg):
                     selfstorage        each command a fresh process, no agent (cold JVM every time)
                     selfstorage-agent  the same local stores with 'selfstorage agent' running, as the
                                        systemd unit installs it: commands run inside the warm agent
                     restic, borg
  --runs N           repeat the whole sequence N times (fresh data and repositories) and report medians
  --keep             keep repositories, restores and the data set after the run
  --base DIR         work directory (default bench/out); results go to DIR/results.tsv and DIR/results.md
  --data DIR         where to generate the data set (default bench/data/set)
  --selfstorage PATH the selfstorage launcher to benchmark (default: this checkout's ./selfstorage)
  --sync             include a final 'sync' in each timed phase (charges write-back to the tool)
  --wait-idle        before starting, wait (up to 30 minutes) for the 1-minute load average to drop below 1
  --mesh             the partner case instead: selfstorage-mesh (an owner and three partner agents on
                     loopback, 2+1 over SSH) against restic-sftp (restic over SFTP to OpenSSH on loopback)
  --fresh-restore-fs restore each tool onto a new ext4 file system (a sparse image on a loop device; root),
                     as after the loss of a disk, so that no tool's restore depends on what was deleted
                     on the work directory's file system in the minutes before
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --base) base="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --selfstorage) selfstorage="$2"; shift 2 ;;
    --sync) sync_in_timing=1; shift ;;
    --wait-idle) wait_idle=1; shift ;;
    --mesh) mesh=1; shift ;;
    --fresh-restore-fs) fresh_fs=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

export LC_ALL=C.UTF-8
[ $mesh -eq 1 ] && only="selfstorage-mesh,restic-sftp"
tools=()
for t in ${only//,/ }; do
  case "$t" in
    selfstorage|selfstorage-agent|restic|borg|selfstorage-mesh|restic-sftp) tools+=("$t") ;;
    *) echo "run.sh: unknown tool '$t' (selfstorage, selfstorage-agent, restic, borg, selfstorage-mesh, restic-sftp)" >&2; exit 2 ;;
  esac
done
want() { local t; for t in "${tools[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

mkdir -p "$base"
base="$(cd "$base" && pwd)"
data="${data:-$here/data/set}"
mkdir -p "$(dirname "$data")"
data="$(cd "$(dirname "$data")" && pwd)/$(basename "$data")"
case "$selfstorage" in /*) ;; *) selfstorage="$(pwd)/$selfstorage" ;; esac
work="$base/work"
results_tsv="$base/results.tsv"
results_md="$base/results.md"
logs="$base/logs"

say() { printf '%s\n' "$*"; }
hr() { say "------------------------------------------------------------------------"; }

# ---------------------------------------------------------------- prerequisites

install_missing() {
  local need=()
  command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
  [ -x /usr/bin/time ] || need+=(time)
  if want restic && ! command -v restic >/dev/null; then need+=(restic); fi
  if want borg && ! command -v borg >/dev/null; then need+=(borgbackup); fi
  if { want selfstorage || want selfstorage-agent; } && ! command -v mvn >/dev/null; then need+=(maven); fi
  if want selfstorage-mesh && ! command -v mvn >/dev/null; then need+=(maven); fi
  if want restic-sftp && ! command -v restic >/dev/null; then need+=(restic); fi
  if want restic-sftp && [ ! -x /usr/sbin/sshd ]; then need+=(openssh-server); fi
  if want restic-sftp && ! command -v ssh >/dev/null; then need+=(openssh-client); fi
  [ ${#need[@]} -eq 0 ] && return 0
  say "installing: ${need[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q && $sudo apt-get install -y -q "${need[@]}" || {
    say "run.sh: could not install ${need[*]}; install them and run again" >&2
    exit 1
  }
}

# ---------------------------------------------------------------- timing

hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
# Busy CPU ticks of the whole machine so far (user, nice, system, irq, softirq, steal).
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

cache_note=""
drop_caches() {
  sync
  if { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
    cache_state="dropped"
  else
    cache_state="not dropped"
    if [ -z "$cache_note" ]; then
      cache_note="page cache not dropped (no permission to write /proc/sys/vm/drop_caches): phases ran with a warm cache"
      say "$cache_note"
    fi
  fi
}

# du in MB (10^6 bytes) of the given paths; "-" when none exists.
size_mb() {
  local total=0 p s any=0
  for p in "$@"; do
    [ -e "$p" ] || continue
    any=1
    s=$(du -sb "$p" 2>/dev/null | cut -f1)
    total=$((total + ${s:-0}))
  done
  [ $any -eq 1 ] && awk -v b="$total" 'BEGIN { printf "%.1f", b / 1e6 }' || echo "-"
}

# The tool's own agent, when its commands run inside one (selfstorage-agent, the mesh owner): its CPU
# and peak RSS during a phase are the tool's, not "others'".
declare -A agent_pid=()

# timed TOOL PHASE DIR -- COMMAND...: runs COMMAND in DIR under GNU time after dropping the page cache
# and appends a row to results.tsv (the repository and state sizes are filled by the caller's hooks).
timed() {
  local tool="$1" phase="$2" dir="$3"; shift 4
  local tf="$rlogs/$tool.$phase.time" log="$rlogs/$tool.$phase.log" rc busy0 busy1
  local apid="${agent_pid[$tool]:-}" a0="0 0" a1="0 0" ahwm=0
  drop_caches
  if [ -n "$apid" ]; then
    echo 5 > "/proc/$apid/clear_refs" 2>/dev/null # peak RSS from now on (Linux 4.0+)
    a0=$(proc_ticks "$apid")
  fi
  busy0=$(busy_ticks)
  if [ $sync_in_timing -eq 1 ]; then
    (cd "$dir" && /usr/bin/time -f '%e %U %S %M' -o "$tf" bash -c '"$@" && sync' timed "$@") >"$log" 2>&1
  else
    (cd "$dir" && /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@") >"$log" 2>&1
  fi
  rc=$?
  busy1=$(busy_ticks)
  local wall user sys rss
  read -r wall user sys rss < <(tail -n 1 "$tf" 2>/dev/null || echo "- - - -")
  if [ -n "$apid" ]; then
    a1=$(proc_ticks "$apid"); ahwm=$(proc_hwm "$apid")
    read -r user sys rss < <(awk -v u="$user" -v s="$sys" -v r="$rss" -v a0="$a0" -v a1="$a1" -v h="$ahwm" -v hz="$hz" \
      'BEGIN { split(a0, x, " "); split(a1, y, " ");
               printf "%.2f %.2f %d\n", u + (y[1] - x[1]) / hz, s + (y[2] - x[2]) / hz, (h > r ? h : r) }')
  fi
  local cpu rss_mb status="ok"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  # CPU that other processes used meanwhile: all busy time of the machine minus the tool's.
  local other
  other=$(awk -v a="$busy0" -v b="$busy1" -v hz="$hz" -v c="$cpu" 'BEGIN { o = (b - a) / hz - c; printf "%.1f", o < 0 ? 0 : o }')
  rss_mb=$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')
  [ $rc -ne 0 ] && status="exit $rc"
  local repo state
  # shellcheck disable=SC2046 # a tool may have several paths
  repo=$(size_mb $(repo_paths "$tool"))
  # shellcheck disable=SC2046
  state=$(size_mb $(state_paths "$tool"))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$tool" "$phase" "$wall" "$cpu" "$user" "$sys" \
    "$rss_mb" "$repo" "$state" "$status" "$cache_state" "-" "$other" >> "$results_tsv"
  printf '  %-11s %-9s wall %7ss  cpu %7ss  rss %5s MB  repo %8s MB  others %5ss cpu  %s\n' "$tool" "$phase" "$wall" "$cpu" \
    "$rss_mb" "$repo" "$other" "$status"
  if [ $rc -ne 0 ]; then
    say "    (failed: last lines of $log)"
    tail -n 5 "$log" | sed 's/^/    | /'
  fi
  return $rc
}

# The restore check goes into the last column of that tool's restore row.
set_verify() {
  local tool="$1" verdict="$2"
  awk -F'\t' -v OFS='\t' -v r="$run" -v t="$tool" -v v="$verdict" '$1 == r && $2 == t && $3 == "restore" { $13 = v } { print }' \
    "$results_tsv" > "$results_tsv.tmp" && mv "$results_tsv.tmp" "$results_tsv"
}

# ---------------------------------------------------------------- tools

export RESTIC_PASSWORD="bench-password"
export BORG_PASSPHRASE="bench-password"
export BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
export BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
export BORG_DISPLAY_PASSPHRASE=no
export BORG_CHECK_I_KNOW_WHAT_I_AM_DOING=YES
export BORG_DELETE_I_KNOW_WHAT_I_AM_DOING=YES
export RESTIC_CACHE_DIR="$work/restic-cache"
export BORG_BASE_DIR="$work/borg-base"

repo_paths() {
  case "$1" in
    selfstorage) echo "$work/selfstorage-stores" ;;
    selfstorage-agent) echo "$work/selfstorage-agent-stores" ;;
    selfstorage-mesh) echo "$work/mesh/p1/hosted" "$work/mesh/p2/hosted" "$work/mesh/p3/hosted" ;;
    restic|restic-sftp) echo "$work/restic-repo" ;;
    borg) echo "$work/borg-repo" ;;
  esac
}
# Local state besides the repository: the selfstorage home (catalog, keys), restic's cache, borg's cache.
state_paths() {
  case "$1" in
    selfstorage) echo "$work/selfstorage-home" ;;
    selfstorage-agent) echo "$work/selfstorage-agent-home" ;;
    selfstorage-mesh) echo "$work/mesh/owner" ;;
    restic|restic-sftp) echo "$RESTIC_CACHE_DIR" ;;
    borg) echo "$BORG_BASE_DIR" ;;
  esac
}
restore_dir() { echo "$work/restore-$1"; }
# prepare_restore TOOL: makes TOOL's restore directory empty and prints it. With --fresh-restore-fs
# it is the root of a new ext4 file system: creating a file on ext4 skips, and reads from disk,
# inodes freed in the last one to five minutes, which made one restore take 3 to 6.4 s depending on
# what had just been deleted (docs/design.md §10); lost+found goes, so the restore check sees
# only what the tool restored.
prepare_restore() {
  local out; out="$(restore_dir "$1")"
  mountpoint -q "$out" 2>/dev/null && umount "$out"
  rm -rf "$out"; mkdir -p "$out"
  if [ "$fresh_fs" -eq 1 ]; then
    local img="$work/restore-$1.img"
    # room for the restore, inode tables written now rather than by ext4's lazy init during the restore
    rm -f "$img" && truncate -s 16G "$img" &&
      mkfs.ext4 -q -F -N 400000 -E lazy_itable_init=0,lazy_journal_init=0 "$img" && mount -o loop "$img" "$out" &&
      rmdir "$out/lost+found" || { say "  $1: could not make a file system for the restore (root needed)" >&2; return 1; }
  fi
  echo "$out"
}
# unmounts the restores' file systems (their images stay in the work directory)
unmount_restores() {
  local d
  for d in "$work"/restore-*; do
    [ -d "$d" ] && mountpoint -q "$d" && umount "$d"
  done
  return 0
}

# setup_TOOL: untimed; returns non-zero when the tool cannot be benchmarked.
# setup_local TOOL: a home with three local-directory stores, each its own site (2+1).
setup_local() {
  local tool="$1" home="$work/$1-home" s="$work/$1-stores"
  if [ ! -x "$selfstorage" ]; then say "  $tool: no launcher at $selfstorage"; return 1; fi
  # The launcher builds the jar on first use: do that here, outside the timed phases.
  "$selfstorage" --help >"$rlogs/$tool.build.log" 2>&1 || {
    say "  $tool: '$selfstorage --help' failed (see $rlogs/$tool.build.log)"; return 1; }
  # The JVM the launcher runs on (it prefers a newer JDK when one is installed): '-version' makes it stop there.
  ss_jvm="$(SELFSTORAGE_JAVA_OPTS=-version "$selfstorage" 2>&1 | grep -m1 -i 'version' || true)"
  local_home "$selfstorage" "$home" "$s" "$data" > "$work/$tool-recovery-code.txt" 2>"$rlogs/$tool.setup.log" || {
    say "  $tool: setup failed (see $rlogs/$tool.setup.log):"; tail -n 5 "$rlogs/$tool.setup.log" | sed 's/^/    | /'
    return 1
  }
}
setup_selfstorage() { setup_local selfstorage; }
# The same, with the agent running for the home (as the systemd unit runs it): every command below
# then runs inside the agent's warm JVM. Its start-up warm-up ends before the first phase, as a real
# agent's would long before its first scheduled backup.
agent_pids=()
setup_selfstorage-agent() {
  setup_local selfstorage-agent || return 1
  local log="$rlogs/selfstorage-agent.agent.log"
  "$selfstorage" --home "$work/selfstorage-agent-home" agent > "$log" 2>&1 &
  agent_pids+=($!)
  agent_pid[selfstorage-agent]=$!
  wait_warm "$log" || { say "  selfstorage-agent: the agent did not start (see $log)"; return 1; }
}
setup_restic() {
  restic init --repository-version 2 -r "$work/restic-repo" >"$rlogs/restic.setup.log" 2>&1 || {
    say "  restic: init failed (see $rlogs/restic.setup.log)"; return 1; }
}
setup_borg() {
  borg init -e repokey-blake2 "$work/borg-repo" >"$rlogs/borg.setup.log" 2>&1 || {
    say "  borg: init failed (see $rlogs/borg.setup.log)"; return 1; }
}

# backup_TOOL PHASE: one timed backup of $data.
backup_selfstorage() { timed selfstorage "$1" "$data" -- "$selfstorage" --home "$work/selfstorage-home" backup data; }
backup_selfstorage-agent() {
  timed selfstorage-agent "$1" "$data" -- "$selfstorage" --home "$work/selfstorage-agent-home" backup data
}
backup_restic() { timed restic "$1" "$data" -- restic -r "$work/restic-repo" backup --host bench --quiet .; }
backup_borg() { timed borg "$1" "$data" -- borg create --compression lz4 "$work/borg-repo::$1" .; }

# restore_TOOL: one timed restore of the latest snapshot into an empty directory.
restore_selfstorage() {
  local out; out="$(prepare_restore selfstorage)" || return 1
  timed selfstorage restore "$work" -- "$selfstorage" --home "$work/selfstorage-home" restore latest --target "$out"
}
restore_selfstorage-agent() {
  local out; out="$(prepare_restore selfstorage-agent)" || return 1
  timed selfstorage-agent restore "$work" -- "$selfstorage" --home "$work/selfstorage-agent-home" restore latest \
    --target "$out"
}
restore_restic() {
  local out; out="$(prepare_restore restic)" || return 1
  timed restic restore "$work" -- restic -r "$work/restic-repo" restore latest --target "$out"
}
restore_borg() {
  local out; out="$(prepare_restore borg)" || return 1
  timed borg restore "$out" -- borg extract "$work/borg-repo::changed"
}

# ---------------------------------------------------------------- mesh

# selfstorage-mesh: an owner and three partners, each an agent process with its own home on its own
# loopback address, paired with invitation codes; the owner's commands run inside its agent (the
# control socket): the owner agent's CPU and peak RSS count as the tool's, the three partners' CPU
# shows in "others' CPU" (all four agents share the machine, as the issue asks). restic-sftp: restic over SFTP to OpenSSH on
# 127.0.0.1 with aes128-gcm. Both sides' servers run for the whole sequence, outside the timing.
mesh_pids=()

setup_selfstorage-mesh() {
  if [ ! -x "$selfstorage" ]; then say "  selfstorage: no launcher at $selfstorage"; return 1; fi
  "$selfstorage" --help >"$rlogs/selfstorage-mesh.build.log" 2>&1 || {
    say "  selfstorage: '$selfstorage --help' failed (see $rlogs/selfstorage-mesh.build.log)"; return 1; }
  ss_jvm="$(SELFSTORAGE_JAVA_OPTS=-version "$selfstorage" 2>&1 | grep -m1 -i 'version' || true)"
  local who
  mesh_homes "$selfstorage" "$work/mesh" "$data" "$rlogs/selfstorage-mesh." 2>"$rlogs/selfstorage-mesh.setup.log"
  local rc=$?
  for who in "${!mesh_pid[@]}"; do mesh_pids+=("${mesh_pid[$who]}"); done
  agent_pid[selfstorage-mesh]=${mesh_pid[owner]:-}
  if [ $rc -ne 0 ]; then
    say "  selfstorage-mesh: setting up the mesh failed (see $rlogs/selfstorage-mesh.setup.log):"
    tail -n 5 "$rlogs/selfstorage-mesh.setup.log" | sed 's/^/    | /'; return 1
  fi
}
backup_selfstorage-mesh() { timed selfstorage-mesh "$1" "$data" -- "$selfstorage" --home "$work/mesh/owner" backup data; }
restore_selfstorage-mesh() {
  local out; out="$(prepare_restore selfstorage-mesh)" || return 1
  timed selfstorage-mesh restore "$work" -- "$selfstorage" --home "$work/mesh/owner" restore latest --target "$out"
}

sshd_pid=""
setup_restic-sftp() {
  local d="$work/sshd" port
  mkdir -p "$d" && chmod 700 "$d"
  port=$(free_port 127.0.0.1)
  ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$d/client_key" || return 1
  cp "$d/client_key.pub" "$d/authorized_keys"
  cat > "$d/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $d/host_key
AuthorizedKeysFile $d/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
Ciphers aes128-gcm@openssh.com
PidFile $d/sshd.pid
CONF
  mkdir -p /run/sshd 2>/dev/null
  /usr/sbin/sshd -D -f "$d/sshd_config" -E "$rlogs/restic-sftp.sshd.log" &
  sshd_pid=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  restic_sftp_opts=(-o "sftp.command=ssh -p $port -i $d/client_key -c aes128-gcm@openssh.com -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR $(id -un)@127.0.0.1 -s sftp")
  restic init --repository-version 2 -r "sftp:$(id -un)@127.0.0.1:$work/restic-repo" "${restic_sftp_opts[@]}" \
    >"$rlogs/restic-sftp.setup.log" 2>&1 || { say "  restic-sftp: init failed (see $rlogs/restic-sftp.setup.log)"; return 1; }
}
backup_restic-sftp() {
  timed restic-sftp "$1" "$data" -- restic -r "sftp:$(id -un)@127.0.0.1:$work/restic-repo" "${restic_sftp_opts[@]}" \
    backup --host bench --quiet .
}
restore_restic-sftp() {
  local out; out="$(prepare_restore restic-sftp)" || return 1
  timed restic-sftp restore "$work" -- restic -r "sftp:$(id -un)@127.0.0.1:$work/restic-repo" "${restic_sftp_opts[@]}" \
    restore latest --target "$out"
}

stop_servers() {
  local p
  for p in "${mesh_pids[@]}" "${agent_pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${mesh_pids[@]}" "${agent_pids[@]}"; do wait "$p" 2>/dev/null; done
  mesh_pids=()
  agent_pids=()
  agent_pid=()
  [ -n "$sshd_pid" ] && { kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; sshd_pid=""; }
}
trap 'stop_servers; unmount_restores' EXIT

# ---------------------------------------------------------------- main

install_missing
if [ $wait_idle -eq 1 ]; then
  for _ in $(seq 1 60); do
    awk '{ exit !($1 < 1.0) }' /proc/loadavg && break
    say "waiting for the machine to be idle (load average $(cut -d' ' -f1-3 /proc/loadavg)) ..."
    sleep 30
  done
fi
rm -rf "$work" "$logs"
mkdir -p "$work" "$logs"
printf 'run\ttool\tphase\twall_s\tcpu_s\tuser_s\tsys_s\tmax_rss_mb\trepo_mb\tstate_mb\tstatus\tpage_cache\trestore_check\tother_cpu_s\n' > "$results_tsv"
cache_state="-"
ss_jvm=""
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

hr
say "selfstorage benchmark  $started  scale $scale  seed $seed  runs $runs  tools: ${tools[*]}"
say "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average: $load_start"
versions=()
{ want restic || want restic-sftp; } && versions+=("$(restic version | cut -d' ' -f1-2)")
want restic-sftp && versions+=("$(ssh -V 2>&1 | cut -d',' -f1)")
want borg && versions+=("$(borg --version)")
{ want selfstorage || want selfstorage-agent || want selfstorage-mesh; } && versions+=("selfstorage $(git -C "$(dirname "$selfstorage")" rev-parse --short HEAD 2>/dev/null || echo '?') ($selfstorage)")
say "versions: $(IFS=';'; echo "${versions[*]}" | sed 's/;/, /g')"
hr

one_run() {
  rlogs="$logs/run$run"
  rm -rf "$work"
  mkdir -p "$work" "$rlogs"
  say "[run $run/$runs] generating the data set in $data ..."
  java -Xmx1g "$here/GenerateData.java" --seed "$seed" --out "$data" --scale "$scale" --force | tee "$rlogs/generate.log" | sed 's/^/  /'
  [ "${PIPESTATUS[0]}" -eq 0 ] || { say "run.sh: data generation failed" >&2; exit 1; }
  data_mb=$(size_mb "$data")
  data_digest=$(sed -n 's/^manifest digest: //p' "$rlogs/generate.log")
  data_files=$(find "$data" -type f -printf x | wc -c)

  active=()
  say "[run $run/$runs] setting up repositories ..."
  local t p out n mt verdict
  for t in "${tools[@]}"; do
    if "setup_$t"; then active+=("$t"); else
      for p in initial unchanged changed restore; do
        printf '%s\t%s\t%s\t-\t-\t-\t-\t-\t-\t-\tnot run\t-\t-\t-\n' "$run" "$t" "$p" >> "$results_tsv"
      done
    fi
  done
  [ ${#active[@]} -gt 0 ] || return 0

  say "[run $run/$runs] phase: initial backup"
  for t in "${active[@]}"; do "backup_$t" initial; done
  say "[run $run/$runs] phase: no-change backup"
  for t in "${active[@]}"; do "backup_$t" unchanged; done

  say "[run $run/$runs] mutating the data set (a day of use) ..."
  java "$here/MutateData.java" --seed "$seed" --dir "$data" --scale "$scale" | tee "$rlogs/mutate.log" | sed 's/^/  /'
  say "[run $run/$runs] phase: backup after the changes"
  for t in "${active[@]}"; do "backup_$t" changed; done

  say "[run $run/$runs] phase: restore latest"
  for t in "${active[@]}"; do "restore_$t"; done

  say "[run $run/$runs] checking restores against the source (checksum manifests, not timed) ..."
  java "$here/Manifest.java" "$data" --out "$rlogs/source.manifest" > "$rlogs/source.manifest.log"
  for t in "${active[@]}"; do
    out="$(restore_dir "$t")"
    if [ -z "$(ls -A "$out" 2>/dev/null)" ]; then set_verify "$t" "nothing restored"; say "  $t: nothing restored"; continue; fi
    java "$here/Manifest.java" "$out" --out "$rlogs/$t.manifest" > "$rlogs/$t.manifest.log" 2>&1
    diff <(cut -f1-5 "$rlogs/source.manifest") <(cut -f1-5 "$rlogs/$t.manifest") > "$rlogs/$t.restore.diff"
    n=$(grep -c '^[<>]' "$rlogs/$t.restore.diff")
    mt=$(diff <(awk -F'\t' '$1 == "f" { print $5 "\t" $6 }' "$rlogs/source.manifest") \
              <(awk -F'\t' '$1 == "f" { print $5 "\t" $6 }' "$rlogs/$t.manifest") | grep -c '^<')
    if [ "$n" -eq 0 ]; then
      verdict="identical"
      [ "$mt" -gt 0 ] && verdict="identical ($mt mtimes differ)"
    else
      verdict="DIFFERS ($n manifest lines)"
    fi
    set_verify "$t" "$verdict"
    say "  $t: $verdict"
    if [ "$n" -ne 0 ]; then head -n 6 "$rlogs/$t.restore.diff" | sed 's/^/    | /'; say "    (full diff: $rlogs/$t.restore.diff)"; fi
  done
  stop_servers
  unmount_restores
  # Restores are large: keep only the last run's (and only with --keep).
  [ "$run" -lt "$runs" ] && rm -rf "$work"/restore-*
}

for run in $(seq 1 "$runs"); do one_run; done

# ---------------------------------------------------------------- report

report() {
  say ""
  say "## Results"
  say ""
  say "Data set: seed $seed, scale $scale, $data_files files, $data_mb MB (before the changes). Started $started;" \
      "$runs run(s), medians shown."
  say "Machine: $(nproc) cores; load average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)." \
      "Page cache before each phase: ${cache_state}."
  say "Versions: $(IFS=';'; echo "${versions[*]}" | sed 's/;/, /g')."
  [ -n "$ss_jvm" ] && say "selfstorage ran on: $ss_jvm."
  say "Data set digest before the changes (bench/Manifest.java): $data_digest."
  [ -n "$cache_note" ] && say "Note: $cache_note."
  [ "$fresh_fs" -eq 1 ] && say "Restores: each tool onto a new ext4 file system (--fresh-restore-fs)."
  say ""
  say "| phase | tool | wall s | CPU s | user s | sys s | peak RSS MB | repo MB | local state MB | others' CPU s | status | restore check |"
  say "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
  medians | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $2, $1, $3, $4, $5, $6, $7, $8, $9, $12, $10, $11 }'
  for pair in selfstorage/restic selfstorage/borg selfstorage-agent/restic selfstorage-agent/borg selfstorage-mesh/restic-sftp; do
    mine="${pair%/*}"; other="${pair#*/}"
    want "$other" && want "$mine" || continue
    say ""
    say "Ratios $mine / $other (below 1: selfstorage is faster or smaller):"
    say ""
    say "| phase | wall | CPU | peak RSS |"
    say "| --- | ---: | ---: | ---: |"
    medians | awk -F'\t' -v o="$other" -v s="$mine" '
      function r(a, b) { return (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) ? "n/a" : sprintf("%.2f", a / b) }
      { k = $2; if (!(k in seen)) { seen[k] = 1; order[++n] = k } }
      $10 ~ /^ok/ { w[$1, k] = $3; c[$1, k] = $4; m[$1, k] = $7 }
      END {
        for (i = 1; i <= n; i++) { p = order[i]; printf "| %s | %s | %s | %s |\n", p, r(w[s, p], w[o, p]), r(c[s, p], c[o, p]), r(m[s, p], m[o, p]) }
      }'
  done
}

# medians: one line per tool and phase, in phase order then tool order:
#   tool phase wall cpu user sys rss repo state status check other_cpu   (medians over the runs that succeeded)
medians() {
  tail -n +2 "$results_tsv" | awk -F'\t' -v OFS='\t' -v tools="${tools[*]}" '
    function median(key, col,   n, i, j, v, t, a) {
      n = 0
      for (i = 1; i <= cnt[key]; i++) { v = val[key, i, col]; if (v != "-" && v != "") a[++n] = v + 0 }
      if (n == 0) return "-"
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    {
      key = $2 SUBSEP $3
      total[key]++
      # A restore that exits 0 but does not match the source counts as a failure.
      good = ($11 == "ok" && ($13 == "-" || $13 ~ /^identical/))
      if (good) { k = ++cnt[key]; for (c = 4; c <= 8; c++) val[key, k, c] = $c; val[key, k, 14] = $14 }
      repo[key] = $9; state[key] = $10
      if ($13 != "-") { seen_c = (key in check); prev = seen_c ? check[key] : ""; check[key] = (seen_c && prev != $13) ? prev "; " $13 : $13 }
      if ($11 != "ok") bad[key] = $11
      else if (!good) bad[key] = "restore check failed"
    }
    END {
      np = split("initial unchanged changed restore", phases, " ")
      nt = split(tools, tl, " ")
      for (i = 1; i <= np; i++) for (j = 1; j <= nt; j++) {
        key = tl[j] SUBSEP phases[i]
        if (!(key in total)) continue
        st = (cnt[key] == total[key]) ? "ok" : (cnt[key] + 0 > 0 ? cnt[key] "/" total[key] " ok" : bad[key])
        if (total[key] > 1 && st == "ok") st = "ok (" total[key] " runs)"
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", tl[j], phases[i], fmt(median(key, 4)), fmt(median(key, 5)),
          fmt(median(key, 6)), fmt(median(key, 7)), int0(median(key, 8)), repo[key], state[key], st, (key in check) ? check[key] : "-", fmt(median(key, 14))
      }
    }
    function fmt(v) { return v == "-" ? v : sprintf("%.2f", v) }
    function int0(v) { return v == "-" ? v : sprintf("%.0f", v) }'
}
report | tee "$results_md"
hr
say "results: $results_tsv and $results_md; logs: $logs"

if [ $keep -eq 0 ]; then
  rm -rf "$work" "$data"
else
  say "kept: $work (repositories, restores) and $data"
fi
