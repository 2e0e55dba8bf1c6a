"""Running Golly's bgolly in a test: the population at every generation of a run.

`bgolly_populations(argv, generations, timeout)` runs `argv` (bgolly with its options and the
pattern, stepping one generation at a time: `-m N -i 1`) and returns the populations at
generations 0..N read from its output; the test fails with bgolly's output if it fails or skips
a generation.
"""

from __future__ import annotations

import subprocess


def bgolly_populations(argv: list[str], generations: int, timeout: float = 600) -> list[int]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    found = {}
    for line in done.stdout.splitlines():
        head, colon, tail = line.partition(": ")
        if colon and head.replace(",", "").isdigit() and tail.replace(",", "").isdigit():
            found[int(head.replace(",", ""))] = int(tail.replace(",", ""))
    assert sorted(found) == list(range(generations + 1)), done.stdout[-500:]
    return [found[g] for g in range(generations + 1)]
