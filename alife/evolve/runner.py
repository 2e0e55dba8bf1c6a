"""The evolution runner: one generation per `iterate()`, the Trainer protocol of
`alife.core.trainer` (so `alife evolve`, `--resume` and the app's jobs drive it like training).

Generation g uses the key `fold_in(key, g)`, split into ask / evaluate / tell keys; candidate i is
evaluated with `task.candidate_key(eval_key, i)`. The population is evaluated by `jit(vmap(...))`
sharded over the device mesh (`alife.evolve.sharding`); the strategy state is replicated.
evosax minimises, so it is told the negated fitness; its state's `best_solution`/`best_fitness`
(raw, i.e. negated, fitness) are the best genome so far, read through `best_vector` and
`best_fitness`. A checkpoint holds that one state pytree, the key, the generation and the
generation of the best, so a resumed run is bit-identical to an uninterrupted one.

Row fields: step (generations done), fitness (best of the generation), mean, best_ever,
evals_per_s.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.fileio import arrays_to_tree, load_arrays, save_tree
from alife.evolve import sharding
from alife.evolve.settings import evolution_settings
from alife.evolve.strategies import Strategy, make_strategy
from alife.evolve.task import Task

_EVALUATORS: dict[tuple, Any] = {}

#: on a CPU, a chunk's world states are kept to about this many bytes (`default_micro`)
CPU_CHUNK_BYTES = 64 * 1024


def default_micro(population: int, state_bytes: int, platform: str) -> int:
    """Candidates per vmapped chunk when the scene does not set `micro_batch`.

    On a GPU (or TPU): ceil(population / 8), up to 8 devices without padding. On a CPU batching
    buys no arithmetic (each candidate's step is the same work, e.g. Lenia's two FFTs); it buys
    fewer per-op overheads, which matter for small worlds, while a chunk whose working set
    outgrows the caches streams every op from memory. Measured on this project's 2-core CPU
    (world-steps per CPU-second, `benchmarks/bench_evolve.py`): Lenia 128^2 (64 KiB of state per
    candidate) is fastest one candidate at a time, 8 per chunk ~20% slower; at 64^2 chunks of
    2-64 are 10-25% faster than one at a time, at 32^2 16 per chunk takes half the loop's CPU
    time. So on a CPU the chunk is the power of two nearest `CPU_CHUNK_BYTES / state_bytes`,
    between 1 and the population. Fixed by the population, the world's size and the platform,
    never by the device count, so results do not depend on how many devices there are
    (`alife.evolve.sharding`).
    """
    if platform != "cpu":
        return -(-population // 8)
    fit = CPU_CHUNK_BYTES / max(int(state_bytes), 1)
    power = 1 << max(0, round(float(np.log2(fit)))) if fit >= 1 else 1
    return int(max(1, min(population, power)))


def _evaluator(task: Task, mesh: Any, micro: int) -> Any:
    """The sharded population evaluation, one per (task, mesh): later runs reuse the compile."""
    key = task.cache_key() + (tuple(d.id for d in mesh.devices.flat), micro)
    if key not in _EVALUATORS:
        _EVALUATORS[key] = sharding.sharded_map(task.evaluate_one, mesh, mapped=2, shared=2,
                                                micro=micro)
    return _EVALUATORS[key]


def _tree_bytes(tree: Any) -> int:
    return sum(int(np.size(x)) * np.dtype(getattr(x, "dtype", np.float32)).itemsize
               for x in jax.tree_util.tree_leaves(tree))


class EvolutionRunner:
    """Evolves `task`'s genome with a named evosax strategy (see the module docstring)."""

    fields = ["step", "fitness", "mean", "best_ever", "evals_per_s"]
    progress_fields = ["fitness", "mean", "evals_per_s"]

    def __init__(self, world: Any, settings: dict[str, Any] | None = None,
                 mesh: Any = None) -> None:
        block = settings if settings is not None else world.extra.get("evolution")
        self.settings = evolution_settings(block, world.rule)
        self.world = world
        self.task = Task(world, self.settings)
        self.mesh = mesh if mesh is not None else sharding.population_mesh()
        genome = self.task.genome
        self.strategy: Strategy = make_strategy(
            self.settings["strategy"], int(self.settings["population"]), genome.size,
            genome.kind, self.settings)
        self.key = jax.random.PRNGKey(int(self.settings["seed"]))
        self.step = 0
        self.start_vector = np.asarray(genome.encode(world.params))
        self.best_generation = -1
        self.es_state: Any = None
        if not self.strategy.population_based:
            s = self.strategy
            self.es_state = s.es.init(jax.random.fold_in(self.key, 2**31 - 1),
                                      jnp.asarray(self.start_vector), s.params)
        #: rows per vmapped chunk (`default_micro` unless the scene sets micro_batch); never
        #: depends on the device count
        self.micro = int(self.settings.get("micro_batch") or default_micro(
            self.population, _tree_bytes(world.state), self.mesh.devices.flat[0].platform))
        self._evaluate = _evaluator(self.task, self.mesh, self.micro)
        self._shared = sharding.replicate((world.params, world.state), self.mesh)

    # ---- the Trainer protocol ----------------------------------------------------------------
    @property
    def iterations(self) -> int:
        return int(self.settings["generations"])

    @property
    def population(self) -> int:
        return int(self.settings["population"])

    @property
    def best_fitness(self) -> np.float32:
        """The best fitness so far (maximised; -inf before any generation), from evosax."""
        if self.es_state is None:
            return np.float32(-np.inf)
        return np.float32(-np.asarray(self.es_state.best_fitness))

    @property
    def best_vector(self) -> np.ndarray:
        """The best genome so far (the start's before any generation), from evosax."""
        if not np.isfinite(self.best_fitness):
            return self.start_vector.astype(np.float32)
        return np.asarray(self.es_state.best_solution, np.float32)

    def evaluate(self, vectors: np.ndarray, key: jax.Array) -> np.ndarray:
        """Fitness (maximised) of each row of `vectors` [P, D], evaluated under `key`."""
        n = vectors.shape[0]
        keys = np.asarray(jax.vmap(lambda i: self.task.candidate_key(key, i))(jnp.arange(n)))
        return sharding.evaluate_population(self._evaluate, self.mesh, [vectors, keys],
                                            self._shared, self.micro)

    def generation_keys(self, generation: int) -> jax.Array:
        """The (ask, evaluate, tell) keys of a generation: split of `fold_in(key, generation)`."""
        return jax.random.split(jax.random.fold_in(self.key, generation), 3)

    def eval_key(self, generation: int) -> jax.Array:
        """The key a generation's population is evaluated under (candidates fold in i)."""
        return self.generation_keys(generation)[1]

    def iterate(self) -> dict[str, Any]:
        s = self.strategy
        k_ask, k_eval, k_tell = self.generation_keys(self.step)
        best_before = self.best_fitness
        t0 = time.perf_counter()
        if self.es_state is None:  # a GA starts from an evaluated, mutated population
            noise = jax.random.normal(k_ask, (self.population, self.start_vector.size))
            pop = jnp.asarray(self.start_vector) + s.std_init * noise
            pop = pop.at[0].set(jnp.asarray(self.start_vector))
            fit = self.evaluate(np.asarray(pop), k_eval)
            self.es_state = s.es.init(k_tell, pop, jnp.asarray(-fit), s.params)
        else:
            pop, self.es_state = s.es.ask(k_ask, self.es_state, s.params)
            fit = self.evaluate(np.asarray(pop), k_eval)
            self.es_state, _ = s.es.tell(k_tell, pop, jnp.asarray(-fit), self.es_state, s.params)
        seconds = time.perf_counter() - t0
        best = int(np.argmax(fit))
        if self.best_fitness > best_before:
            self.best_generation = self.step
        self.step += 1
        return {"step": self.step, "fitness": float(fit[best]), "mean": float(np.mean(fit)),
                "best_ever": float(self.best_fitness),
                "evals_per_s": float(self.population / max(seconds, 1e-9))}

    def params(self) -> Any:
        """The best genome so far, as rule Params (the start's params before any generation)."""
        return self.task.params(jnp.asarray(self.best_vector))

    def save_weights(self, path: str | Path) -> None:
        save_tree(path, self.params())

    # ---- checkpoints ---------------------------------------------------------------------------
    def _es_template(self) -> Any:
        s = self.strategy
        vec = jnp.asarray(self.start_vector)
        if s.population_based:
            pop = jnp.zeros((self.population, vec.size), jnp.float32)
            shapes = jax.eval_shape(s.es.init, self.key, pop, jnp.zeros(self.population),
                                    s.params)
        else:
            shapes = jax.eval_shape(s.es.init, self.key, vec, s.params)
        return jax.tree_util.tree_map(lambda x: np.zeros(x.shape, x.dtype), shapes)

    def save_checkpoint(self, path: str | Path) -> None:
        tree: dict[str, Any] = {"key": self.key}
        if self.es_state is not None:
            tree["es"] = self.es_state
        save_tree(path, tree, step=np.asarray(self.step, np.int64),
                  best_generation=np.asarray(self.best_generation, np.int64),
                  genes=np.asarray(self.start_vector.size, np.int64),
                  strategy=np.asarray(self.strategy.name))

    def load_checkpoint(self, path: str | Path) -> None:
        arrays = load_arrays(path)
        names = ("__step", "__strategy", "__genes", "__best_generation")
        if any(n not in arrays or arrays[n].shape != () for n in names) or \
                any(arrays[n].dtype.kind not in "iu" for n in names if n != "__strategy"):
            raise AlifeError("not an evolution checkpoint (expected scalar step, strategy, genes "
                             "and best_generation)", where=str(path))
        strategy = str(arrays["__strategy"])[:40]
        if strategy != self.strategy.name or int(arrays["__genes"]) != self.start_vector.size:
            raise AlifeError(f"checkpoint of a {strategy} run with {int(arrays['__genes'])} "
                             f"genes; this run is {self.strategy.name} with "
                             f"{self.start_vector.size}", where=str(path))
        template: dict[str, Any] = {"key": self.key}
        if any(k.startswith("es/") for k in arrays):
            template["es"] = self._es_template()
        tree = arrays_to_tree(arrays, template, where=str(path))  # older "best" arrays ignored
        self.key = tree["key"]
        self.es_state = tree.get("es")
        self.step = int(arrays["__step"])
        self.best_generation = int(arrays["__best_generation"])
