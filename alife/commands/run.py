"""`alife run`: run a scene, a pattern file or a bare rule headless and write the final state.

    alife run scenes/life/gosper_glider_gun.yaml --steps 300 --out gun.rle
    alife run --rule 'B3/S23:T256,256' --pattern glider.rle --steps 100 --out end.rle
    alife run scenes/lenia/orbium.yaml --set rule.params.mu=0.16 --metrics m.csv --every 10

Steps default to the scene's `run.steps` (100 without one). The output format comes from the
extension (`.npz` state, `.rle`/`.cells` pattern, `.png` picture); `--metrics` writes the
rule's metrics every K steps as CSV. Runs go in jitted chunks (`alife.scene.runner`).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from dataclasses import replace
from pathlib import Path

from alife.core.errors import AlifeError

DEFAULT_STEPS = 100


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; expected an integer >= 0")
    return value


def _positive(text: str) -> int:
    value = _count(text)
    if value == 0:
        raise argparse.ArgumentTypeError("0; expected an integer >= 1")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scene", nargs="?", metavar="SCENE",
                        help="a scene (.yaml) or a pattern file (.rle, .cells)")
    parser.add_argument("--pattern", metavar="FILE", help="a pattern file to run (no scene)")
    parser.add_argument("--rule", metavar="RULE",
                        help="rule string for a pattern or on its own, e.g. 'B3/S23:T256,256'")
    parser.add_argument("--steps", type=_count, metavar="N",
                        help="generations to run (default: the scene's run.steps)")
    parser.add_argument("--out", metavar="FILE",
                        help="write the final state: .npz, .rle, .cells or .png")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="override a scene key, e.g. rule.config.width=512")
    parser.add_argument("--seed", type=_count, metavar="S", help="override the scene's seed")
    parser.add_argument("--metrics", metavar="FILE.csv", help="write metrics as CSV")
    parser.add_argument("--every", type=_positive, metavar="K",
                        help="metrics interval in steps (default: about 100 rows)")
    parser.add_argument("--zoom", type=_positive, default=1, metavar="Z",
                        help="pixels per cell for .png output (default 1)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")
    parser.add_argument("--checkpoint", metavar="FILE.npz",
                        help="save state and key here every --checkpoint-every-s and at the end")
    parser.add_argument("--checkpoint-every-s", type=float, default=300.0, metavar="S",
                        help="seconds between checkpoints (default 300)")
    parser.add_argument("--resume", action="store_true",
                        help="continue from --checkpoint if it exists (same scene and --steps "
                             "give the uninterrupted result: keys are fold_in(key, generation))")
    parser.add_argument("--lineage", metavar="FILE.csv",
                        help="births and deaths as a table, one row per id (families that "
                             "keep a LineageLog, e.g. agents)")


def load_world(args: argparse.Namespace):
    """The World named by SCENE / --pattern / --rule, with --set and --seed applied."""
    from alife.scene.open import open_world

    overrides = list(args.overrides)
    if args.seed is not None:
        overrides.append(f"seed={args.seed}")
    if args.scene and args.pattern:
        raise AlifeError("give a SCENE or --pattern, not both")
    source = args.pattern or args.scene
    if source is None and not args.rule:
        raise AlifeError("nothing to run; expected a SCENE (.yaml), a pattern file, or "
                         "--rule RULE")
    return open_world(source, overrides, rule=args.rule)


def _scalar(value) -> float | int:
    import numpy as np

    array = np.asarray(value)
    return array.item() if array.dtype.kind in "iub" else float(array)


def _write_csv(path: Path, rows: list[dict]) -> None:
    from alife.core.fileio import atomic_write_text

    names = list(dict.fromkeys(k for row in rows for k in row)) or ["generation"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    try:
        atomic_write_text(path, buffer.getvalue())
    except OSError as exc:
        raise AlifeError(f"cannot write metrics ({exc.strerror or exc})", where=str(path)) from None


def _read_csv(path: Path, upto: int | None = None) -> list[dict]:
    """Rows of a CSV this command wrote (for --resume), those with generation <= upto."""
    if not path.exists():
        return []
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if upto is None or "generation" not in r
            or int(r["generation"]) <= upto]


def _resume(world, path: Path):
    """The world continued from a checkpoint written by --checkpoint."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    from alife.core.fileio import arrays_to_tree, load_arrays

    size = sum(np.asarray(x).nbytes for x in jax.tree_util.tree_leaves(world.state))
    arrays = load_arrays(path, max_bytes=2 * size + (1 << 20))
    state = arrays_to_tree(arrays, world.state, where=str(path))
    key = jnp.asarray(arrays["__key"], jnp.uint32) if "__key" in arrays else world.key
    return replace(world, state=state, key=key)


def _checkpoint(world, path: Path, tables: dict[Path, list[dict]]) -> None:
    from alife.scene import export

    export.write_state(world, path)
    for table_path, rows in tables.items():
        _write_csv(table_path, rows)


def _lineage_rows(table: dict, rows: list[dict]) -> None:
    """Merge lineage events into `table` (one row per id)."""
    for row in rows:
        if "id" in row:
            table.setdefault(row["id"], {}).update(row)
        else:
            print(f"lineage: {row}", file=sys.stderr)


def main(args: argparse.Namespace) -> int:
    from alife.core.progress import progress
    from alife.scene import export
    from alife.scene.runner import advance

    if args.every is not None and not args.metrics:
        raise AlifeError("--every goes with --metrics FILE.csv")
    if args.out:
        export.check_writable(args.out)
    metrics_path = Path(args.metrics) if args.metrics else None
    if metrics_path is not None:
        if metrics_path.suffix.lower() != ".csv":
            got = metrics_path.suffix or "no extension"
            raise AlifeError(f"metrics files are CSV; got {got!r}", where=str(metrics_path))
        export.check_writable(metrics_path.with_suffix(".npz"))  # same folder checks

    world = load_world(args)
    steps = args.steps if args.steps is not None else int(world.run.get("steps", DEFAULT_STEPS))
    every = args.every or (max(1, steps // 100) if metrics_path is not None else None)
    checkpoint = Path(args.checkpoint) if args.checkpoint else None
    if checkpoint is not None and checkpoint.suffix.lower() != ".npz":
        raise AlifeError("checkpoints are .npz files", where=str(checkpoint))
    if args.resume and checkpoint is None:
        raise AlifeError("--resume goes with --checkpoint FILE.npz")
    lineage_path = Path(args.lineage) if args.lineage else None
    from alife.core.rule import LineageLog

    if lineage_path is not None and not isinstance(world.rule, LineageLog):
        raise AlifeError(f"family {world.rule.family!r} has no lineage", where="--lineage")
    start = world.generation
    resumed = bool(args.resume and checkpoint.exists())
    if resumed:
        world = _resume(world, checkpoint)

    rows: list[dict] = []
    lineage: dict = {}
    if resumed:
        rows = _read_csv(metrics_path, world.generation) if metrics_path else []
        for row in _read_csv(lineage_path) if lineage_path else []:
            lineage[int(row["id"])] = row
    elif lineage_path is not None:
        _lineage_rows(lineage, world.rule.lineage_events(None, world.state))
    done_before = min(steps, world.generation - start)
    last = {"state": world.state, "saved": time.monotonic()}

    def tables() -> dict[Path, list[dict]]:
        out = {metrics_path: rows} if metrics_path is not None else {}
        if lineage_path is not None:
            out[lineage_path] = list(lineage.values())
        return out

    def record(state) -> None:
        values = world.rule.metrics(state, world.params)
        row = {"generation": _scalar(values["generation"])}
        row.update({k: _scalar(v) for k, v in values.items() if k != "generation"})
        rows.append(row)

    if metrics_path is not None and not resumed:
        record(world.state)
    started = time.perf_counter()
    try:
        with progress(steps, desc=world.name, quiet=args.quiet) as bar:
            bar.update(done_before)

            def on_chunk(state, done: int) -> None:
                if metrics_path is not None:
                    record(state)
                if lineage_path is not None:
                    _lineage_rows(lineage, world.rule.lineage_events(last["state"], state))
                last["state"] = state
                bar.update(done_before + done - bar.n)
                if checkpoint is not None and \
                        time.monotonic() - last["saved"] >= args.checkpoint_every_s:
                    _checkpoint(world.with_state(state), checkpoint, tables())
                    last["saved"] = time.monotonic()

            world = advance(world, steps - done_before, every=every, on_chunk=on_chunk)
    except KeyboardInterrupt:
        if checkpoint is not None:   # the last finished chunk, so --resume continues from it
            _checkpoint(world.with_state(last["state"]), checkpoint, tables())
        elif metrics_path is not None and rows:
            _write_csv(metrics_path, rows)
        raise
    if checkpoint is not None:
        _checkpoint(world, checkpoint, tables())
    if lineage_path is not None:
        _write_csv(lineage_path, list(lineage.values()))
    import jax

    jax.block_until_ready(world.state)
    seconds = time.perf_counter() - started
    if metrics_path is not None:
        _write_csv(metrics_path, rows)
    if args.out:
        export.write_state(world, args.out, zoom=args.zoom)
    if not args.quiet:
        h, w = world.rule.shape
        ran = steps - done_before
        rate = ran * h * w / seconds if seconds > 0 and ran else 0.0
        final = world.rule.metrics(world.state, world.params)
        shown = ", ".join(f"{k} {_scalar(v):g}" for k, v in final.items())
        wrote = [p for p in (args.out, args.metrics) if p]
        print(f"{world.name}: {steps} steps in {seconds:.2f} s ({rate:.3g} cell-updates/s, "
              f"compile included); {shown}" + (f"; wrote {', '.join(wrote)}" if wrote else ""),
              file=sys.stdout)
    return 0
