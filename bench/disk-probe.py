#!/usr/bin/env python3
"""How fast this machine's disk takes shard-like writes: N files of 4 MiB written by six threads into
three stores of 256 fan-out directories each, every file as a store writes a shard (a temporary
file, fdatasync, rename into place), optionally with O_DIRECT and a directory fsync per file.
Drop the page cache first for comparable runs (sync; echo 3 > /proc/sys/vm/drop_caches).

    python3 bench/disk-probe.py DIR [direct] [dirsync] [--files N]
"""
import mmap
import os
import shutil
import sys
import threading
import time

args = sys.argv[1:]
if not args:
    sys.exit(__doc__)
root, flags = args[0], set(args[1:])
n = int(args[args.index("--files") + 1]) if "--files" in args else 420
size = 4 << 20
shutil.rmtree(root, ignore_errors=True)
for s in range(3):
    os.makedirs(f"{root}/s{s}/tmp")
    for d in range(256):
        os.makedirs(f"{root}/s{s}/shards/{d:02x}")
os.sync()
buf = mmap.mmap(-1, size)  # page-aligned, as O_DIRECT needs
buf.write(os.urandom(size))
todo = iter(range(n))
lock = threading.Lock()


def work():
    while True:
        with lock:
            i = next(todo, None)
        if i is None:
            return
        s, d = i % 3, (i * 7919) % 256
        tmp, dst = f"{root}/s{s}/tmp/{i}.tmp", f"{root}/s{s}/shards/{d:02x}/{i}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | (os.O_DIRECT if "direct" in flags else 0), 0o644)
        os.write(fd, buf)
        os.fdatasync(fd)
        os.close(fd)
        os.rename(tmp, dst)
        if "dirsync" in flags:
            dfd = os.open(os.path.dirname(dst), os.O_RDONLY)
            os.fsync(dfd)
            os.close(dfd)


start = time.time()
threads = [threading.Thread(target=work) for _ in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
took = time.time() - start
print(f"{' '.join(sorted(flags)) or 'buffered'}: {n * size / took / 1e6:.0f} MB/s ({n} files in {took:.2f} s)")
shutil.rmtree(root)
