"""Quality benchmark: a trained Growing NCA regrows after damage (Mordvintsev et al. 2020, fig. 7).

Loads a scene (default `scenes/nca/lizard.yaml`: its rule, weights and training target), grows
the pattern from the seed for `--grow` steps, measures the MSE of premultiplied RGBA to the
target (padded to the world size) over the whole grid, cuts a disc whose diameter is 40% of the
pattern's width (pattern = cells with alpha > 0.1) at the pattern's centre and at four points a
quarter-width off it, then runs 100 and 200 more steps and measures again. Averaged over
`--runs` random keys. Pass: after 200 steps the MSE is within 2x the pre-damage MSE. A control
runs the undamaged pattern 200 more steps (drift without damage).

Usage: python benchmarks/bench_nca_regrow.py [SCENE] [--grow 300] [--runs 4]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.rollout import run
from alife.rules.nca import NCAState
from alife.rules.nca.train_step import pad_target
from alife.rules.nca.training import load_target, training_settings
from alife.scene.io import load_scene


def mse(state: NCAState, target: jax.Array) -> float:
    return float(jnp.mean(jnp.square(state.x[..., :4] - target)))


def disc(shape: tuple[int, int], cy: float, cx: float, radius: float) -> jax.Array:
    ys, xs = np.mgrid[: shape[0], : shape[1]]
    return jnp.asarray((ys - cy) ** 2 + (xs - cx) ** 2 <= radius**2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scene", nargs="?", default="scenes/nca/lizard.yaml")
    ap.add_argument("--grow", type=int, default=300)
    ap.add_argument("--runs", type=int, default=4)
    a = ap.parse_args()
    world = load_scene(a.scene)
    rule, params = world.rule, world.params
    s = training_settings(world.extra.get("training"))
    target = load_target(Path(a.scene).parent / s["target"], s["target_size"])
    target = pad_target(jnp.asarray(target), *rule.shape)
    print(f"{a.scene}: {rule.describe()}, grow {a.grow} steps, {a.runs} runs x 5 cuts")
    rows, controls = [], []
    for r in range(a.runs):
        key = jax.random.PRNGKey(100 + r)
        grown = run(rule, key, rule.init(key, params), params, a.grow)
        alive = np.asarray(grown.x[..., 3] > 0.1)
        ys, xs = np.nonzero(alive)
        if len(xs) == 0:
            print(f"run {r}: nothing grew (MSE {mse(grown, target):.4f})")
            rows.append((mse(grown, target), np.inf, np.inf))
            controls.append(np.inf)
            continue
        width = xs.max() - xs.min() + 1
        cy, cx = (ys.min() + ys.max()) / 2, (xs.min() + xs.max()) / 2
        before = mse(grown, target)
        undamaged = mse(run(rule, jax.random.fold_in(key, 99), grown, params, 200), target)
        controls.append(undamaged)
        for k, (dy, dx) in enumerate([(0, 0), (-1, -1), (-1, 1), (1, -1), (1, 1)]):
            q = width / 4
            cut = rule.paint(grown, params, disc(rule.shape, cy + dy * q, cx + dx * q,
                                                 0.2 * width), jnp.asarray(-1.0))
            kk = jax.random.fold_in(key, k)
            after100 = run(rule, kk, cut, params, 100)
            after200 = run(rule, jax.random.fold_in(kk, 1), after100, params, 100)
            rows.append((before, mse(after100, target), mse(after200, target)))
            print(f"run {r} cut {k}: width {width} px; MSE before {before:.2e}, "
                  f"damaged {mse(cut, target):.2e}, +100 {rows[-1][1]:.2e}, "
                  f"+200 {rows[-1][2]:.2e}")
    b, m1, m2 = (float(np.mean([row[i] for row in rows])) for i in range(3))
    print(f"mean MSE: before {b:.2e}, after 100 steps {m1:.2e} ({m1 / b:.2f}x), "
          f"after 200 steps {m2:.2e} ({m2 / b:.2f}x); pass (<= 2x): {m2 <= 2 * b}")
    print(f"control, no damage, 200 more steps: MSE {float(np.mean(controls)):.2e}")


if __name__ == "__main__":
    main()
