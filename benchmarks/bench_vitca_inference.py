"""ViTCA inference speed and memory: gathered 3x3 attention vs a dense (HW)x(HW)-masked one.

Ours gathers each cell's 9 neighbours (memory linear in cells). The anchor is the dense-mask way
(full attention over all cells with a Moore-neighbourhood boolean mask), the approach of CAX's
attention-NCA example notebook (examples/48_attention_nca.ipynb in the CAX repository, built on
nnx.MultiHeadAttention with an [HW, HW] mask; cax 0.3.3 itself ships no ViTCA module, which this
script checks). We run the dense variant with OUR weights (same outputs, checked) where it fits,
and for larger grids report the memory XLA's compiler says it would need (compile only, nothing
is allocated).

    /work/venv/bin/python benchmarks/bench_vitca_inference.py [--steps 20]
"""

from __future__ import annotations

import argparse
import pkgutil
import resource
import sys
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alife.core.rollout import run  # noqa: E402
from alife.rules.vitca import ViTCARule, model  # noqa: E402

WEIGHTS = ROOT / "assets/weights/vitca_digits.npz"


def dense_masked_attention(q, k, v, heads):
    """Full attention over the zero-padded (H+2)(W+2) key grid with a 3x3-neighbourhood mask."""
    *lead, h, w, d = q.shape
    dh = d // heads
    pad = [(0, 0)] * len(lead) + [(1, 1), (1, 1), (0, 0)]
    kf = jnp.pad(k, pad).reshape(*lead, (h + 2) * (w + 2), heads, dh)
    vf = jnp.pad(v, pad).reshape(*lead, (h + 2) * (w + 2), heads, dh)
    qf = q.reshape(*lead, h * w, heads, dh)
    qi, qj = jnp.divmod(jnp.arange(h * w), w)
    ki, kj = jnp.divmod(jnp.arange((h + 2) * (w + 2)), w + 2)
    mask = (jnp.abs(qi[:, None] + 1 - ki[None]) <= 1) & (jnp.abs(qj[:, None] + 1 - kj[None]) <= 1)
    logits = jnp.einsum("...qhd,...khd->...hqk", qf, kf) / np.sqrt(dh)
    logits = jnp.where(mask, logits, -jnp.inf)
    out = jnp.einsum("...hqk,...khd->...qhd", jax.nn.softmax(logits, axis=-1), vf)
    return out.reshape(q.shape)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def compiled_bytes(fn, *args) -> int:
    mem = jax.jit(fn).lower(*args).compile().memory_analysis()
    return int(mem.temp_size_in_bytes + mem.argument_size_in_bytes + mem.output_size_in_bytes)


def setup(n: int):
    rule = ViTCARule(width=n, height=n, weights=str(WEIGHTS) if WEIGHTS.exists() else None)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    return rule, params, state


def steps_per_s(rule, params, state, steps: int) -> float:
    jax.block_until_ready(run(rule, jax.random.PRNGKey(1), state, params, steps))
    t0 = time.perf_counter()
    out = run(rule, jax.random.PRNGKey(2), state, params, steps)
    jax.block_until_ready(out)
    return steps / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--sizes", type=int, nargs="+", default=[64, 256])
    args = ap.parse_args()

    import cax

    names = [m.name for m in pkgutil.walk_packages(cax.__path__, "cax.")]
    vit = [m for m in names if "vit" in m.lower() or "attention" in m.lower()]
    version = getattr(cax, "__version__", "0.3.3")
    print(f"cax {version}: modules named vit/attention: {vit or 'none'}")
    print(f"device: {jax.devices()[0].device_kind}; weights: "
          f"{'shipped' if WEIGHTS.exists() else 'untrained'}; {args.steps} steps per timing")

    local = model.local_attention
    for n in args.sizes:
        rule, params, state = setup(n)
        key = jax.random.PRNGKey(0)
        ours = steps_per_s(rule, params, state, args.steps)
        ours_mem = compiled_bytes(rule.step, key, state, params)
        ours_cells = jax.jit(rule.step)(key, state, params).cells
        print(f"{n}x{n} ours : {ours:8.2f} steps/s  {ours * n * n:.3e} cell-updates/s  "
              f"step memory (compiled) {ours_mem / 2**20:8.1f} MiB  max RSS {rss_mb():.0f} MiB")
        model.local_attention = dense_masked_attention
        try:
            dense_rule, _, _ = setup(n)  # a new instance: a fresh trace with the dense attention
            dense_mem = compiled_bytes(dense_rule.step, key, state, params)
            line = f"{n}x{n} dense: step memory (compiled) {dense_mem / 2**20:8.1f} MiB " \
                   f"({dense_mem / ours_mem:.0f}x ours)"
            if dense_mem < 4 * 2**30:
                dense = steps_per_s(dense_rule, params, state, args.steps)
                a = jax.jit(dense_rule.step)(key, state, params).cells
                b = ours_cells
                line += f"  {dense:8.2f} steps/s (ours/dense = {ours / dense:.1f}x), " \
                        f"max |diff| {float(jnp.max(jnp.abs(a - b))):.1e}"
            else:
                line += "  -> not run: exceeds this machine's memory budget"
            print(line)
        except Exception as exc:  # noqa: BLE001 - report whatever stops the dense variant
            print(f"{n}x{n} dense: cannot compile/run ({type(exc).__name__}: {str(exc)[:120]})")
        finally:
            model.local_attention = local
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
