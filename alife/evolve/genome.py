"""Genomes: a flat float vector <-> a rule's Params, for evolution strategies.

Three kinds (the scene's `evolution.genome.kind`):

- `sliders` (continuous rules such as Lenia): the float params declared with `types.param`,
  each scaled to [0, 1] by its slider range (`rule.param_specs()`); decoding clips to the range,
  so every candidate is a valid world. `genes:` may name a subset or give explicit bounds
  (`genes: {mu: [0.1, 0.3], peaks: [0, 1]}`, array params too).
- `weights` (neural CAs): every float array that is not a slider, raw and unbounded;
  `rows: {programs: 1}` keeps only the first rows of a field in the genome (Biomaker's initial
  program: row 0 of the program bank, the one the seed runs).
- `tables` (Life-like rules): every bool array (birth/survival tables) as 0/1 floats; a gene is
  on when > 0.5. Evolved with a GA (mutation flips genes whose noise crosses the threshold).
  `birth[0]` (B0) stays off unless `allow_b0: true`.

`encode(params) -> [D]` and `decode(vector, base) -> Params` are pure and jit/vmap-able; genes
not in the genome keep `base`'s values.

Mutation sizes for interactive evolution (the app's Evolve panel) are per gene group, in the
gene's own units: `default_mutation(params)` gives a slider a step of 2% of its value (at least
0.5% of its range: Lenia's creatures live in a band of (mu, sigma) a few percent wide), a weights
group 1% of its RMS, and a table a flip probability of 1 / (2 x its size) (half an entry flips on
average); `mutation_scale(sizes)` turns such sizes into the per-entry scale in genome space.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import jax.numpy as jnp
import numpy as np

from alife.core.config import as_dict, parse_block, setting
from alife.core.errors import AlifeError, unknown_name
from alife.core.rule import Params, Rule, StartDependsOnParams

KINDS = ("sliders", "weights", "tables")
#: default mutation sizes (module docstring): of a slider's value, its range, a group's RMS
SLIDER_STEP, SLIDER_FLOOR, WEIGHT_STEP = 0.02, 0.005, 0.01


@dataclass(frozen=True)
class GenomeSettings:
    """The `evolution.genome` block (module docstring)."""

    kind: str | None = setting(None, choices=KINDS,
                               doc="sliders, weights or tables (default by the params' types)")
    genes: list[str] | dict[str, list[float]] | None = setting(
        None, doc="params in the genome: a list of names, or name: [low, high] bounds")
    rows: dict[str, int] = setting({}, low=1, doc="weights: keep only the first rows of a "
                                                  "field (e.g. {programs: 1})")
    allow_b0: bool = setting(False, doc="tables: let birth[0] (B0) evolve")


@dataclass(frozen=True)
class Gene:
    """One params field in the genome: its name, shape, and bounds (None: unbounded)."""

    name: str
    shape: tuple[int, ...]
    low: float | None = None
    high: float | None = None
    rows: int | None = None  # only the first `rows` rows of the field (e.g. one program)

    @property
    def size(self) -> int:
        shape = self.shape if self.rows is None else (self.rows,) + self.shape[1:]
        return int(np.prod(shape, dtype=np.int64))


class Genome:
    """Maps params <-> flat float32 vectors (see the module docstring)."""

    def __init__(self, kind: str, genes: list[Gene], allow_b0: bool = False) -> None:
        if kind not in KINDS:
            raise AlifeError(f"unknown genome kind {kind!r}; expected one of {list(KINDS)}",
                             where="evolution.genome.kind")
        if not genes:
            raise AlifeError(f"the {kind} genome of this rule has no genes",
                             where="evolution.genome")
        self.kind, self.genes, self.allow_b0 = kind, list(genes), bool(allow_b0)

    @property
    def size(self) -> int:
        return sum(g.size for g in self.genes)

    @property
    def discrete(self) -> bool:
        return self.kind == "tables"

    def encode(self, params: Params) -> jnp.ndarray:
        parts = []
        for g in self.genes:
            v = jnp.asarray(getattr(params, g.name), jnp.float32)
            v = (v if g.rows is None else v[:g.rows]).reshape(-1)
            if g.low is not None and g.high is not None:
                v = (v - g.low) / (g.high - g.low)
            parts.append(v)
        return jnp.concatenate(parts).astype(jnp.float32)

    def decode(self, vector: jnp.ndarray, base: Params) -> Params:
        values: dict[str, Any] = {}
        offset = 0
        for g in self.genes:
            shape = g.shape if g.rows is None else (g.rows,) + g.shape[1:]
            v = vector[offset:offset + g.size].reshape(shape)
            offset += g.size
            old = jnp.asarray(getattr(base, g.name))
            if self.kind == "tables":
                on = v > 0.5
                if g.name == "birth" and not self.allow_b0 and on.ndim == 1:
                    on = on.at[0].set(False)
                values[g.name] = on.astype(old.dtype)
            else:
                if g.low is not None and g.high is not None:
                    v = g.low + jnp.clip(v, 0.0, 1.0) * (g.high - g.low)
                v = v.astype(old.dtype)
                values[g.name] = v if g.rows is None else old.at[:g.rows].set(v)
        return dataclasses.replace(base, **values)

    def describe(self) -> str:
        return f"{self.kind} genome, {self.size} genes ({', '.join(g.name for g in self.genes)})"

    # ---- mutation sizes per gene group (interactive evolution) -----------------------------
    def default_mutation(self, params: Params) -> dict[str, float]:
        """Each gene group's default mutation size in its own units (module docstring): a
        slider's step, a weights group's standard deviation, a table's flip probability."""
        sizes: dict[str, float] = {}
        rms_all = []
        for g in self.genes:
            v = np.asarray(getattr(params, g.name), np.float64)
            v = (v if g.rows is None else v[:g.rows]).reshape(-1)
            if self.kind == "tables":
                sizes[g.name] = 1.0 / (2.0 * max(g.size, 1))
            elif g.low is not None and g.high is not None:
                span = g.high - g.low
                sizes[g.name] = max(SLIDER_STEP * float(np.mean(np.abs(v))), SLIDER_FLOOR * span)
            else:
                rms = float(np.sqrt(np.mean(v ** 2))) if v.size else 0.0
                rms_all.append(rms)
                sizes[g.name] = WEIGHT_STEP * rms
        floor = 0.2 * WEIGHT_STEP * max(rms_all) if rms_all and max(rms_all) > 0 else 0.02
        for g in self.genes:  # an all-zero weights group (fresh biases) still mutates
            if self.kind == "weights" and sizes[g.name] <= 0:
                sizes[g.name] = floor
        return sizes

    def mutation_scale(self, sizes: dict[str, float]) -> np.ndarray:
        """Per-entry mutation scale `[D]` in genome space for gene-unit `sizes` (a slider's
        step divided by its range; tables: the flip probability)."""
        parts = []
        for g in self.genes:
            size = float(sizes[g.name])
            if self.kind != "tables" and g.low is not None and g.high is not None:
                size /= g.high - g.low
            parts.append(np.full(g.size, size, np.float32))
        return np.concatenate(parts)


def _field_names(params: Params) -> list[str]:
    return [f.name for f in dataclasses.fields(params)] if dataclasses.is_dataclass(params) \
        else []


def build_genome(rule: Rule, params: Params, block: dict[str, Any] | None) -> Genome:
    """The genome an `evolution.genome` block describes (kind defaults by the params' types)."""
    block = as_dict(parse_block(GenomeSettings, block, "evolution.genome"))
    names = _field_names(params)
    specs = {s.name: s for s in rule.param_specs()}
    arrays = {n: np.asarray(getattr(params, n)) for n in names
              if hasattr(getattr(params, n), "shape")}
    kind = block.get("kind")
    if kind is None:
        if any(a.dtype == bool for a in arrays.values()):
            kind = "tables"
        elif any(a.size > 1 and n not in specs for n, a in arrays.items()):
            kind = "weights"
        else:
            kind = "sliders"
    wanted = block.get("genes")
    if wanted is not None and not isinstance(wanted, (list, dict)):
        raise AlifeError(f"genes must be a list of names or a mapping name: [low, high]; "
                         f"got {wanted!r}", where="evolution.genome.genes")
    for n in (wanted or []):
        if n not in arrays:
            raise AlifeError(unknown_name("gene", n, arrays), where="evolution.genome.genes")
    for n in (block.get("rows") or {}):
        if n not in arrays:
            raise AlifeError(unknown_name("param", n, arrays), where=f"evolution.genome.rows.{n}")
    genes: list[Gene] = []
    for n, a in arrays.items():
        if wanted is not None and n not in wanted:
            continue
        if kind == "tables":
            if a.dtype == bool:
                genes.append(Gene(n, a.shape))
        elif kind == "weights":
            if np.issubdtype(a.dtype, np.floating) and n not in specs:
                rows = (block.get("rows") or {}).get(n)
                if rows is not None and not (a.ndim >= 1 and 1 <= int(rows) <= a.shape[0]):
                    raise AlifeError(f"rows {rows!r} for {n!r} of shape {list(a.shape)}",
                                     where=f"evolution.genome.rows.{n}")
                genes.append(Gene(n, a.shape, rows=None if rows is None else int(rows)))
        elif isinstance(wanted, dict):
            bounds = wanted[n]
            if not (isinstance(bounds, list) and len(bounds) == 2 and bounds[1] > bounds[0]):
                raise AlifeError(f"gene {n!r} needs bounds [low, high] with low < high, got "
                                 f"{bounds!r}", where=f"evolution.genome.genes.{n}")
            genes.append(Gene(n, a.shape, float(bounds[0]), float(bounds[1])))
        elif n in specs and not specs[n].integer and np.issubdtype(a.dtype, np.floating):
            genes.append(Gene(n, a.shape, float(specs[n].low), float(specs[n].high)))
    return Genome(kind, genes, allow_b0=bool(block.get("allow_b0", False)))


def start_depends_on_genome(rule: Rule, key: Any, params: Params, genome: Genome,
                            sigma: float = 0.1) -> bool:
    """Whether `rule.init` builds a different start for a mutant of `params` (Biomaker plants
    the seed's program from params): such tasks must start each candidate from its own init.

    A rule that declares it (`StartDependsOnParams`) answers at once; for others, one mutant's
    init is compared with the base's."""
    if isinstance(rule, StartDependsOnParams):
        return True
    import jax

    vec = genome.encode(params)
    noise = jax.random.normal(jax.random.PRNGKey(1), vec.shape)
    mutant = genome.decode(1.0 - vec if genome.discrete else vec + sigma * noise, params)
    init = jax.jit(rule.init)
    a, b = init(key, params), init(key, mutant)
    return not all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in
                   zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True))
