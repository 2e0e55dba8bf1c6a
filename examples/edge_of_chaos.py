"""The Edge-of-Chaos experiment in miniature: next-row predictors trained on elementary rules.

Zhang et al. 2024 ("Intelligence at the Edge of Chaos") train one model per elementary rule to
predict the next row and compare rules of Wolfram's classes I-IV. Here, for each rule:

1. export a dataset with alife (`alife.instruments.dataset`: space-time windows from random rows,
   periodic boundary, written as shards with a manifest, exactly what `alife dataset windows`
   writes) and read it back from the files;
2. estimate the rule's class with alife's instruments (`alife measure`'s criteria);
3. train a tiny MLP (Flax NNX + optax) that sees `--context` rows and predicts the next one;
4. report held-out cell accuracy and whole-row accuracy, then their mean per class.

The MLP sees the whole row at once (no built-in locality), so simple rules are learned at once and
random-looking ones are hard; the paper's point (class IV-like training helps downstream
reasoning) needs large models and is not reproduced here.

    python examples/edge_of_chaos.py                  # about two minutes on a laptop CPU
    python examples/edge_of_chaos.py --steps 20 --count 64 --rules 4,30   # seconds
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from alife.instruments import dataset
from alife.instruments.table import measure_rules
from alife.rules.elementary import ElementaryRule

DEFAULT_RULES = "8,32,4,108,30,45,54,110"


class NextRow(nnx.Module):
    """context rows [B, C, W] -> logits of the next row [B, W]."""

    def __init__(self, context: int, width: int, hidden: int, rngs: nnx.Rngs) -> None:
        self.hidden = nnx.Linear(context * width, hidden, rngs=rngs)
        self.out = nnx.Linear(hidden, width, rngs=rngs)

    def __call__(self, rows: jax.Array) -> jax.Array:
        h = nnx.gelu(self.hidden(rows.reshape(rows.shape[0], -1)))
        return self.out(h)


def export(folder: Path, number: int, args: argparse.Namespace) -> np.ndarray:
    """Write rule `number`'s windows to `folder` (shards + manifest); read them back."""
    rule = ElementaryRule(number, width=args.width, history=1, start="random")
    spec = dataset.Spec(kind="windows", count=args.count, rows=args.context + 1,
                        burn_in=args.burn_in, seed=number, shard_size=max(64, args.count // 4))
    dataset.write(folder, rule, rule.default_params(), spec)
    return np.concatenate([s["x"] for s in dataset.iterate(folder)])


def train_and_score(windows: np.ndarray, args: argparse.Namespace, seed: int) -> tuple[float,
                                                                                       float]:
    split = int(len(windows) * 0.8)
    x = jnp.asarray(windows[:, :-1], jnp.float32)
    y = jnp.asarray(windows[:, -1], jnp.float32)
    model = NextRow(args.context, args.width, args.hidden, nnx.Rngs(seed))
    optimizer = nnx.Optimizer(model, optax.adam(args.lr), wrt=nnx.Param)

    @nnx.jit
    def step(model: NextRow, optimizer: nnx.Optimizer, xb: jax.Array, yb: jax.Array) -> jax.Array:
        def loss_fn(m: NextRow) -> jax.Array:
            return optax.sigmoid_binary_cross_entropy(m(xb), yb).mean()

        loss, grads = nnx.value_and_grad(loss_fn)(model)
        optimizer.update(model, grads)
        return loss

    rng = np.random.default_rng(seed)
    for _ in range(args.steps):
        idx = rng.integers(0, split, min(args.batch, split))
        step(model, optimizer, x[idx], y[idx])
    guess = np.asarray(model(x[split:]) > 0)
    truth = np.asarray(y[split:]) > 0.5
    return float(np.mean(guess == truth)), float(np.mean(np.all(guess == truth, axis=1)))


def main(argv: list[str] | None = None) -> dict[int, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", default=DEFAULT_RULES, help="comma-separated rule numbers")
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--context", type=int, default=2, help="rows the model sees")
    parser.add_argument("--count", type=int, default=4096, help="windows per rule")
    parser.add_argument("--burn-in", type=int, default=64)
    parser.add_argument("--steps", type=int, default=1500, help="training steps per rule")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--out", help="dataset folder (default: a temporary one)")
    args = parser.parse_args(argv)
    rules = [int(r) for r in args.rules.split(",")]
    started = time.perf_counter()
    config = {"width": 224, "history": 1, "start": "random"}
    classes = {int(r["rule"]): r["class"] for r in measure_rules(
        "elementary", [str(n) for n in rules], config, steps=128, transient=256, starts=2)}
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.out or tmp)
        for n in rules:
            windows = export(root / f"rule{n}", n, args)
            cell, row = train_and_score(windows, args, seed=n)
            results[n] = {"class": classes[n], "cell_accuracy": cell, "row_accuracy": row}
            print(f"rule {n:3d}  class {classes[n]}  cell accuracy {cell:.3f}  "
                  f"row accuracy {row:.3f}", flush=True)
    print("per class (mean over its rules):")
    for c in sorted({r["class"] for r in results.values()}):
        members = [r for r in results.values() if r["class"] == c]
        cell = np.mean([r["cell_accuracy"] for r in members])
        row = np.mean([r["row_accuracy"] for r in members])
        print(f"  class {c}: {len(members)} rules, cell accuracy {cell:.3f}, "
              f"row accuracy {row:.3f}")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return results


if __name__ == "__main__":
    main()
