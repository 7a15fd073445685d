"""Large blocks freed go back to the system (glibc's mmap threshold held fixed)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from nccd.memory import return_large_blocks

PROBE = textwrap.dedent("""
    import sys
    import numpy as np
    from nccd.memory import return_large_blocks

    def rss():
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) // 1024

    if sys.argv[1] == "fixed":
        assert return_large_blocks()
    big = np.ones(24 << 20, dtype=np.uint8)
    del big  # without the fix, glibc now takes blocks below 24 MB from the heap
    block = np.ones(16 << 20, dtype=np.uint8)
    pin = [np.ones(64) for _ in range(64)]  # live blocks above it in the heap
    before = rss()
    del block
    print(before - rss())
""")


def _freed_mb(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
    return int(out.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux") or not return_large_blocks(), reason="glibc only")
def test_a_freed_block_leaves_the_process_only_with_the_threshold_fixed():
    assert _freed_mb("fixed") >= 15
    assert _freed_mb("default") < 2  # the probe shows the difference: it can fail


def test_return_large_blocks_is_idempotent():
    assert return_large_blocks() == return_large_blocks()
