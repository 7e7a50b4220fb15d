"""Run a long CPU fit under an allocator that keeps freed memory.

A fitting step allocates and frees tens of large tensors (a ray batch's samples are ~25 MB each). glibc's malloc serves
blocks over its mmap threshold (at most 32 MB) with fresh mappings and unmaps them on free, so every step touches new
pages and pays a page fault per 4 KiB: on these VMs `fill_` and `copy_` (the first writes) then took a quarter of a ray
step, which ran 2.8x slower than on tcmalloc (`python3 -m pv3d.fit_costs --profile`, docs/benchmarks.md). tcmalloc
keeps what it frees for the next step. It must be preloaded before the interpreter starts, hence a re-exec.
"""
from __future__ import annotations

import os
import sys

TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"  # Debian's libtcmalloc-minimal4
MARK = "PV3D_ALLOCATOR"  # set in the re-executed process (and its children): never re-exec twice


def reexec_with_tcmalloc(module: str, argv: list[str]) -> None:
    """Re-execute `python3 -m module argv` with tcmalloc preloaded when the library is installed and not loaded yet;
    otherwise return and carry on (with glibc's malloc: slower, same results). PV3D_ALLOCATOR=system opts out."""
    if os.environ.get(MARK) or not os.path.exists(TCMALLOC):
        return
    env = dict(os.environ)
    env[MARK] = "tcmalloc"
    env["LD_PRELOAD"] = ":".join(filter(None, [TCMALLOC, env.get("LD_PRELOAD")]))
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", module, *argv], env)


def loaded() -> str:
    """'tcmalloc' when this process runs on tcmalloc, else 'system'."""
    try:
        with open("/proc/self/maps") as f:
            return "tcmalloc" if "libtcmalloc" in f.read() else "system"
    except OSError:
        return "system"


if __name__ == "__main__":  # python3 -m pv3d.allocator: which allocator a command started this way runs on
    print(loaded())
