"""Datasets of CA transitions for sequence models: batched on the engine, sharded, with a manifest.

Kinds (every sample i is drawn from its own key `fold_in(PRNGKey(seed), i)`, so a dataset is the
same whatever the shard or batch size, and shard j can be regenerated alone):

- `pairs`: a random start (each cell alive with probability rho), `burn_in` steps, then
  `successive` pairs (s_t, s_{t+k}), (s_{t+k}, s_{t+2k}), ... for any discrete rule with a cell
  grid and any topology (the rule's config says which). Density schedules: a fixed rho,
  `ramp` (rho = i / (N - 1) across the samples: LifeGPT's "broad entropy" set) or `uniform`
  (rho ~ U(0, 1) per sample).
- `windows` (1-D rules drawn as space-time diagrams, the `SpaceTime` capability): windows
  `[rows, width]` of one rule from random rows after `burn_in` steps (the training windows of
  Zhang et al. 2024: predict row t+1 from rows before it).

Shards are `.npz` files written deterministically (fixed zip timestamps), so equal data gives equal
bytes and equal SHA-256; binary grids are bit-packed along the last axis (`np.packbits`, 8 cells
a byte). `manifest.json` records the kind, family, rule config and text, topology, shapes, seed,
density, counts and each shard's file, first index, count and SHA-256. `load_shard` unpacks.
LifeGPT's text format and split live in `dataset_lifegpt`.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core import rollout
from alife.core.errors import AlifeError
from alife.core.fileio import atomic_write_bytes, atomic_write_text
from alife.core.rule import GridEditing, Rule, RuleText, SpaceTime
from alife.instruments.spacetime import frame

FORMAT = "alife-dataset"
VERSION = 1


def densities(schedule: str | float, start: int, n: int, total: int, key: jax.Array) -> jax.Array:
    """rho for samples start..start+n-1: a fixed value, `ramp` over `total`, or `uniform`."""
    index = jnp.arange(start, start + n)
    if schedule == "ramp":
        return index / max(total - 1, 1)
    if schedule == "uniform":
        return jax.vmap(lambda i: jax.random.uniform(jax.random.fold_in(key, i)))(index)
    try:
        rho = float(schedule)
    except (TypeError, ValueError):
        raise AlifeError(f"{schedule!r}; expected a density 0..1, 'ramp' or 'uniform'",
                         where="density") from None
    if not 0.0 <= rho <= 1.0:
        raise AlifeError(f"{rho}; expected a density 0..1, 'ramp' or 'uniform'", where="density")
    return jnp.full((n,), rho)


def _start(rule: Rule, params: Any, key: jax.Array, rho: jax.Array) -> Any:
    cells = rule.random_cells(jax.random.fold_in(key, 1), rho)  # type: ignore[attr-defined]
    return rule.with_cells(rule.init(key, params), cells)  # type: ignore[attr-defined]


@partial(jax.jit, static_argnums=(0, 4, 5, 6))
def _pairs(rule: Rule, params: Any, keys: jax.Array, rho: jax.Array, k: int, successive: int,
           burn_in: int) -> jax.Array:
    """uint8 [n, successive + 1, H, W]: s_0, s_k, ..., one row of states per sample
    (`SpaceTime` rules: [n, successive + 1, W], the current rows)."""
    def one(key: jax.Array, p: jax.Array) -> jax.Array:
        state = rollout.advance(rule, key, _start(rule, params, key, p), params, burn_in)

        def observe(s: Any, memo: None) -> tuple[jax.Array, None]:
            return frame(rule, s).astype(jnp.uint8), memo

        return rollout.record(rule, key, state, params, successive, k, observe, start=True)[1]

    return jax.vmap(one)(keys, rho)


@dataclass
class Spec:
    """What to generate. `kind` "pairs" or "windows"; `k` steps between paired states;
    `successive` pairs per start; `rows` window height (windows); `density` a float, "ramp" or
    "uniform"."""

    kind: str = "pairs"
    count: int = 1024
    seed: int = 0
    k: int = 1
    successive: int = 1
    burn_in: int = 0
    density: str | float = 0.5
    rows: int = 16
    shard_size: int = 4096
    batch: int = 512
    extra: dict[str, Any] = field(default_factory=dict)


def sample_keys(seed: int, start: int, n: int) -> jax.Array:
    base = jax.random.PRNGKey(seed)
    return jax.vmap(lambda i: jax.random.fold_in(base, i))(jnp.arange(start, start + n))


def generate(rule: Rule, params: Any, spec: Spec, start: int, n: int) -> dict[str, np.ndarray]:
    """Samples start..start+n-1 as host arrays: pairs give `x`, `y` `[n * successive, H, W]`
    (sample-major; `SpaceTime` rules: current rows `[n * successive, W]`); windows give `x`
    `[n, rows, width]`."""
    if not isinstance(rule, GridEditing) or int(rule.num_states) < 2:
        raise AlifeError(f"family {rule.family!r} has no discrete cell grid", where="rule")
    if spec.kind == "windows" and not isinstance(rule, SpaceTime):
        raise AlifeError(f"windows need a 1-D space-time rule; family {rule.family!r} is 2-D",
                         where="rule")
    out: list[np.ndarray] = []
    # one batch size per dataset (from its count and shard size, not from this call's n): every
    # shard of a dataset shares one compile
    size = min(spec.batch, 1 << max(min(spec.count, spec.shard_size, n) - 1, 0).bit_length())
    for lo in range(start, start + n, size):
        keys = sample_keys(spec.seed, lo, size)  # always a full batch (extra samples dropped)
        rho = densities(spec.density, lo, size, spec.count, jax.random.PRNGKey(spec.seed + 1))
        if spec.kind == "windows":
            chunk = np.asarray(_pairs(rule, params, keys, rho, 1, spec.rows - 1,
                                      spec.burn_in))  # the current row of each step
        else:
            chunk = np.asarray(_pairs(rule, params, keys, rho, spec.k, spec.successive,
                                      spec.burn_in))
        out.append(chunk[: min(size, start + n - lo)])
    states = np.concatenate(out)
    if spec.kind == "windows":
        return {"x": states}
    x = states[:, :-1].reshape((-1,) + states.shape[2:])
    y = states[:, 1:].reshape((-1,) + states.shape[2:])
    return {"x": x, "y": y}


# ---- files --------------------------------------------------------------------------------
def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An uncompressed-header, deflated `.npz` with fixed timestamps (same data, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def pack(arrays: dict[str, np.ndarray], binary: bool) -> dict[str, np.ndarray]:
    return {k: np.packbits(v, axis=-1) if binary else v for k, v in arrays.items()}


def rule_info(rule: Rule, params: Any) -> dict[str, Any]:
    text = rule.rule_text(params) if isinstance(rule, RuleText) else None
    config = rule.config()
    topology = config.get("topology", config.get("boundary"))
    return {"family": rule.family, "rule": text, "config": config, "topology": topology,
            "states": int(rule.num_states)}


def write(out: str | Path, rule: Rule, params: Any, spec: Spec,
          writer: Any = None) -> dict[str, Any]:
    """Generate and write every shard and `manifest.json` into folder `out`; the manifest."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AlifeError(f"cannot create the folder ({exc.strerror or exc})",
                         where=str(out)) from None
    binary = int(rule.num_states) == 2
    shards = []
    for j, lo in enumerate(range(0, spec.count, spec.shard_size)):
        n = min(spec.shard_size, spec.count - lo)
        arrays = generate(rule, params, spec, lo, n)
        if writer is None:
            name, data = f"shard-{j:05d}.npz", npz_bytes(pack(arrays, binary))
        else:
            name, data = writer(j, arrays)
        atomic_write_bytes(out / name, data)
        shards.append({"file": name, "first": lo, "count": n,
                       "sha256": hashlib.sha256(data).hexdigest()})
    shapes = {k: list(v.shape[1:]) for k, v in arrays.items()}
    manifest = {"format": FORMAT, "version": VERSION, "kind": spec.kind, **rule_info(rule, params),
                "shapes": shapes, "packed": binary and writer is None, "seed": spec.seed,
                "count": spec.count, "k": spec.k, "successive": spec.successive,
                "burn_in": spec.burn_in, "density": spec.density, "rows": spec.rows,
                "shard_size": spec.shard_size, "shards": shards, **spec.extra}
    atomic_write_text(out / "manifest.json", json.dumps(manifest, indent=1) + "\n")
    return manifest


def read_manifest(folder: str | Path) -> dict[str, Any]:
    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise AlifeError("no manifest.json; expected a folder written by alife dataset",
                         where=str(folder)) from None
    except json.JSONDecodeError as exc:
        raise AlifeError(f"not valid JSON ({exc})", where=str(path)) from None
    if manifest.get("format") != FORMAT:
        raise AlifeError(f"format {manifest.get('format')!r}; expected {FORMAT!r}",
                         where=str(path))
    return manifest


def load_shard(folder: str | Path, shard: dict[str, Any], manifest: dict[str, Any],
               verify: bool = True) -> dict[str, np.ndarray]:
    """One shard's arrays (unpacked to uint8 cells); checks its SHA-256 when `verify`."""
    path = Path(folder) / shard["file"]
    data = path.read_bytes()
    if verify and hashlib.sha256(data).hexdigest() != shard["sha256"]:
        raise AlifeError("SHA-256 differs from the manifest; the file changed", where=str(path))
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    if manifest.get("packed"):
        arrays = {k: np.unpackbits(v, axis=-1, count=manifest["shapes"][k][-1])
                  for k, v in arrays.items()}
    return arrays


def iterate(folder: str | Path, verify: bool = True) -> Iterator[dict[str, np.ndarray]]:
    """Every shard of a dataset folder in order."""
    manifest = read_manifest(folder)
    for shard in manifest["shards"]:
        yield load_shard(folder, shard, manifest, verify)
