"""ViTCA restoration quality vs baselines on the held-out digits (PSNR / SSIM).

Compares, on the 297 held-out digits (32x32, image i masked with mask configuration i mod 9, a
fixed key): the masked input itself, the shipped ViTCA (`assets/weights/vitca_digits.npz`), a
convolutional NCA (perceive 3x3 + MLP, trained by ViTCA's own pool loop) and a 2-level U-Net, each
near 10k parameters (printed). The baselines are trained here (or loaded from `--cache`) for the
iterations given; the ViTCA iterations are those of its scene's training run. The paper
(Tesfaldet et al., NeurIPS 2022) reports ViTCA ahead of U-Net-style baselines; this prints what we
find either way.

    /work/venv/bin/python benchmarks/bench_vitca_quality.py [--nca-iters 500] [--unet-iters 2000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alife.core.fileio import load_tree, save_tree  # noqa: E402
from alife.data.digits import digits_split  # noqa: E402
from alife.rules.vitca import ViTCARule, masks, model  # noqa: E402
from alife.rules.vitca.baselines import conv_nca, train_unet, unet  # noqa: E402
from alife.rules.vitca.metrics import psnr, ssim  # noqa: E402
from alife.rules.vitca.train_loop import (  # noqa: E402
    LoopConfig,
    eval_set,
    evaluate_ca,
    make_train_step,
    new_pool,
    optimizer,
)
from alife.rules.vitca.training import training_settings  # noqa: E402


def scene_settings() -> tuple[dict, LoopConfig]:
    import yaml

    scene = yaml.safe_load((ROOT / "scenes/vitca/digits.yaml").read_text())
    cfg, _ = training_settings(scene["training"])
    return scene["rule"]["config"], cfg


def scaled(cfg: LoopConfig, iterations: int) -> LoopConfig:
    """The same recipe over `iterations`, with the mask curriculum scaled to fit."""
    f = iterations / cfg.iterations
    return LoopConfig(**{**cfg.as_dict(), "iterations": iterations,
                         "unlock_start": int(cfg.unlock_start * f),
                         "unlock_end": max(int(cfg.unlock_end * f), 1), "eval_every": 0})


def train_nca(cfg: LoopConfig, train: np.ndarray, mlp: int, hidden: int, log) -> tuple:
    cells = 1 + 1 + hidden
    update_fn, weights = conv_nca(cells, 1 + hidden, mlp, seed=cfg.seed)
    step = make_train_step(update_fn, cfg, jnp.asarray(train), 1, hidden)
    opt_state = optimizer(cfg).init(weights)
    key = jax.random.PRNGKey(cfg.seed)
    k_pool, key = jax.random.split(key)
    pool = new_pool(k_pool, jnp.asarray(train), cfg, 1, hidden)
    t0 = time.time()
    for i in range(cfg.iterations):
        key, sub = jax.random.split(key)
        weights, opt_state, pool, info = step(weights, opt_state, pool, jnp.asarray(i), sub)
        if (i + 1) % 50 == 0:
            log(f"nca it {i + 1} loss {float(info['loss']):.4f} psnr {float(info['psnr']):.2f} "
                f"({time.time() - t0:.0f} s)")
    return update_fn, weights


def report(name: str, out: np.ndarray, clean: np.ndarray, sides: np.ndarray) -> dict:
    p = np.asarray(psnr(out, clean))
    s = np.asarray(ssim(out, clean))
    row = {"psnr": float(p.mean()), "ssim": float(s.mean())}
    for side in masks.SIDES:
        sel = sides == side
        row[f"psnr_side{side}"] = float(p[sel].mean())
        row[f"ssim_side{side}"] = float(s[sel].mean())
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nca-iters", type=int, default=500)
    ap.add_argument("--unet-iters", type=int, default=2000)
    ap.add_argument("--nca-mlp", type=int, default=128)
    ap.add_argument("--weights", default=str(ROOT / "assets/weights/vitca_digits.npz"))
    ap.add_argument("--vitca-iters", type=int, default=None,
                    help="iterations the shipped weights were trained for (report only)")
    ap.add_argument("--steps", type=int, nargs="+", default=None,
                    help="CA steps at evaluation (default: training steps and twice that)")
    ap.add_argument("--cache", default=str(ROOT / "runs/vitca_bench"))
    ap.add_argument("--train-only", action="store_true", help="train/cache baselines and stop")
    args = ap.parse_args()
    log = lambda msg: print(msg, file=sys.stderr, flush=True)

    rule_cfg, cfg = scene_settings()
    hidden = int(rule_cfg.get("hidden", 16))
    train, test = digits_split(cfg.size)
    clean, masked = eval_set(test)
    clean_np = np.asarray(clean)
    sides = np.asarray([masks.CONFIGS[i % len(masks.CONFIGS)][0] for i in range(len(test))])
    steps_list = args.steps or [cfg.steps, 2 * cfg.steps]
    cache = Path(args.cache)

    # ---- baselines (trained or cached) ---------------------------------------------------
    nca_cfg = scaled(cfg, args.nca_iters)
    nca_fn, nca_w = conv_nca(2 + hidden, 1 + hidden, args.nca_mlp)
    nca_file = cache / f"nca_{args.nca_iters}.npz"
    if nca_file.exists():
        nca_w = load_tree(nca_file, nca_w)
    else:
        log(f"training conv NCA for {args.nca_iters} iterations")
        nca_fn, nca_w = train_nca(nca_cfg, train, args.nca_mlp, hidden, log)
        save_tree(nca_file, nca_w)
    unet_cfg = scaled(cfg, args.unet_iters)
    unet_fn, unet_w = unet(1)
    unet_file = cache / f"unet_{args.unet_iters}.npz"
    if unet_file.exists():
        unet_w = load_tree(unet_file, unet_w)
    else:
        log(f"training U-Net for {args.unet_iters} iterations")
        unet_w = train_unet(unet_fn, unet_w, jnp.asarray(train), unet_cfg, log=log)
        save_tree(unet_file, unet_w)
    if args.train_only:
        return 0

    # ---- ViTCA -----------------------------------------------------------------------------
    rule = ViTCARule(**{**rule_cfg, "width": cfg.size, "height": cfg.size,
                        "weights": args.weights})
    vit_w = rule.default_params().weights
    vit_fn = lambda w, x: model.apply(rule.graphdef, w, x)

    rows = {"masked input": report("masked", np.asarray(masked), clean_np, sides)}
    counts = {"masked input": 0, "ViTCA": model.count_params(vit_w),
              "conv NCA": model.count_params(nca_w), "U-Net": model.count_params(unet_w)}
    iters = {"masked input": "-", "ViTCA": str(args.vitca_iters or cfg.iterations),
             "conv NCA": str(args.nca_iters), "U-Net": str(args.unet_iters)}
    for steps in steps_list:
        for name, fn, w in (("ViTCA", vit_fn, vit_w), ("conv NCA", nca_fn, nca_w)):
            t0 = time.time()
            res = evaluate_ca(fn, w, clean, masked, steps, 1, hidden, cfg.fire_rate)
            label = f"{name} ({steps} steps)"
            rows[label] = report(label, res["output"], clean_np, sides)
            counts[label], iters[label] = counts[name], iters[name]
            log(f"evaluated {label} in {time.time() - t0:.0f} s")
    out = np.concatenate([np.asarray(unet_fn(unet_w, masked[i:i + 99]))
                          for i in range(0, len(test), 99)])
    rows["U-Net"] = report("U-Net", out, clean_np, sides)

    print(f"held-out digits: {len(test)} images {cfg.size}x{cfg.size}, masks: sides "
          f"{masks.SIDES} x probs {masks.PROBS} (image i gets config i mod 9)")
    head = f"{'model':<22}{'params':>8}{'iters':>7}{'PSNR':>8}{'SSIM':>8}" + "".join(
        f"{'PSNR s=' + str(s):>10}" for s in masks.SIDES)
    print(head)
    for name, r in rows.items():
        print(f"{name:<22}{counts[name]:>8}{iters[name]:>7}{r['psnr']:>8.2f}{r['ssim']:>8.3f}"
              + "".join(f"{r[f'psnr_side{s}']:>10.2f}" for s in masks.SIDES))
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "quality.json").write_text(json.dumps({"rows": rows, "params": counts,
                                                    "iterations": iters}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
