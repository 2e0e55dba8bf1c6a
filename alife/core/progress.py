"""The one progress bar of long headless jobs (tqdm on stderr) that `--quiet` silences: the job
driver (`alife.jobs.loop.run_job`: run, train, evolve) and `alife render` use it.

    with progress(total=steps, desc="run", quiet=args.quiet) as bar:
        bar.update(chunk)

The bar appears only after `delay` seconds, so short runs print nothing; with `quiet`, when
stderr is not a terminal (logs, tests) or `total == 0` it is a no-op with the same methods.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _Silent:
    """Stands in for a tqdm bar when output is off."""

    n = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix(self, *args: Any, **kwargs: Any) -> None:
        del args, kwargs


@contextmanager
def progress(total: int, desc: str = "", quiet: bool = False, unit: str = "step",
             delay: float = 1.0) -> Iterator[Any]:
    """A tqdm bar on stderr (or a silent stand-in), closed on exit."""
    if quiet or total <= 0 or not sys.stderr.isatty():
        yield _Silent()
        return
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc or None, unit=unit, file=sys.stderr, delay=delay,
               leave=False, dynamic_ncols=True, unit_scale=True)
    try:
        yield bar
    finally:
        bar.close()
