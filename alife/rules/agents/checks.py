"""The agents family's config checks: types, ranges and the size of the step's work arrays,
from the config alone (no allocation, no I/O), so a bad value is one `AlifeError` naming its key.

The step's largest arrays are the neighbour queries (slots x 9 buckets x `bucket_capacity`
candidates), the observation's pairwise views (slots x 4 x (`view_agents` + 2)^2) and the
bucket table (buckets x `bucket_capacity`); each must stay under `MAX_ELEMENTS`.
"""

from __future__ import annotations

from alife.core.argcheck import check_float, check_int
from alife.core.errors import AlifeError

#: the most elements one of the step's work arrays may have (1 GiB of float32)
MAX_ELEMENTS = 2**28

#: (low, high) of each integer key
INT_RANGES: dict[str, tuple[int, int]] = {
    "width": (4, 65536), "height": (4, 65536), "agents": (1, 2**20), "robots": (1, 2**16),
    "perlin_res": (1, 4096), "view_agents": (1, 256), "view_robots": (0, 64),
    "bucket_capacity": (1, 4096), "max_births": (0, 2**16), "robot_substeps": (0, 64),
    "log_size": (1, 2**24),
}


def check_config(values: dict[str, object]) -> dict[str, float | int]:
    """The numeric config keys checked and normalised (ints as int, floats as float)."""
    out: dict[str, float | int] = {}
    for key, (low, high) in INT_RANGES.items():
        out[key] = check_int(values[key], key, low, high)
    out["start"] = check_int(values["start"], "start", 0, int(out["agents"]))
    out["view_radius"] = check_float(values["view_radius"], "view_radius", above=0,
                                     high=float(max(out["width"], out["height"])))
    out["cell_size"] = check_float(values["cell_size"], "cell_size", above=0, high=1e6)
    slots, bucket = int(out["agents"]), int(out["bucket_capacity"])
    view = int(out["view_agents"]) + int(out["view_robots"])
    radius = max(float(out["view_radius"]), 1e-6)
    buckets = max(1, int(out["height"] // radius)) * max(1, int(out["width"] // radius))
    work = {"bucket_capacity": (slots * 9 * bucket, "slots x 9 x bucket_capacity"),
            "view_agents": (slots * 4 * (view + 2) ** 2, "slots x 4 x (view + 2)^2"),
            "view_radius": (buckets * bucket, "buckets x bucket_capacity")}
    for key, (elements, what) in work.items():
        if elements > MAX_ELEMENTS:
            raise AlifeError(f"the step's {what} array would hold {elements:,} elements; "
                             f"expected at most {MAX_ELEMENTS:,} (smaller agents, "
                             f"bucket_capacity or view_agents, or a wider view_radius)",
                             where=key)
    return out
