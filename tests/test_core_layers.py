"""The layers hold: a batch run loads no GUI module, imports go down only, no import cycles.

Runs `alife run` in a fresh interpreter and inspects `sys.modules` at exit, so an import added
anywhere below the app layer (core, rules, scene, jobs, commands.run) shows up here.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

GUI_MODULES = ("pygame", "moderngl", "imgui_bundle")


def test_headless_run_loads_no_gui_modules(tmp_path):
    out = tmp_path / "end.rle"
    script = textwrap.dedent(f"""
        import sys
        from alife.cli import main
        import alife.families
        alife.families.families()  # every family, as `alife list` sees them
        import alife.rules.nca.training, alife.rules.vitca.training, alife.scene.io  # noqa: E401
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


# ---- the import graph, read statically -------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1] / "alife"
#: layers, lowest first; a package may import its own layer or any lower one
LAYERS = [
    {"core"},
    {"data", "rules"},
    {"families"},
    {"instruments", "jobs", "scene"},
    {"evolve", "render"},
    {"app"},
    {"commands"},
    {"cli", "__main__", "alife"},
]
#: upward imports the design allows: none (the registry sits above the families it loads)
ALLOWED_UP: set[tuple[str, str]] = set()
GUI_PACKAGES = ("pygame", "moderngl", "imgui_bundle")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in ROOT.rglob("*.py")}


def _layer(package: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def test_imports_go_down_the_layers_only():
    bad = []
    for name, path in _modules().items():
        package = name.split(".")[1] if "." in name else name
        own = _layer(package)
        for target in _imports(path, top_level_only=False):
            parts = target.split(".")
            if parts[0] in GUI_PACKAGES and own < _layer("render"):
                bad.append(f"{name} imports {target} (GUI below render)")
            if parts[0] != "alife" or len(parts) < 2 or parts[1].startswith("__"):
                continue
            other = parts[1]
            if _layer(other) > own and (name.removeprefix("alife."), other) not in ALLOWED_UP:
                bad.append(f"{name} imports {target} (layer {other} is above {package})")
    assert not bad, "\n".join(sorted(set(bad)))


def test_nothing_in_rules_imports_jobs():
    offenders = [name for name, path in _modules().items() if name.startswith("alife.rules")
                 and any(t.startswith("alife.jobs") for t in _imports(path, False))]
    assert not offenders


def test_no_import_cycles_between_modules():
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        graph[name] = {t for t in _imports(path, top_level_only=True) if t in modules
                       and t != name and not name.startswith(t + ".")}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)


def test_view_without_the_app_extra_says_what_to_install():
    script = textwrap.dedent("""
        import sys
        for name in ("pygame", "moderngl", "imgui_bundle"):
            sys.modules[name] = None  # as on a compute node without the app extra
        from alife.cli import main
        sys.exit(main(["view", "scenes/life/gosper_glider_gun.yaml", "--frames", "1"]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "app extra" in done.stderr and len(done.stderr.strip().splitlines()) == 1
