"""The engine stays headless: a batch run never loads pygame, moderngl or imgui_bundle.

Runs `alife run` in a fresh interpreter and inspects `sys.modules` at exit, so an import added
anywhere below the app layer (core, rules, scene, train, commands.run) shows up here.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

GUI_MODULES = ("pygame", "moderngl", "imgui_bundle")


def test_headless_run_loads_no_gui_modules(tmp_path):
    out = tmp_path / "end.rle"
    script = textwrap.dedent(f"""
        import sys
        from alife.cli import main
        import alife.rules  # every family, as `alife list` sees them
        import alife.train.nca, alife.train.vitca, alife.scene.io  # noqa: E401
        status = main(["run", "scenes/life/gosper_glider_gun.yaml", "--steps", "30",
                       "--out", {str(out)!r}, "--quiet"])
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in {GUI_MODULES!r})
        print("LOADED", loaded)
        sys.exit(status)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout, done.stdout
    assert out.exists()


def test_cli_help_does_not_need_jax():
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys; from alife.cli import build_parser; build_parser(); "
         "print('JAX' if 'jax' in sys.modules else 'NOJAX')"],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "NOJAX" in done.stdout
