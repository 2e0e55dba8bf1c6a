"""`alife train SCENE [--steps N] [--resume] [--out DIR] [--quiet]`: headless gradient training.

The scene's rule family picks the trainer (`alife.core.trainer.build_trainer`: trainers register
beside their families); its `training:` block holds the settings. Progress goes to a
tqdm bar (loss, it/s); `DIR` (default: the block's `out`, else `runs/<scene name>`) gets
`checkpoint.npz` every `checkpoint_every_s` seconds (atomic), `metrics.csv`, `metrics.jsonl`,
`loss.png` and `weights.npz`. `--resume` continues from `DIR/checkpoint.npz` exactly. The
weights are also written to the block's `weights` path, but only by a run that reaches the
block's `iterations` (so a short `--steps` trial never overwrites a shipped model).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from alife.commands import argtypes
from alife.core.errors import AlifeError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scene", help="scene file (.yaml) with a training: block")
    parser.add_argument("--steps", type=argtypes.integer(1), default=None,
                        help="train until this many iterations (default: the block's iterations)")
    parser.add_argument("--resume", action="store_true",
                        help="continue from DIR/checkpoint.npz")
    parser.add_argument("--out", default=None, help="folder for checkpoint, logs and plot")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def main(args: argparse.Namespace) -> int:
    from alife.families import build_trainer
    from alife.jobs.loop import run_training
    from alife.scene.io import load_scene

    scene = Path(args.scene)
    world = load_scene(scene)
    if "training" not in world.extra:
        raise AlifeError("the scene has no training: block", where=str(scene))
    trainer = build_trainer(world)
    total = trainer.iterations if args.steps is None else args.steps
    if total < 1:
        raise AlifeError(f"--steps {total}; expected a positive number")
    out = Path(args.out or trainer.settings.get("out") or Path("runs") / scene.stem)
    if args.resume and not (out / "checkpoint.npz").exists():
        raise AlifeError("nothing to resume: no checkpoint.npz", where=str(out))
    full = total >= trainer.iterations
    weights = trainer.settings.get("weights") if full else None
    run_training(trainer, out, total, resume=args.resume,
                 checkpoint_every_s=float(trainer.settings["checkpoint_every_s"]),
                 weights_path=weights, quiet=args.quiet, title=f"{world.name} loss")
    if not args.quiet:
        print(f"trained {scene.name} to iteration {trainer.step}; logs and checkpoint in {out}")
        if weights:
            print(f"weights written to {weights}")
        else:
            print(f"weights in {out / 'weights.npz'} (the scene's weights path is written only "
                  f"by a run reaching its {trainer.iterations} iterations)")
    return 0
