"""Test-wide settings: headless SDL, quiet audio, Mesa pinned to GL 3.3 in CI, and one JAX
compilation cache for the session (the tests and the CLI runs they start share compiled steps)."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
if os.environ.get("CI"):
    os.environ.setdefault("MESA_GL_VERSION_OVERRIDE", "3.3")
    os.environ.setdefault("MESA_GLSL_VERSION_OVERRIDE", "330")

# Many tests compile the same step (one scene through the API, the CLI and the app; each CLI run
# in a fresh process). A persistent cache in a folder of this session's own, removed at exit,
# lets the second compile of the same program load it instead (about a tenth of the suite's
# CPU time). Set JAX_COMPILATION_CACHE_DIR yourself to keep one between runs, or to "" for none.
if "JAX_COMPILATION_CACHE_DIR" not in os.environ:
    _jax_cache = tempfile.mkdtemp(prefix="alife-tests-jax-cache-")
    atexit.register(shutil.rmtree, _jax_cache, True)
    os.environ["JAX_COMPILATION_CACHE_DIR"] = _jax_cache
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "-1")


# ---- OpenGL (Mesa EGL) for render and ImGui tests ----------------------------------------------
import pytest  # noqa: E402


@pytest.fixture()
def gl_ctx():
    """A fresh headless moderngl context (EGL) for each test; skips without one (a failure when
    ALIFE_REQUIRE_GL=1). Not shared across tests: closing an app window ends SDL's EGL display,
    and every context made on it with it (about 10 ms to make a new one)."""
    from alife.render.context import headless_context

    try:
        ctx = headless_context()
    except Exception as exc:  # GLUnavailable, or moderngl missing
        pytest.skip(f"no OpenGL context: {exc}")
    yield ctx
    ctx.release()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "gl_ctx" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gl)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With ALIFE_REQUIRE_GL=1 (CI), a skipped GL test is a failure, not a skip."""
    outcome = yield
    report = outcome.get_result()
    if (os.environ.get("ALIFE_REQUIRE_GL") == "1" and report.skipped
            and not hasattr(report, "wasxfail") and item.get_closest_marker("gl") is not None):
        report.outcome = "failed"
        report.longrepr = f"GL test skipped but ALIFE_REQUIRE_GL=1 demands GL: {report.longrepr}"


# ---- the real app, offscreen -------------------------------------------------------------------
@pytest.fixture()
def make_app(tmp_path, monkeypatch):
    """`make_app(scene, size)`: the real app window offscreen, with its own config folder.

    `scene` is a scene or pattern path, or a World built by the test. The first Play compiles
    the step in the main loop (as headless callers do), so "press Space, run N frames" advances
    N chunks; `background_compile=True` is what `alife view` does (tests/test_app_compile.py).

    Skips without a GL 3.3 window (a failure under ALIFE_REQUIRE_GL=1 in modules marked `gl`);
    closes every app it opened unless the test quit it.
    """
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("SDL_VIDEODRIVER", "offscreen")
    opened = []

    def make(scene, size=(1280, 800), background_compile=False):
        from alife.app.window import App
        from alife.scene.io import load_scene
        from alife.scene.world import World

        world = scene if isinstance(scene, World) else load_scene(scene)
        try:
            application = App(world, size=size, vsync=False,
                              background_compile=background_compile)
        except Exception as exc:  # no GL 3.3 here: nothing to test
            pytest.skip(f"no OpenGL window: {exc}")
        opened.append(application)
        return application

    yield make
    for application in opened:
        if not application.state.want_quit:
            application.close()
