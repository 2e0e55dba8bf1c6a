"""Hostile input through every route ends in one line, exit status 2, within seconds and bounded
memory: scene YAML, `--set`, a pattern path (direct and `--pattern`), a scene's pattern, `.npz`
sidecars (state and params), images, `alife view`, `alife render` and the app's Open.

The small files live in tests/hostile/ (`make_corpus.py` wrote them); the big ones (megabytes
of whitespace, a zip bomb declaring GiBs, a FIFO, a link to /dev/zero, a folder) are made here.
Each in-process call runs under an alarm, so a hang fails the test instead of stalling the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from alife.cli import main

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "hostile"
SECONDS = 30  # per call, on a shared 2-core machine (most take well under one)
LIFE = ("version: 1\nrule:\n  family: life\n  config: {rule: B3/S23, width: 32, height: 32}\n")
ELEMENTARY = "version: 1\nrule:\n  family: elementary\n  config: {rule: 110, width: 64}\n"

YAML_CASES = sorted(p.name for p in HOSTILE.glob("*.yaml"))
PATTERN_CASES = sorted(p.name for p in HOSTILE.glob("*.rle"))
NPZ_CASES = sorted(p.name for p in HOSTILE.glob("*.npz"))
IMAGE_CASES = sorted(p.name for p in HOSTILE.glob("*.png"))


def _alarm(signum, frame):
    raise TimeoutError(f"no answer within {SECONDS} s")


def _refused(capsys, argv: list[str], *words: str) -> str:
    """Run the CLI in-process: exit 2, one line on stderr, no traceback, quickly."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS)
    started = time.perf_counter()
    try:
        status = main(argv)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    seconds = time.perf_counter() - started
    err = capsys.readouterr().err.strip()
    assert status == 2, (argv, err)
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert seconds < SECONDS
    for word in words:
        assert word in err, err
    return err


# ---- the big and special files, made here ------------------------------------------------------
@pytest.fixture(scope="module")
def big(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    out: dict[str, Path] = {}
    out["whitespace_over_cap.yaml"] = folder / "whitespace_over_cap.yaml"
    out["whitespace_over_cap.yaml"].write_bytes(b" \n" * (3 << 20))
    out["whitespace.yaml"] = folder / "whitespace.yaml"
    out["whitespace.yaml"].write_bytes(b" " * (3 << 19) + b"\n")
    out["whitespace_then_keys.yaml"] = folder / "whitespace_then_keys.yaml"
    out["whitespace_then_keys.yaml"].write_bytes(b"#" + b" " * (3 << 19) + b"\nbogus: 1\n")
    out["whitespace.rle"] = folder / "whitespace.rle"
    out["whitespace.rle"].write_bytes(b" \n" * (4 << 20))
    out["over_cap.rle"] = folder / "over_cap.rle"
    out["over_cap.rle"].write_bytes(b"x = 1, y = 1\n" + b" " * (40 << 20))
    bomb = folder / "zip_bomb.npz"  # 4 GiB of zeros, declared; about 4 MiB on disk
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("data.npy", "w",
                                                                       force_zip64=True) as f:
        header = "{'descr': '|u1', 'fortran_order': False, 'shape': (4294967296,), }"
        header = header + " " * (118 - len(header)) + "\n"
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode())
        block = bytes(1 << 24)
        for _ in range(256):
            f.write(block)
    out["zip_bomb.npz"] = bomb
    fifo = folder / "fifo.rle"
    os.mkfifo(fifo)
    out["fifo.rle"] = fifo
    zero = folder / "zero.rle"
    zero.symlink_to("/dev/zero")
    out["zero.rle"] = zero
    (folder / "folder.rle").mkdir()
    out["folder.rle"] = folder / "folder.rle"
    for name in ("fifo", "zero", "folder"):  # the same specials under other suffixes
        for suffix in (".yaml", ".npz", ".png"):
            link = folder / f"{name}{suffix}"
            if name == "fifo":
                os.mkfifo(link)
            elif name == "zero":
                link.symlink_to("/dev/zero")
            else:
                link.mkdir()
            out[link.name] = link
    return out


def _scene(tmp_path: Path, text: str, name: str = "s.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# ---- scene files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", YAML_CASES)
def test_hostile_scene_files(capsys, name):
    _refused(capsys, ["run", str(HOSTILE / name), "--steps", "1", "-q"], name)


@pytest.mark.parametrize("name", ["whitespace_over_cap.yaml", "whitespace.yaml",
                                  "whitespace_then_keys.yaml", "fifo.yaml", "zero.yaml",
                                  "folder.yaml"])
def test_big_and_special_scene_files(capsys, big, name):
    _refused(capsys, ["run", str(big[name]), "--steps", "1", "-q"], name)


def test_scene_errors_say_what_was_wrong(capsys, big):
    assert "nested more than" in _refused(capsys, ["run", str(HOSTILE / "deep_flow.yaml")])
    assert "cycle" in _refused(capsys, ["run", str(HOSTILE / "alias_cycle.yaml")])
    assert "expands to more than" in _refused(capsys, ["run",
                                                       str(HOSTILE / "billion_laughs.yaml")])
    assert "expected an integer" in _refused(capsys, ["run",
                                                      str(HOSTILE / "bool_rule_number.yaml")])
    assert "got nan; expected a finite number" in _refused(
        capsys, ["run", str(HOSTILE / "nan_param.yaml")])
    assert "at most" in _refused(capsys, ["run", str(big["whitespace_over_cap.yaml"])])
    assert "FIFO" in _refused(capsys, ["run", str(big["fifo.yaml"])])
    assert "character device" in _refused(capsys, ["run", str(big["zero.yaml"])])


def test_list_marks_hostile_scenes_unreadable(tmp_path, capsys, big):
    import shutil

    for name in ("deep_flow.yaml", "billion_laughs.yaml", "alias_cycle.yaml", "binary.yaml"):
        shutil.copy(HOSTILE / name, tmp_path / name)
    os.mkfifo(tmp_path / "fifo.yaml")
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS)
    try:
        assert main(["list", str(tmp_path)]) == 0
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    out = capsys.readouterr().out
    group = out.split("(unreadable)", 1)[1].splitlines()[1:]
    group = group[: next((i for i, line in enumerate(group) if not line.startswith("    ")),
                         len(group))]  # the lines of that group, up to the next heading
    for name in ("deep_flow", "billion_laughs", "alias_cycle", "binary", "fifo"):
        assert any(f"{name}.yaml" in line for line in group), out


# ---- --set ---------------------------------------------------------------------------------------
SETS = [
    (LIFE, "rule.config.width=.nan"), (LIFE, "rule.config.width=1.0e+400"),
    (LIFE, "rule.config.width=true"), (LIFE, "rule.config.width=32.5"),
    (LIFE, "rule.config.width=100000000"), (LIFE, "view.zoom=.inf"),
    (LIFE, "seed=" + "[" * 3000), (LIFE, "seed=" + "9" * 5000),
    (LIFE, "description=&a [*a]"), (LIFE, "." .join(["rule"] * 40) + "=1"),
    (LIFE, "run.steps_per_frame=100000000000"),
    (ELEMENTARY, "rule.config.rule=true"), (ELEMENTARY, "rule.config.rule=110.0"),
    (ELEMENTARY, "rule.config.rule=" + "9" * 40),
    ("version: 1\nrule:\n  family: lenia\n  config: {width: 64, height: 64}\n",
     "rule.params.mu=.nan"),
    ("version: 1\nrule:\n  family: lenia\n  config: {width: 64, height: 64}\n",
     "rule.config.radius=1.0e+12"),
    ("version: 1\nrule:\n  family: lenia\n  config: {width: 64, height: 64}\n",
     "rule.params.mu=true"),
    (LIFE, "rule.params.birth=[0.5, 0, 0, 1, 0, 0, 0, 0, 0]"),
]


@pytest.mark.parametrize("base,item", SETS, ids=[s[1][:30] for s in SETS])
def test_hostile_set_overrides(tmp_path, capsys, base, item):
    _refused(capsys, ["run", _scene(tmp_path, base), "--set", item, "--steps", "1", "-q"])


# ---- patterns: direct, --pattern, and a scene's init.pattern ------------------------------------
@pytest.mark.parametrize("name", PATTERN_CASES)
@pytest.mark.parametrize("how", ["direct", "--pattern"])
def test_hostile_pattern_files(capsys, name, how):
    path = str(HOSTILE / name)
    argv = ["run", path] if how == "direct" else ["run", "--pattern", path]
    _refused(capsys, argv + ["--steps", "1", "-q"], name)


@pytest.mark.parametrize("name", ["fifo.rle", "zero.rle", "folder.rle", "whitespace.rle",
                                  "over_cap.rle"])
@pytest.mark.parametrize("how", ["direct", "--pattern", "scene"])
def test_special_pattern_paths(tmp_path, capsys, big, name, how):
    path = str(big[name])
    if how == "scene":
        argv = ["run", _scene(tmp_path, LIFE + f"init:\n  pattern: {{file: '{path}'}}\n")]
    else:
        argv = ["run", path] if how == "direct" else ["run", "--pattern", path]
    err = _refused(capsys, argv + ["--steps", "1", "-q"], name)
    if name in ("fifo.rle", "zero.rle", "folder.rle"):
        assert "regular file" in err or "folder" in err


# ---- .npz sidecars: a saved state, a params file ------------------------------------------------
@pytest.mark.parametrize("kind", ["init", "params"])
@pytest.mark.parametrize("name", NPZ_CASES + ["zip_bomb.npz", "fifo.npz", "zero.npz",
                                              "folder.npz"])
def test_hostile_npz_sidecars(tmp_path, capsys, big, kind, name):
    path = big[name] if name in big else HOSTILE / name
    if kind == "init":
        text = LIFE + f"init:\n  npz: {{file: '{path}'}}\n"
    else:
        text = LIFE.replace("height: 32}\n", f"height: 32}}\n  params: {{file: '{path}'}}\n")
    _refused(capsys, ["run", _scene(tmp_path, text), "--steps", "1", "-q"], name)


# ---- images --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", IMAGE_CASES + ["fifo.png", "zero.png", "folder.png"])
def test_hostile_init_images(tmp_path, capsys, big, name):
    path = big[name] if name in big else HOSTILE / name
    text = LIFE + f"init:\n  image: {{file: '{path}'}}\n"
    _refused(capsys, ["run", _scene(tmp_path, text), "--steps", "1", "-q"], name)


@pytest.mark.parametrize("name", ["pixel_bomb.png", "truncated.png", "fifo.png", "zero.png"])
def test_hostile_nca_targets(tmp_path, capsys, big, name):
    path = big[name] if name in big else HOSTILE / name
    text = ("version: 1\nrule:\n  family: nca\n  config: {width: 16, height: 16, channels: 8, "
            f"hidden: 16}}\ntraining: {{target: '{path}', target_size: 8, padding: 2}}\n")
    _refused(capsys, ["train", _scene(tmp_path, text), "--steps", "1", "--out",
                      str(tmp_path / "out"), "--quiet"], name, "target image")


def test_image_size_larger_than_the_world(tmp_path, capsys):
    from PIL import Image

    Image.new("L", (8, 8)).save(tmp_path / "small.png")
    text = LIFE + "init:\n  image: {file: small.png, size: [100000, 100000]}\n"
    _refused(capsys, ["run", _scene(tmp_path, text)], "init.image.size")


# ---- alife view and alife render, and the app's Open ---------------------------------------------
VIEW_CASES = ["deep_flow.yaml", "billion_laughs.yaml", "huge_radius.yaml", "huge_run.rle",
              "nan_param.yaml"]


@pytest.mark.parametrize("name", VIEW_CASES)
def test_view_refuses_hostile_files(capsys, monkeypatch, name):
    monkeypatch.setenv("SDL_VIDEODRIVER", "offscreen")
    _refused(capsys, ["view", str(HOSTILE / name), "--frames", "1"], name)


def test_view_refuses_special_paths_and_sets(capsys, monkeypatch, big):
    monkeypatch.setenv("SDL_VIDEODRIVER", "offscreen")
    _refused(capsys, ["view", str(big["fifo.rle"]), "--frames", "1"], "FIFO")
    _refused(capsys, ["view", str(ROOT / "assets/patterns/glider.rle"), "--set",
                      "rule.config.width=.nan", "--frames", "1"], "rule.config.width")


@pytest.mark.parametrize("name", ["deep_flow.yaml", "huge_run.rle", "fifo.rle", "zero.rle"])
def test_render_refuses_hostile_files(tmp_path, capsys, big, gl_ctx, name):
    path = big[name] if name in big else HOSTILE / name
    _refused(capsys, ["render", str(path), "--out", str(tmp_path / "x.png"), "--quiet"], name)
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("name", ["deep_flow.yaml", "billion_laughs.yaml", "huge_world.yaml",
                                  "huge_header.rle", "fifo.rle", "zero.rle", "folder.rle",
                                  "binary.yaml", "whitespace_over_cap.yaml", "zip_bomb.npz"])
def test_app_open_refuses_hostile_files(big, name):
    import jax

    from alife.app.controller import Controller
    from alife.families import create
    from alife.scene.world import World

    rule = create("life", width=16, height=16)
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    controller = Controller(World(rule, params, rule.init(key, params), key, name="before"))
    path = big[name] if name in big else HOSTILE / name
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS)
    try:
        message = controller.open(path, remember=False)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert message and len(message.splitlines()) == 1 and name in message
    assert controller.world.name == "before"


# ---- the safe readers themselves -----------------------------------------------------------------
def test_read_npz_checks_declared_sizes_headers_and_crcs(big):
    """Each refusal comes from the check meant for it (not just from the file being big)."""
    from alife.core.errors import AlifeError
    from alife.core.safeio import read_npz

    cases = {big["zip_bomb.npz"]: "unpacks to 4.0 GiB", HOSTILE / "header_lie.npz": "declares",
             HOSTILE / "bad_crc.npz": "corrupt", HOSTILE / "pickled.npz": "Python objects",
             HOSTILE / "truncated.npz": "not a readable .npz", big["fifo.npz"]: "FIFO"}
    for path, words in cases.items():
        with pytest.raises(AlifeError, match=words):
            read_npz(path)  # the default cap, 1 GiB: the bomb's 4 MiB on disk pass it


def test_open_image_checks_the_header_before_decoding(tmp_path):
    from alife.core.errors import AlifeError
    from alife.core.safeio import open_image

    sys.path.insert(0, str(HOSTILE))
    try:
        from make_corpus import _png
    finally:
        sys.path.remove(str(HOSTILE))
    path = tmp_path / "wide.png"
    path.write_bytes(_png(9_000, 9_000, 1))  # 8.1e7 pixels: under Pillow's limits, over ours
    with pytest.raises(AlifeError, match="9000 x 9000 = 81,000,000 pixels"):
        open_image(path)


# ---- as real processes: exit 2, bounded memory ---------------------------------------------------
def test_bombs_as_subprocesses_stay_small(tmp_path, big):
    """The zip bomb (4 GiB declared), the pixel bomb (10^10 pixels) and /dev/zero as a pattern,
    each through `python -m alife`-style main in a fresh process: exit 2 and a peak RSS far
    below what the file claims."""
    cases = {
        "npz": LIFE + f"init:\n  npz: {{file: '{big['zip_bomb.npz']}'}}\n",
        "png": LIFE + f"init:\n  image: {{file: '{HOSTILE / 'pixel_bomb.png'}'}}\n",
        "zero": LIFE + f"init:\n  pattern: {{file: '{big['zero.rle']}'}}\n",
    }
    for label, text in cases.items():
        scene = _scene(tmp_path, text, f"{label}.yaml")
        script = textwrap.dedent(f"""
            import sys
            from alife.cli import main
            status = main(["run", {scene!r}, "--steps", "1", "-q"])
            # VmHWM: this address space's peak (ru_maxrss would include the forking parent's)
            with open("/proc/self/status") as f:
                peak = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
            print("RSS_KB", peak)
            sys.exit(status)
        """)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              timeout=120, cwd=ROOT)
        assert done.returncode == 2, done.stderr
        err = done.stderr.strip()
        assert len(err.splitlines()) == 1 and "Traceback" not in err, err
        rss_mb = int(done.stdout.split("RSS_KB")[1].split()[0]) / 1024
        assert rss_mb < 1024, (label, rss_mb)
        assert time.perf_counter() - started < 120
