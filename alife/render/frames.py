"""Frames of a running world, drawn offscreen through the same GridRenderer as the app.

API:
    render_frames(world, steps, every=None, size=None, ctx=None) -> list[np.ndarray]
        Run `world` for `steps` generations and return [H, W, 3] uint8 images: with `every=k`,
        the world at generation 0, k, 2k, ... and the final one; with `every=None`, only the
        final one. `size=(width, height)` fits the grid into that image; by default the image
        is the grid at a whole zoom (at most DEFAULT_EXTENT pixels on the long side).
    iter_frames(...)        the same, one frame at a time (for long videos)
    view_settings(world) -> ViewSettings (alife.scene.view: look, num_states, colormap, channel,
        palette, grid_lines, zoom), checked against the renderer's colour maps
    frame_camera(grid_hw, size, zoom) -> (Camera, (width, height))

The world's scene `view` block chooses the look (default: the rule's `look`), `colormap`,
`channel`, `palette` (explicit colours), `grid_lines` (default: on for discrete looks, off for
continuous ones; drawn only at zoom >= 6) and `zoom`. Stepping goes through
`alife.core.rollout.run` (keys folded from the world's key and the generation), so
`alife render` and `alife run` agree. A world on the unbounded plane (`world.origin`) steps
through `alife.core.plane.advance` (its window follows the pattern) and every frame shows the
same plane region, the one its window covered at the start. The context is an EGL one (no
window) unless given.
Rules with entities (`alife.core.rule.EntityWorld`: `entities(state, params)`) get their live
entities drawn over the grid, each kind in its shape (`alife.render.agents`), as in the app;
rules with a `links` hook get their message lines drawn under those when the view says
`message_lines: true` (`alife.render.links`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import jax
import numpy as np

from alife.core import plane, rollout
from alife.core.errors import AlifeError
from alife.core.rule import has_entities
from alife.render.agents import AgentRenderer, shape_indices
from alife.render.camera import Camera
from alife.render.grid import GridRenderer
from alife.render.links import LinkRenderer, rule_links
from alife.render.offscreen import OffscreenTarget
from alife.scene.palettes import COLORMAPS, LOOKS, parse_colour
from alife.scene.view import ViewSettings

DEFAULT_EXTENT = 768   # long side of a default image, in pixels (whole zoom, so maybe less)
MAX_DEFAULT_ZOOM = 24
MAX_EXTENT = 8192      # longest side of any image we render


def view_settings(world: Any) -> ViewSettings:
    """Display settings for `world`: its `ViewSettings` (parsed once when the scene loaded),
    with the colour map and palette checked against what the renderer has."""
    view = world.view if isinstance(world.view, ViewSettings) else \
        ViewSettings.parse(getattr(world, "view", None), world.rule)
    if view.colormap not in COLORMAPS:
        raise AlifeError(f"unknown colormap {view.colormap!r}; expected one of "
                         f"{', '.join(COLORMAPS)}", where="view.colormap")
    if view.look not in LOOKS:
        raise AlifeError(f"unknown look {view.look!r}; expected one of {', '.join(LOOKS)}",
                         where="view.look")
    try:
        for colour in view.palette or ():
            parse_colour(colour)
    except (TypeError, ValueError) as exc:
        raise AlifeError(f"{exc}; expected a list of colours like '#ff8800'",
                         where="view.palette") from None
    return view


def frame_camera(grid_hw: tuple[int, int], size: tuple[int, int] | None,
                 zoom: float | None = None) -> tuple[Camera, tuple[int, int]]:
    """A camera and image size showing the whole grid.

    With `size`, the grid is fitted into it (centred, whole zoom when >= 1). Without, the image
    is the grid times a whole zoom: `zoom` if given, else the largest whole zoom keeping the long
    side within DEFAULT_EXTENT (at least 1, at most MAX_DEFAULT_ZOOM).
    """
    rows, cols = grid_hw
    if size is not None:
        width, height = int(size[0]), int(size[1])
        return Camera().fit(grid_hw, (width, height)), (width, height)
    if zoom is None:
        zoom = max(1, min(MAX_DEFAULT_ZOOM, DEFAULT_EXTENT // max(rows, cols, 1)))
    zoom = float(zoom)
    width, height = max(1, math.ceil(cols * zoom)), max(1, math.ceil(rows * zoom))
    if max(width, height) > MAX_EXTENT:
        raise AlifeError(f"a {cols}x{rows} grid at zoom {zoom:g} is a {width}x{height} image, "
                         f"over {MAX_EXTENT} px; expected a smaller zoom or an image --size",
                         where="view.zoom")
    return Camera(centre=(rows / 2.0, cols / 2.0), zoom=zoom), (width, height)


def iter_frames(world: Any, steps: int, every: int | None = None,
                size: tuple[int, int] | None = None, ctx: Any = None,
                on_step: Callable[[int], None] | None = None) -> Iterator[np.ndarray]:
    """Yield the frames `render_frames` returns; `on_step(generations_done)` reports progress."""
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    if every is not None and every <= 0:
        raise ValueError(f"every must be positive, got {every}")
    if ctx is None:
        from alife.render.context import headless_context

        ctx = headless_context()
    settings = view_settings(world)
    rule, params, state, key = world.rule, world.params, world.state, world.key
    view_fn = jax.jit(rule.view)

    first = np.asarray(view_fn(state, params))
    channel = settings.channel
    if channel is not None and (first.ndim != 3 or channel >= first.shape[2]):
        count = first.shape[2] if first.ndim == 3 else 1
        raise AlifeError(f"channel {channel} out of range; this view has {count} channel(s)",
                         where="view.channel")
    camera, (width, height) = frame_camera(first.shape[:2], size, settings.zoom)
    renderer = GridRenderer(ctx)
    agents = AgentRenderer(ctx) if has_entities(rule) else None
    entities_fn = jax.jit(rule.entities) if agents is not None else None
    hook = rule_links(rule) if settings.message_lines else None
    links = LinkRenderer(ctx) if hook is not None else None
    links_fn = jax.jit(hook) if hook is not None else None
    target = OffscreenTarget(ctx, width, height)

    def draw(view: np.ndarray, state: Any) -> np.ndarray:
        palette = list(settings.palette) if settings.palette else None
        renderer.set_view(view, settings.look, settings.num_states, settings.colormap,
                          settings.channel, palette)
        target.use()
        renderer.draw(target.viewport, camera, grid_lines=settings.grid_lines)
        if links is not None:  # under the entities, as in the app
            links.set_links(*jax.device_get(links_fn(state, params)))
            links.draw(target.viewport, camera)
        if agents is not None:
            ents = jax.device_get(entities_fn(state, params))
            alive = np.asarray(ents.alive, bool)
            agents.set_agents(np.asarray(ents.position, np.float32)[alive],
                              np.asarray(ents.colour, np.float32)[alive],
                              shapes=shape_indices(np.asarray(ents.kind)[alive],
                                                   rule.entity_kinds()))
            agents.draw(target.viewport, camera)
        return target.read(3)

    try:
        chunk = every if every is not None else max(steps, 1)
        if every is not None:
            yield draw(first, state)
        done = 0
        origin = world.origin  # the unbounded plane: frames show the start window's region
        views = {rule: view_fn}
        dead = None if origin is None else first[tuple(
            np.argwhere(np.asarray(rule.cells(state)) == 0)[0])]
        while done < steps:
            n = min(chunk, steps - done)
            if origin is not None:
                rule, state, origin = plane.advance(rule, key, state, params, origin, n)
            else:
                state = rollout.run(rule, key, state, params, n)
            done += n
            if on_step is not None:
                on_step(done)
            if every is not None or done == steps:
                if origin is None:
                    yield draw(np.asarray(view_fn(state, params)), state)
                else:
                    if rule not in views:  # a window of another size: compiled once each
                        views[rule] = jax.jit(rule.view)
                    view = np.asarray(views[rule](state, params))
                    yield draw(plane.crop(view, origin, world.origin, first.shape[:2], dead),
                               state)
        if steps == 0 and every is None:
            yield draw(first, state)
    finally:
        target.release()
        renderer.release()
        if agents is not None:
            agents.release()
        if links is not None:
            links.release()


def render_frames(world: Any, steps: int, every: int | None = None,
                  size: tuple[int, int] | None = None, ctx: Any = None) -> list[np.ndarray]:
    """All frames of a run as a list of [H, W, 3] uint8 images (see module docstring)."""
    return list(iter_frames(world, steps, every, size, ctx))
