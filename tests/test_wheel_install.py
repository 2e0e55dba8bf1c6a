"""The wheel is the whole library: built from the checkout, installed into a fresh virtualenv
outside it, `alife list` lists every shipped scene, every scene opens by name and runs, a copy
made by `alife new` runs, and `alife render` draws two scenes, all from another folder.

The venv reuses the dependencies already installed for this interpreter (a `.pth` line naming
its site-packages, added after the wheel is installed; that folder's own `.pth` files, such as
an editable alife's, are not run), so nothing is downloaded but the build backend, and alife
itself comes only from the wheel (checked: `alife.__file__` is inside the venv).

Default suite: scenes slow to compile (agents, biomaker, vitca: 15-55 s each here) are opened
with `--steps 0` (every file they reference is still read); `-m slow` runs every scene 10 steps
(those 1), about 5 minutes on a shared 2-core CPU, as `.ci/run` does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: what the build reads: the design's top level (tests and docs are not part of the package)
BUILD_INPUTS = ("pyproject.toml", "README.md", "alife", "scenes", "assets", "shaders")
#: opened only (0 steps) in the default test and run 1 step in the slow one: slow compiles, and
#: the 61 Lenia species (each its own kernel size: one compile each)
SLOW_TO_COMPILE = ("agents/", "biomaker/", "vitca/", "lenia/species/")


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 600):
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv folder, environment, a working folder outside the checkout, the wheel)."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    src = base / "src"
    src.mkdir()
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(ROOT / name, src / name)
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(base / "dist"),
          str(src)], base, env)
    wheel = next((base / "dist").glob("alife-*.whl"))
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, env)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
          "--no-index", str(wheel)], base, env)
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                base, env).stdout.strip()
    ours = [p for p in dict.fromkeys([sysconfig.get_path("purelib"),
                                      sysconfig.get_path("platlib"), *sys.path])
            if Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()]
    (Path(site) / "zz_dependencies.pth").write_text("\n".join(ours) + "\n")
    work = base / "elsewhere"
    work.mkdir()
    return venv, env, work, wheel, src


def _script(venv: Path, env: dict[str, str], work: Path, body: str, timeout: float = 600):
    code = textwrap.dedent(body)
    return _run([str(venv / "bin" / "python"), "-c", code], work, env, timeout)


def test_the_wheel_and_the_sdist_manifest_hold_every_shipped_file(installed):
    from alife.commands.new import references
    from alife.scene.catalog import shipped_scenes
    from alife.scene.schema import read_scene_file

    _, _, _, wheel, src = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = set((src / "alife.egg-info" / "SOURCES.txt").read_text().split())
    wanted = {f"alife/shaders/{p.name}" for p in (ROOT / "shaders").iterdir()
              if p.suffix in (".vert", ".frag", ".glsl")}
    wanted |= {f"alife/assets/lenia/{p.name}" for p in (ROOT / "assets" / "lenia").glob("*.npz")}
    for name, path in shipped_scenes().items():
        wanted.add(f"alife/scenes/{name}{path.suffix}")
        tree, _ = read_scene_file(path)
        for ref in references(tree, path.parent):
            inside = (path.parent / ref).resolve().relative_to(ROOT)
            wanted.add(f"alife/{inside.as_posix()}")
    assert len(wanted) > 40
    assert not wanted - names, sorted(wanted - names)
    in_sdist = {w.removeprefix("alife/") if w.split("/")[1] in ("scenes", "assets", "shaders")
                else w for w in wanted}
    assert not in_sdist - sources, sorted(in_sdist - sources)


# CI time: the default suite keeps the wheel's manifest test; this one installs and runs it (~50 s)
@pytest.mark.slow
def test_list_run_and_new_from_the_wheel(installed):
    venv, env, work, _, _ = installed
    listed = _run([str(venv / "bin" / "alife"), "list"], work, env).stdout
    done = _script(venv, env, work, f"""
        import sys
        from pathlib import Path
        import alife
        from alife.cli import main
        from alife.core.packagedata import data_folder
        from alife.scene.catalog import shipped_scenes

        venv = Path({str(venv)!r}).resolve()
        assert Path(alife.__file__).resolve().is_relative_to(venv), alife.__file__
        assert data_folder("scenes").resolve().is_relative_to(venv), data_folder("scenes")
        names = list(shipped_scenes())
        print("NAMES", " ".join(names))
        for name in names:
            steps = "0" if name.startswith({SLOW_TO_COMPILE!r}) else "10"
            status = main(["run", name, "--steps", steps, "-q"])
            assert status == 0, (name, status)
        assert main(["run", "orbium", "--steps", "10", "--out", "orbium.npz", "-q"]) == 0
        assert main(["new", "mine", "--from", "lizard"]) == 0
        assert main(["run", "mine/scene.yaml", "--steps", "1", "-q"]) == 0
        print("DONE")
    """)
    names = next(line for line in done.stdout.splitlines() if line.startswith("NAMES")).split()[1:]
    assert len(names) >= 25 and "lenia/orbium" in names and "nca/lizard" in names
    assert all(name in listed for name in names), listed
    assert "DONE" in done.stdout
    assert (work / "orbium.npz").is_file()
    assert sorted(p.name for p in (work / "mine").iterdir()) == ["lizard_24.png",
                                                                 "nca_lizard.npz", "scene.yaml"]


def test_render_two_scenes_from_the_wheel(installed, gl_ctx):
    venv, env, work, _, _ = installed
    folder = work / "renders"
    folder.mkdir()
    alife = str(venv / "bin" / "alife")
    _run([alife, "render", "orbium", "--steps", "5", "--out", "orbium.png", "--quiet"],
         folder, env)
    _run([alife, "render", "life/gosper_glider_gun", "--steps", "8", "--every", "4", "--out",
          "gun.gif", "--quiet"], folder, env)
    for name in ("orbium.png", "gun.gif"):
        assert (folder / name).stat().st_size > 100


@pytest.mark.slow
def test_every_shipped_scene_runs_ten_steps_from_the_wheel(installed):
    venv, env, work, _, _ = installed
    done = _script(venv, env, work, f"""
        from alife.cli import main
        from alife.scene.catalog import shipped_scenes

        for name in shipped_scenes():
            steps = "1" if name.startswith({SLOW_TO_COMPILE!r}) else "10"
            assert main(["run", name, "--steps", steps, "-q"]) == 0, name
            print("RAN", name, steps, flush=True)
    """, timeout=1200)
    assert done.stdout.count("RAN") >= 25
