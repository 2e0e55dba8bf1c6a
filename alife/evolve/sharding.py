"""Population sharding over a `jax.sharding` mesh, and multi-host start-up.

The population axis is split over every device of every process (`Mesh(jax.devices(), ("pop",))`),
padded to a multiple of the device count times the micro-batch (pad rows repeat the last
candidate and are dropped after evaluation); see `sharded_map` for why results do not depend on
the device count. The strategy state stays replicated: each process runs the same `ask`/`tell`
on its own first device, so all processes agree on the population, and the evaluation's output
is gathered (replicated) back to every process. Candidate keys are folded with the global
candidate index, so results do not depend on how many devices or hosts there are.

Multi-host (one process per host, as Brax and EvoJAX do): `initialize_distributed` calls
`jax.distributed.initialize(coordinator, num_processes, process_id)`, or with no arguments lets
JAX read a cluster scheduler's environment (a SLURM step of more than one task:
`SLURM_JOB_ID`, `SLURM_NTASKS` > 1, `SLURM_PROCID`, ...). Only process 0 writes files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P

from alife.core.errors import AlifeError

AXIS = "pop"


def initialize_distributed(coordinator: str | None, num_processes: int | None,
                           process_id: int | None) -> bool:
    """Join a multi-process run; True if one was started (explicitly or from SLURM's env)."""
    slurm = "SLURM_JOB_ID" in os.environ and int(os.environ.get("SLURM_NTASKS", "1")) > 1
    if coordinator is None and not slurm:
        if num_processes not in (None, 1) or process_id not in (None, 0):
            raise AlifeError("--num-processes/--process-id need --coordinator HOST:PORT")
        return False
    if coordinator is not None and (num_processes is None or process_id is None):
        raise AlifeError("--coordinator needs --num-processes and --process-id")
    kwargs: dict[str, Any] = {}
    if coordinator is not None:
        kwargs = {"coordinator_address": coordinator, "num_processes": int(num_processes),
                  "process_id": int(process_id)}
    jax.distributed.initialize(**kwargs)
    return True


def population_mesh(devices: list[Any] | None = None) -> Mesh:
    """A 1-D mesh named "pop" over `devices` (default: every device of every process)."""
    return Mesh(np.asarray(devices if devices is not None else jax.devices()), (AXIS,))


def padded_size(n: int, mesh: Mesh, micro: int = 1) -> int:
    """`n` rounded up to a multiple of (devices x micro-batch)."""
    d = mesh.devices.size * micro
    return -(-n // d) * d


def pad_rows(x: np.ndarray, size: int) -> np.ndarray:
    """`x` with its last row repeated up to `size` rows."""
    if x.shape[0] == size:
        return x
    extra = np.repeat(x[-1:], size - x.shape[0], axis=0)
    return np.concatenate([x, extra], axis=0)


def shard_rows(x: np.ndarray, mesh: Mesh) -> jax.Array:
    """A global array split by rows over the mesh, from the same host value on every process."""
    sharding = NamedSharding(mesh, P(AXIS))
    return jax.make_array_from_callback(x.shape, sharding, lambda idx: x[idx])


def replicate(tree: Any, mesh: Mesh) -> Any:
    """A pytree of host values as global arrays replicated on every device of the mesh."""
    sharding = NamedSharding(mesh, P())

    def one(x: Any) -> jax.Array:
        x = np.asarray(x)
        return jax.make_array_from_callback(x.shape, sharding, lambda idx: x[idx])

    return jax.tree_util.tree_map(one, tree)


def sharded_map(fn: Callable[..., jax.Array], mesh: Mesh, mapped: int = 2, shared: int = 0,
                micro: int = 1) -> Callable[..., jax.Array]:
    """`fn` over rows: the first `mapped` arguments split by rows over the mesh, the next
    `shared` ones (pytrees) replicated; the result is replicated on every process.

    Each device runs `lax.map` over chunks of `micro` rows, each chunk `vmap`ped: every row is
    computed by the same program at the same position in its chunk whatever the device count,
    so results are bit-identical on 1, 2, 4, 8 devices (XLA's float results may depend on the
    batch size). Row counts must be multiples of `devices * micro` (`padded_size`). With
    `micro=1` the rows are mapped one at a time through `fn` itself, not a `vmap` of one: the
    same program as a loop over rows, without batched gathers and scatters of size 1.
    """
    def local(*args: Any) -> jax.Array:
        rows, same = args[:mapped], args[mapped:]
        n = rows[0].shape[0]
        if micro == 1:
            return jax.lax.map(lambda xs: fn(*xs, *same), list(rows))
        chunks = [r.reshape((n // micro, micro) + r.shape[1:]) for r in rows]
        batched = jax.vmap(fn, in_axes=(0,) * mapped + (None,) * shared)
        out = jax.lax.map(lambda xs: batched(*xs, *same), chunks)
        return out.reshape((n,) + out.shape[2:])

    per_device = jax.shard_map(local, mesh=mesh, in_specs=(P(AXIS),) * mapped + (P(),) * shared,
                               out_specs=P(AXIS), check_vma=False)
    return jax.jit(per_device, out_shardings=NamedSharding(mesh, P()))


def evaluate_population(fn: Callable[..., jax.Array], mesh: Mesh, rows: list[np.ndarray],
                        shared: tuple = (), micro: int = 1) -> np.ndarray:
    """Run a `sharded_map` over host row arrays of equal length (padding added and removed),
    with `shared` global arrays (from `replicate`) as the remaining arguments."""
    n = rows[0].shape[0]
    size = padded_size(n, mesh, micro)
    args = [shard_rows(pad_rows(np.asarray(r), size), mesh) for r in rows]
    out = fn(*args, *shared)
    return np.asarray(jax.device_get(out))[:n]
