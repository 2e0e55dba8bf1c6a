"""Hostile input on the newer routes (issue 15): `alife evolve`, `measure`, `dataset`, `train`,
`render`, `view` at argument level, the multi-host flags, and the agents, Biomaker, Lenia, NCA
training and evolution configs. Every case ends in one line on stderr, exit status 2, no
traceback, within its alarm; the memory classes also run in fresh processes under an address-space
limit, where the peak (VmHWM) must stay far below what the request asked for.

The scene files live in tests/hostile/routes/; the resource budget (`alife.core.budget`), the
typed checks (`alife.core.argcheck`) and the one-line messages (`alife.core.errlog`) are tested
directly too.
"""

from __future__ import annotations

import math
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from alife.cli import main

ROOT = Path(__file__).resolve().parents[1]
ROUTES = ROOT / "tests" / "hostile" / "routes"
SECONDS = 30
HUGE = str(2**70)
LIFE_SOUPS = str(ROOT / "scenes" / "evolve" / "life_soups.yaml")
GUN = str(ROOT / "scenes" / "life" / "gosper_glider_gun.yaml")
LIZARD = str(ROOT / "scenes" / "nca" / "lizard.yaml")


def _alarm(signum, frame):
    raise TimeoutError(f"no answer within {SECONDS} s")


def _refused(capsys, argv: list[str], *words: str) -> str:
    """Run the CLI in-process under an alarm: exit 2, one short line, no traceback."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS)
    try:
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse
            status = exc.code
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    err = capsys.readouterr().err.strip()
    assert status == 2, (argv, err)
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert len(err) <= 400, err
    for word in words:
        assert word in err, err
    return err


# ---- argument level: every route's numbers --------------------------------------------------
EVOLVE = ["evolve", LIFE_SOUPS, "--generations", "1", "--quiet"]
ARGUMENTS = [
    # evolve
    (EVOLVE + ["--population", "100000000"], "--population"),
    (EVOLVE + ["--population", "0"], "--population"),
    (EVOLVE + ["--generations", HUGE], "--generations"),
    (EVOLVE + ["--seed", HUGE], "--seed"),
    (EVOLVE + ["--seed", "-5"], "--seed"),
    (EVOLVE + ["--checkpoint-every", "nan"], "finite"),
    (EVOLVE + ["--checkpoint-every", "inf"], "finite"),
    (EVOLVE + ["--checkpoint-every", "-1"], "--checkpoint-every"),
    (EVOLVE + ["--host-devices", "100000"], "--host-devices"),
    (EVOLVE + ["--host-devices", "0"], "--host-devices"),
    (EVOLVE + ["--host-devices", "4096"], "8 per CPU core"),
    (EVOLVE + ["--host-devices", "x"], "--host-devices"),
    # multi-host
    (EVOLVE + ["--coordinator", "localhost", "--num-processes", "2", "--process-id", "0"],
     "HOST:PORT"),
    (EVOLVE + ["--coordinator", "localhost:99999", "--num-processes", "2", "--process-id", "0"],
     "port"),
    (EVOLVE + ["--coordinator", ":1234", "--num-processes", "2", "--process-id", "0"],
     "HOST:PORT"),
    (EVOLVE + ["--coordinator", "h:1", "--num-processes", "2", "--process-id", "-1"],
     "--process-id"),
    (EVOLVE + ["--coordinator", "h:1", "--num-processes", "0", "--process-id", "0"],
     "--num-processes"),
    (EVOLVE + ["--coordinator", "h:1", "--num-processes", HUGE, "--process-id", "0"],
     "--num-processes"),
    (EVOLVE + ["--coordinator", "h:1", "--num-processes", "2", "--process-id", "2"],
     "--process-id"),
    (EVOLVE + ["--num-processes", "2", "--process-id", "1"], "--coordinator"),
    # measure
    (["measure", "--family", "elementary", "--rules", "110", "--steps", "1000000000000"],
     "--steps"),
    (["measure", "--family", "elementary", "--rules", "110", "--steps", HUGE], "--steps"),
    (["measure", "--family", "elementary", "--rules", "110", "--seed", HUGE], "--seed"),
    (["measure", "--family", "elementary", "--rules", "110", "--seed", "-1"], "--seed"),
    (["measure", "--family", "elementary", "--rules", "110", "--transient", HUGE],
     "--transient"),
    (["measure", "--family", "elementary", "--rules", "110", "--starts", "0"], "--starts"),
    (["measure", "--family", "elementary", "--rules", "110", "--width", "1e9"], "--width"),
    # dataset
    (["dataset", "pairs", "--out", "OUT", "--count", "1000000000000"], "--count"),
    (["dataset", "pairs", "--out", "OUT", "--count", "-4"], "--count"),
    (["dataset", "pairs", "--out", "OUT", "--k", "1000000000000"], "--k"),
    (["dataset", "pairs", "--out", "OUT", "--seed", HUGE], "--seed"),
    (["dataset", "pairs", "--out", "OUT", "--shard-size", "0"], "--shard-size"),
    (["dataset", "pairs", "--out", "OUT", "--burn-in", HUGE], "--burn-in"),
    (["dataset", "pairs", "--out", "OUT", "--density", "nan"], "--density"),
    (["dataset", "lifegpt", "--out", "OUT", "--train", "1000000000000"], "--train"),
    (["dataset", "lifegpt", "--out", "OUT", "--val", "-1"], "--val"),
    # train
    (["train", LIZARD, "--steps", "1000000000000"], "--steps"),
    (["train", LIZARD, "--steps", HUGE], "--steps"),
    (["train", LIZARD, "--steps", "0"], "--steps"),
    # render (argument level: refused before any GL context)
    (["render", GUN, "--out", "OUT.png", "--steps", HUGE], "--steps"),
    (["render", GUN, "--out", "OUT.png", "--steps", "-1"], "--steps"),
    (["render", GUN, "--out", "OUT.gif", "--every", HUGE], "--every"),
    (["render", GUN, "--out", "OUT.gif", "--every", "0"], "--every"),
    (["render", GUN, "--out", "OUT.gif", "--fps", "nan"], "--fps"),
    (["render", GUN, "--out", "OUT.gif", "--fps", "inf"], "--fps"),
    (["render", GUN, "--out", "OUT.gif", "--fps", "0"], "--fps"),
    # view (argument level)
    (["view", GUN, "--frames", HUGE], "--frames"),
    (["view", GUN, "--frames", "0"], "--frames"),
    (["view", GUN, "--frames", "1.5"], "--frames"),
]


@pytest.mark.parametrize("argv,word", ARGUMENTS,
                         ids=[" ".join(a[0][:1] + a[0][-2:])[:50] for a in ARGUMENTS])
def test_hostile_arguments(tmp_path, capsys, argv, word):
    argv = [str(tmp_path / a) if a.startswith("OUT") else a for a in argv]
    _refused(capsys, argv, word)
    assert not any(tmp_path.iterdir())  # nothing written


# ---- the resource budget on each route ------------------------------------------------------
BUDGET = [
    (["measure", "--family", "elementary", "--rules", "110", "--starts", "100000000"],
     "--starts"),
    (["measure", "--family", "elementary", "--rules", "110", "--width", "100000000"],
     "--size/--width"),
    (["measure", "--family", "life", "--rules", "B3/S23", "--size", "100000"], "--size/--width"),
    (["measure", "--family", "elementary", "--rules", "110", "--transient", "2000000000",
      "--starts", "1000"], "cell updates"),
    (["dataset", "pairs", "--out", "OUT", "--size", "100000"], "--size/--width"),
    (["dataset", "pairs", "--out", "OUT", "--size", "5000", "--shard-size", "100000"],
     "the limit is"),
    (["dataset", "windows", "--out", "OUT", "--width", "100000000", "--rows", "1000"],
     "the limit is"),
    (["evolve", str(ROUTES / "evolve_work_budget.yaml"), "--out", "OUT", "--quiet"],
     "evolution"),
]


@pytest.mark.parametrize("argv,word", BUDGET, ids=[" ".join(a[0][:2] + a[0][-2:])[:50]
                                                   for a in BUDGET])
def test_budget_refuses_before_allocating(tmp_path, capsys, argv, word):
    argv = [str(tmp_path / a) if a.startswith("OUT") else a for a in argv]
    err = _refused(capsys, argv, word)
    assert "needs" in err or "cell updates" in err
    assert not (tmp_path / "OUT").exists() or not any((tmp_path / "OUT").iterdir())


# ---- config files of each family and block --------------------------------------------------
CONFIGS = {
    "agents_view_agents.yaml": "view_agents", "agents_bucket_zero.yaml": "bucket_capacity",
    "agents_cell_size_zero.yaml": "cell_size", "agents_cell_size_nan.yaml": "cell_size",
    "agents_slots.yaml": "agents", "agents_start_over_slots.yaml": "start",
    "agents_narrow_view.yaml": "view_radius", "biomaker_seeds.yaml": "seeds",
    "biomaker_negative_seeds.yaml": "seeds", "biomaker_pool.yaml": "pool",
    "biomaker_agent_cap.yaml": "agent_cap", "biomaker_height.yaml": "height",
}  # lenia_fft.yaml fits this machine unlimited: it runs below under an address-space limit
EVOLUTION = {
    "evolve_micro_batch_zero.yaml": "micro_batch", "evolve_micro_batch_huge.yaml": "micro_batch",
    "evolve_lr_nan.yaml": "evolution.lr",
    "evolve_checkpoint_inf.yaml": "checkpoint_every_s", "evolve_seed_2_70.yaml": "seed",
    "evolve_negative_seed.yaml": "seed", "evolve_steps_1e12.yaml": "steps",
    "evolve_unknown_key.yaml": "stpes", "evolve_genome_rows_unknown.yaml": "no_such_param",
}
TRAINING = {
    "train_lr_nan.yaml": "lr", "train_lr_inf.yaml": "lr",
    "train_checkpoint_nan.yaml": "checkpoint_every_s", "train_batch_zero.yaml": "batch",
}


@pytest.mark.parametrize("name,word", sorted(CONFIGS.items()))
def test_family_configs(capsys, name, word):
    _refused(capsys, ["run", str(ROUTES / name), "--steps", "1", "-q"], name, word)


@pytest.mark.parametrize("name,word", sorted(EVOLUTION.items()))
def test_evolution_blocks(tmp_path, capsys, name, word):
    _refused(capsys, ["evolve", str(ROUTES / name), "--out", str(tmp_path / "o"), "--quiet"],
             name, word)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("name,word", sorted(TRAINING.items()))
def test_training_blocks(tmp_path, capsys, name, word):
    _refused(capsys, ["train", str(ROUTES / name), "--steps", "1", "--out",
                      str(tmp_path / "o"), "--quiet"], name, word)
    assert not (tmp_path / "o").exists()


# ---- messages: one line, at most ~300 characters, the rest in a log -------------------------
def test_long_messages_are_cut_and_logged(tmp_path, monkeypatch, capsys):
    from alife.core import errlog
    from alife.core.errors import AlifeError

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    detail = "raw bytes \x00\x01 PK\x03\x04 " * 600 + "\nsecond line"

    def boom(args):
        raise AlifeError(detail, where="model.npz")

    monkeypatch.setattr("alife.commands.info.main", boom)
    err = _refused(capsys, ["info"], "model.npz", "full message in")
    assert len(err) <= errlog.MAX_LINE
    log = Path(err.rsplit("full message in ", 1)[1].rstrip(")"))
    assert log.parent == tmp_path / "cache" / "alife" / "errors"
    assert "second line" in log.read_text()
    assert errlog.one_line("a\nb\tc") == "a b c"


def test_long_paths_are_shortened_so_the_value_stays_on_the_line(tmp_path, monkeypatch):
    """A message too long because of deep paths (a test's tmp folder, a network share) keeps the
    key and the bad value: paths shrink to `.../folder/file` before anything is cut."""
    from alife.core import errlog

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    deep = "/tmp/" + "/".join(f"folder-{i:02d}" for i in range(14))
    text = (f"alife sweep: error: {deep}/sweep.yaml: config 'strat': {deep}/evolve.yaml: "
            "--set evolution.strategy: unknown strategy `nope` (expected one of: "
            + ", ".join(f"strategy_{i}" for i in range(30)) + ")")
    line = errlog.one_line(text)
    assert len(line) <= errlog.MAX_LINE and "`nope`" in line and "'strat'" in line, line
    assert ".../folder-13/sweep.yaml" in line and deep not in line
    log = Path(line.rsplit("full message in ", 1)[1].rstrip(")"))
    assert log.read_text().strip() == text  # the log has the paths whole
    assert errlog.one_line("error: /a/b/c/d.yaml: bad") == "error: /a/b/c/d.yaml: bad"


def test_overflow_past_a_jitted_argument_is_one_line(capsys):
    """`alife run --steps 2^70` is refused by the run command's typed argument (int32 ceiling)
    before JAX sees it."""
    _refused(capsys, ["run", GUN, "--steps", HUGE, "-q"], "--steps", "expected an integer <=")


def test_long_usage_errors_are_cut(capsys):
    _refused(capsys, ["measure", "--family", "elementary", "--rules", "110", "--steps",
                      "9" * 2000], "--steps")


def test_out_of_memory_is_one_line(monkeypatch, capsys):
    def boom(args):
        raise MemoryError("Unable to allocate 1.91 GiB")

    monkeypatch.setattr("alife.commands.info.main", boom)
    _refused(capsys, ["info"], "out of memory", "expected smaller sizes")


def test_a_wrong_checkpoint_is_one_short_line(tmp_path):
    import numpy as np

    from alife.core.errors import AlifeError
    from alife.core.fileio import load_tree, save_tree

    template = {f"layer{i}": {"w": np.zeros(3), "b": np.zeros(1)} for i in range(400)}
    save_tree(tmp_path / "other.npz", {"x": np.zeros(2)})
    with pytest.raises(AlifeError) as caught:
        load_tree(tmp_path / "other.npz", template)
    assert len(str(caught.value)) < 300 and "800 arrays" in str(caught.value)
    bad = tmp_path / "corrupt.npz"  # a member whose .npy header is 8 KB of garbage
    import zipfile

    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("a.npy", b"\x93NUMPY\x01\x00" + (8000).to_bytes(2, "little") + b"\xff" * 8000)
    with pytest.raises(AlifeError) as caught:
        load_tree(bad, {"a": np.zeros(2)})
    assert len(str(caught.value)) < 300 and "\n" not in str(caught.value)


# ---- the budget and the typed checks themselves ---------------------------------------------
def test_budget_honours_rlimit_cgroup_and_available(tmp_path, monkeypatch):
    from alife.core import budget

    monkeypatch.setattr(budget, "_available", lambda: 8 << 30)
    monkeypatch.setattr(budget, "_address_space", lambda: None)
    monkeypatch.setattr(budget, "_CGROUP_FILES", (tmp_path / "memory.max",))
    (tmp_path / "memory.max").write_text("max\n")
    assert budget.memory_limit() == (4 << 30, "MemAvailable")
    (tmp_path / "memory.max").write_text("9223372036854771712\n")  # cgroup v1's "unlimited"
    assert budget.memory_limit() == (4 << 30, "MemAvailable")
    (tmp_path / "memory.max").write_text(f"{2 << 30}\n")
    assert budget.memory_limit() == (1 << 30, "cgroup")
    monkeypatch.setattr(budget, "_address_space", lambda: (768 << 20) + (1 << 30))
    assert budget.memory_limit() == (512 << 20, "RLIMIT_AS")
    from alife.core.errors import AlifeError

    with pytest.raises(AlifeError, match=r"--starts: .*needs about 1.0 GiB; the limit is "
                                         r"512.0 MiB \(half of RLIMIT_AS\)"):
        budget.require("--starts", 1 << 30, "the request")
    budget.require("--starts", 1 << 20, "the request")


def test_typed_checks():
    from alife.core.argcheck import check_float, check_host_port, check_int, check_regular_file
    from alife.core.errors import AlifeError

    assert check_int("12", "k", 1) == 12 and check_int(3.0, "k") == 3
    for bad in (True, 2**31, 2**70, 1.5, "x", None, math.nan):
        with pytest.raises(AlifeError, match="k: got"):
            check_int(bad, "k", 0)
    assert check_float("0.5", "f", 0, 1) == 0.5
    for bad in (math.nan, math.inf, "nan", 10**400, False, 2.0):
        with pytest.raises(AlifeError, match="f: got"):
            check_float(bad, "f", 0, 1)
    assert check_host_port("[::1]:80", "c") == "[::1]:80"
    for bad in ("host", "host:0", "host:65536", ":1", "host:x"):
        with pytest.raises(AlifeError):
            check_host_port(bad, "c")
    with pytest.raises(AlifeError, match="not a regular file"):
        check_regular_file("/dev/null", "f", 100)
    with pytest.raises(AlifeError, match="at most 10 bytes"):
        check_regular_file(__file__, "f", 10)


# ---- in fresh processes: exit 2 and a bounded peak under an address-space limit -------------
LIMIT = 3 << 30  # JAX's runtime reserves address space well beyond what it touches
FRESH = {
    "lenia_fft": ["run", str(ROUTES / "lenia_fft.yaml"), "--steps", "1", "-q"],
    "lenia_6000": ["run", str(ROOT / "scenes" / "lenia" / "orbium.yaml"), "--set",
                   "rule.config.width=6000", "--set", "rule.config.height=6000", "-q"],
    "measure_starts": ["measure", "--family", "elementary", "--rules", "110", "--starts",
                       "100000000", "-q"],
    "dataset_size": ["dataset", "pairs", "--out", "OUT", "--size", "5000", "-q"],
    "evolve_budget": ["evolve", str(ROUTES / "evolve_work_budget.yaml"), "--out", "OUT",
                      "--quiet"],
    "evolve_population": ["evolve", str(ROUTES / "evolve_small.yaml"), "--population",
                          "16777216", "--out", "OUT", "--quiet"],
    "agents_view": ["run", str(ROUTES / "agents_view_agents.yaml"), "--steps", "1", "-q"],
    "biomaker_pool": ["run", str(ROUTES / "biomaker_pool.yaml"), "--steps", "1", "-q"],
    "train_pool": ["train", str(ROUTES / "train_huge_pool.yaml"), "--steps", "1", "--out",
                   "OUT", "--quiet"],
}
SLOW_FRESH = {"lenia_6000", "train_pool", "biomaker_pool", "agents_view", "evolve_population"}


@pytest.mark.parametrize("label", [pytest.param(k, marks=pytest.mark.slow) if k in SLOW_FRESH
                                   else k for k in FRESH])
def test_memory_classes_in_fresh_processes(tmp_path, label):
    argv = [str(tmp_path / a) if a == "OUT" else a for a in FRESH[label]]
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))  # as a user would set it
        from alife.cli import main
        try:
            status = main({argv!r})
        except SystemExit as exc:
            status = exc.code
        with open("/proc/self/status") as f:
            peak = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
        print("RSS_KB", peak)
        sys.exit(status)
    """)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    err = done.stderr.strip()
    assert done.returncode == 2, err[-2000:]
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err[-2000:]
    rss_mb = int(done.stdout.split("RSS_KB")[1].split()[0]) / 1024
    assert rss_mb < 1024, (label, rss_mb)
    assert time.perf_counter() - started < 120


# ---- corrupt and wrong checkpoints on --resume (evolve, train) ------------------------------
def _checkpoints(folder: Path) -> dict[str, Path]:
    import os
    import zipfile

    import numpy as np

    made = {}
    for name in ("garbage", "wrong_tree", "step_array", "header_garbage"):
        (folder / name).mkdir()
        made[name] = folder / name
    (folder / "garbage" / "checkpoint.npz").write_bytes(b"PK\x03\x04" + os.urandom(8000))
    np.savez(folder / "wrong_tree" / "checkpoint.npz", __step=np.zeros((), np.int64),
             **{f"layer{i}": np.zeros(3) for i in range(500)})
    np.savez(folder / "step_array" / "checkpoint.npz", __step=np.zeros(3, np.int64),
             __strategy=np.asarray("ga"), __genes=np.zeros(3), __best_generation=np.zeros(()))
    with zipfile.ZipFile(folder / "header_garbage" / "checkpoint.npz", "w") as z:
        z.writestr("__step.npy", b"\x93NUMPY\x01\x00" + (8000).to_bytes(2, "little")
                   + bytes(range(256)) * 31 + b"(" * 64)
    return made


@pytest.mark.parametrize("route", ["evolve", "train"])
def test_corrupt_checkpoints_are_one_short_line(tmp_path, capsys, route):
    for name, folder in _checkpoints(tmp_path).items():
        if route == "evolve":
            argv = ["evolve", str(ROUTES / "evolve_small.yaml"), "--resume", "--out",
                    str(folder), "--quiet"]
        else:
            argv = ["train", str(ROUTES / "train_small.yaml"), "--resume", "--steps", "1",
                    "--out", str(folder), "--quiet"]
        err = _refused(capsys, argv, "checkpoint.npz")
        assert len(err) <= 300, (name, err)


def test_sane_requests_still_run(tmp_path, capsys):
    """The checks refuse what is hostile, not what is small and ordinary."""
    runs = [["evolve", str(ROUTES / "evolve_small.yaml"), "--out", str(tmp_path / "e"),
             "--quiet", "--seed", str(2**32 - 1), "--checkpoint-every", "0"],
            ["dataset", "pairs", "--out", str(tmp_path / "d"), "--size", "8", "--count", "4",
             "-q"],
            ["measure", "--family", "elementary", "--rules", "110", "--steps", "8", "--starts",
             "1", "--width", "32", "-q"]]
    for argv in runs:
        assert main(argv) == 0, (argv, capsys.readouterr().err)


@pytest.mark.parametrize("args", [
    ["--steps", str(2 ** 70)], ["--steps", "-1"], ["--seed", str(2 ** 40)], ["--zoom", "1000"],
    ["--every", "0"], ["--checkpoint-every-s", "nan"], ["--checkpoint-every-s", "inf"],
])
def test_run_arguments_are_checked(args, capsys):
    from alife.cli import main

    with pytest.raises(SystemExit) as done:
        main(["run", "scenes/life/gosper_glider_gun.yaml", "-q", *args])
    assert done.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and args[0] in err and "Traceback" not in err


def test_the_memory_check_counts_the_copies_a_family_declares(monkeypatch):
    """2048 agent slots on 256^2 (a 1.08 GB State) fit a 4 GiB budget: the agents step holds
    3 copies (`alife run` measured 1.90x, docs/agents.md); a family holding the default 12 would
    not, and is refused naming both figures."""
    from alife.core.errors import AlifeError
    from alife.rules.agents.rule import AgentsRule
    from alife.scene import limits

    monkeypatch.setattr(limits, "_available_bytes", lambda: 4 << 30)
    rule = AgentsRule(width=256, height=256, agents=2048, start=512)
    state_bytes = limits.check_memory(rule, rule.default_params(), "rule.config")
    assert 1.0e9 < state_bytes < 1.2e9 and 3 * state_bytes < 4 << 30 < 12 * state_bytes

    class HoldsTwelve(AgentsRule):
        step_copies = 12

    twelve = HoldsTwelve(width=256, height=256, agents=2048, start=512)
    with pytest.raises(AlifeError, match=r"needs about 12\.\d GiB to run \(12 x its 1\.\d GiB"):
        limits.check_memory(twelve, twelve.default_params(), "rule.config")
