#!/usr/bin/env bash
# Catalog rebuild after losing the home: a 100,000-file source, 10 snapshots, three local stores;
# the home is deleted and `recover` rebuilds it from the recovery code and one store.
#
#   bench/recover.sh [--files N] [--snapshots N] [--base DIR]
#
# Reports the size of the catalog copy, the wall and CPU time of `recover`, and checks that
# `snapshots` lists every snapshot and `ls latest` every file afterwards.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
files=100000
snapshots=10
base="$here/out/recover"
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files="$2"; shift 2 ;;
    --snapshots) snapshots="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    *) echo "recover.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
export SELFSTORAGE_NO_AGENT=1 LC_ALL=C.UTF-8
ss="$root/selfstorage"
rm -rf "$base" && mkdir -p "$base/src"
"$ss" --help >/dev/null
echo "generating $files files ..."
python3 - "$base/src" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, "d%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.txt" % i), "w") as f:
        f.write("file %d\n" % i * (1 + i % 7))
PY
home="$base/home"
code=$("$ss" --home "$home" init | sed -n 's/^    \(.*\)$/\1/p' | head -1)
for s in s1 s2 s3; do "$ss" --home "$home" store add "$base/stores/$s" --site "$s" >/dev/null; done
"$ss" --home "$home" source add "$base/src" --name src >/dev/null
for i in $(seq 1 "$snapshots"); do
  find "$base/src" -name "f*$((i % 10))7.txt" -exec sh -c 'echo changed >> "$1"' _ {} \; 2>/dev/null | head -0
  "$ss" --home "$home" backup src --quiet --time "2026-06-$(printf %02d "$i")T03:00:00Z" | head -1
done
copy=$(find "$base/stores/s1/shards" -name 'catalog.*' -printf '%s %p\n' | sort -n | tail -1)
catalog_mb=$(du -m "$home/catalog.db" | cut -f1)
rm -rf "$home"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
/usr/bin/time -f '%e %U %S %M' -o "$base/time" "$ss" --home "$base/new-home" recover --recovery-code "$code" \
  --store "$base/stores/s2" > "$base/recover.log"
read -r wall user sys rss < "$base/time"
listed=$("$ss" --home "$base/new-home" snapshots --json | grep -c '"id"')
entries=$("$ss" --home "$base/new-home" ls latest | wc -l)
echo "catalog before the loss: ${catalog_mb} MB; newest copy on a store: ${copy%% *} bytes"
echo "recover: wall ${wall} s, cpu $(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}') s, peak RSS $((rss / 1024)) MB"
echo "after recovery: $listed snapshots listed, ls latest shows $entries entries"
