"""Memory a stage frees goes back to the system (glibc's ``malloc_trim``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from nccd.memory import release_freed

PROBE = textwrap.dedent("""
    import sys
    import numpy as np
    from nccd.memory import release_freed

    def rss():
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) // 1024

    big = np.ones(24 << 20, dtype=np.uint8)
    del big  # glibc now takes blocks below 24 MB from its heap
    block = np.ones(16 << 20, dtype=np.uint8)
    pin = [np.ones(64) for _ in range(64)]  # live blocks above it in the heap
    del block
    before = rss()
    if sys.argv[1] == "trim":
        assert release_freed()
    print(before - rss())
""")


def _freed_mb(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
    return int(out.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_a_freed_block_in_the_heap_leaves_the_process_when_released():
    assert _freed_mb("trim") >= 15
    assert _freed_mb("keep") < 2  # without the call it stays: the probe can fail


def test_release_freed_can_be_called_any_time():
    assert release_freed() in (True, False)
    assert isinstance(release_freed(), bool)
