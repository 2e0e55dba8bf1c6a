"""Benchmark the live app: the real main loop (SDL offscreen window, ModernGL, ImGui) at 1280x800.

Figures printed:
1. Life 1024x1024 torus at one generation per frame: frames/s (target >= 60 on a 2-core CPU with
   Mesa llvmpipe), with the split between the simulation tick and the rest (UI + GL).
2. "As fast as possible": the UI's frames/s (target >= 30) and generations/s, against the
   headless engine's generations/s (`alife.core.rollout.run`, one `lax.scan`) measured in the same
   process: both figures and the ratio.
3. Lenia: seconds from a slider change (`Controller.set_param`) to the next finished frame, and
   the number of retraces it caused (must be 0: params are arguments of the compiled step).

Usage: python benchmarks/bench_app.py [--size 1024] [--seconds 5] [--window 1280x800]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def life_world(n: int):
    import jax

    from alife.families import create
    from alife.scene.world import World

    rule = create("life", rule="B3/S23", width=n, height=n, topology="torus")
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    state = rule.with_cells(rule.init(key, params), rule.random_cells(key, 0.3))
    return World(rule, params, state, key, name=f"life {n}")


def headless_steps_per_second(world, seconds: float) -> float:
    """Generations/s of the engine alone: `run` (one lax.scan), compiled first, then timed."""
    import jax

    from alife.core.rollout import run

    steps = 64
    state = run(world.rule, world.key, world.state, world.params, steps)
    jax.block_until_ready(state)
    done, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        state = run(world.rule, world.key, state, world.params, steps)
        jax.block_until_ready(state)
        done += steps
    return done / (time.perf_counter() - t0)


def timed_frames(app, seconds: float, min_frames: int = 30) -> tuple[int, int, float, float]:
    """Run frames for `seconds`: (frames, generations, wall seconds, seconds inside tick)."""
    c = app.controller
    inside = [0.0]
    tick = c.tick

    def timed_tick(*args):
        t = time.perf_counter()
        n = tick(*args)
        inside[0] += time.perf_counter() - t
        return n

    c.tick = timed_tick
    gen0, frames, t0 = c.generation, 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds or frames < min_frames:
        app.frame()
        frames += 1
    wall = time.perf_counter() - t0
    del c.tick
    return frames, c.generation - gen0, wall, inside[0]


def breakdown(app, frames: int) -> dict[str, float]:
    """Milliseconds per frame in each part of the loop, with `ctx.finish()` around each part so
    the GPU (llvmpipe: CPU) work is charged to the part that issued it."""
    import pygame

    spent: dict[str, float] = {}
    patched = []

    def wrap(obj, name, label):
        original = getattr(obj, name)

        def timed(*args, **kwargs):
            app.ctx.finish()
            t = time.perf_counter()
            result = original(*args, **kwargs)
            app.ctx.finish()
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - t
            return result

        setattr(obj, name, timed)
        patched.append((obj, name, original))

    wrap(app.controller, "tick", "tick (wait+dispatch)")
    wrap(app, "_layout", "ImGui widgets (Python)")
    wrap(app, "_draw_world", "world upload+draw")
    wrap(app.imgui_renderer, "render", "ImGui draw")
    wrap(pygame.display, "flip", "swap")
    t0 = time.perf_counter()
    for _ in range(frames):
        app.frame()
    total = time.perf_counter() - t0
    for obj, name, original in patched:
        if obj is pygame.display:
            setattr(obj, name, original)
        else:
            delattr(obj, name)
    out = {k: 1000 * v / frames for k, v in spent.items()}
    out["other"] = 1000 * total / frames - sum(out.values())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1024, help="Life grid side")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--window", default="1280x800")
    args = parser.parse_args()
    w, h = (int(v) for v in args.window.split("x"))

    import jax

    from alife.app.window import App

    print(f"jax {jax.__version__} on {jax.default_backend()}; window {w}x{h}, "
          f"SDL_VIDEODRIVER={os.environ['SDL_VIDEODRIVER']}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    cpu0, wall0 = time.process_time(), time.perf_counter()
    world = life_world(args.size)
    app = App(world, size=(w, h), vsync=False, autosave_enabled=False, offer_recovery=False)
    print(f"GL: {app.ctx.info['GL_RENDERER']} ({app.ctx.info['GL_VERSION']})")
    c = app.controller
    try:
        for _ in range(5):
            app.frame()
        c.playing = True
        for _ in range(10):  # compile the frame function (in the background: wait for it)
            app.frame()
        while not c.compiled().ready():
            app.frame()

        frames, gens, wall, sim = timed_frames(app, args.seconds)
        print(f"\n[1] Life {args.size}x{args.size} torus, 1 step/frame "
              f"(camera zoom {app.canvas.camera.zoom:.2f}):")
        print(f"    app: {frames / wall:6.1f} frames/s  ({gens / wall:,.0f} generations/s); "
              f"per frame {1000 * sim / frames:.1f} ms in tick (waiting for the simulation), "
              f"{1000 * (wall - sim) / frames:.1f} ms UI+GL")

        parts = breakdown(app, frames=max(10, min(frames, 30)))
        print("    where a frame goes (GL work forced to finish per part): " + ", ".join(
            f"{k} {v:.1f} ms" for k, v in parts.items()))

        c.set_fastest(True)
        for _ in range(20):  # let the chunk adapt
            app.frame()
        frames, gens, wall, sim = timed_frames(app, args.seconds)
        c.playing = False
        engine = headless_steps_per_second(world, args.seconds)
        app_rate = gens / wall
        print("\n[2] 'as fast as possible':")
        print(f"    app UI: {frames / wall:6.1f} frames/s (chunk now {c.speed.chunk} steps/frame)")
        print(f"    app: {app_rate:,.0f} generations/s   headless engine: {engine:,.0f} "
              f"generations/s   ratio app/engine: {app_rate / engine:.2f}")
        print(f"    cell updates/s: app {app_rate * args.size ** 2:.3g}, "
              f"engine {engine * args.size ** 2:.3g}")
    finally:
        app.close()

    from alife.scene.io import load_scene

    lenia = load_scene(os.path.join(os.path.dirname(__file__), "..", "scenes", "lenia",
                                    "orbium.yaml"))
    app = App(lenia, size=(w, h), vsync=False, autosave_enabled=False, offer_recovery=False)
    c = app.controller
    try:
        c.playing = True
        for _ in range(10):
            app.frame()
        while not c.compiled().ready():  # compiled in the background
            app.frame()
        traces = c.compiled().traces
        spec = c.param_specs()[0]
        lo, hi = spec.low, spec.high
        value = c.param_values()[spec.name]
        latencies = []
        for i in range(10):
            new = value + (hi - lo) * 0.01 * (1 if i % 2 else -1)
            t = time.perf_counter()
            c.set_param(spec.name, new)
            app.frame()
            latencies.append(time.perf_counter() - t)
        latencies.sort()
        print(f"\n[3] Lenia {lenia.rule.shape[1]}x{lenia.rule.shape[0]}: slider "
              f"'{spec.name}' change -> next frame: median {1000 * latencies[5]:.1f} ms, "
              f"max {1000 * latencies[-1]:.1f} ms; retraces: {c.compiled().traces - traces}")
    finally:
        app.close()
    share = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
    print(f"\nthis process got {share:.2f} CPUs on average (load average now "
          f"{os.getloadavg()[0]:.1f}); llvmpipe rasterises on the same CPUs as JAX")


if __name__ == "__main__":
    main()
