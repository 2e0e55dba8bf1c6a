"""Interactive evolution at the controller level (`controller.evolution`): mutants side by
side, pick, undo, reroll, deploy, and a headless evolution job with its fitness history."""

from __future__ import annotations

from pathlib import Path

import jax
import numpy as np
import pytest

from alife.app.controller import Controller
from alife.app.evolution import JOB
from alife.core import rollout
from alife.scene.io import world_from_tree
from alife.scene.schema import Where

LENIA = {"version": 1, "name": "mover",
         "rule": {"family": "lenia", "config": {"width": 40, "height": 40, "start": "orbium"}},
         "evolution": {"fitness": "lenia_mover", "steps": 12, "record_every": 4,
                       "strategy": "pgpe", "population": 4, "generations": 2}}
LIFE = {"version": 1, "name": "soup",
        "rule": {"family": "life", "config": {"rule": "B3/S23", "width": 24, "height": 24}},
        "init": {"random": {"density": 0.35}}}


def controller(tree: dict) -> Controller:
    return Controller(world_from_tree(tree, Where("test"), Path(".")))


def test_candidates_run_side_by_side_like_single_worlds():
    c = controller(LENIA)
    assert c.evolution.open(n=4, steps=6) is None
    s = c.evolution.session
    assert s.n == 4 and s.genome.kind == "sliders"
    assert not np.allclose(s.candidates, s.parent)
    assert len({tuple(np.round(v, 6)) for v in s.candidates}) == 4
    for i in (0, 3):
        params = s.genome.decode(s.candidates[i], c.params)
        final = rollout.run(c.rule, c.world.key, c.state, params, 6)
        assert int(s.states.generation[i]) == 6
        np.testing.assert_allclose(np.asarray(s.states.cells[i]), np.asarray(final.cells),
                                   rtol=0, atol=1e-4)  # batched vs single FFT rounding
    thumbs = c.evolution.thumbnails(20)
    assert len(thumbs) == 4 and thumbs[0].shape == (20, 20, 3) and thumbs[0].dtype == np.uint8
    assert c.evolution.captions()[0].startswith("mass ")
    s.advance(3)
    assert int(s.states.generation[0]) == 9


def test_pick_undo_reroll_and_deploy():
    c = controller(LENIA)
    ev = c.evolution
    assert ev.available() and not ev.pick() and not ev.deploy()  # no session yet
    ev.open(n=4, steps=2)
    s = ev.session
    first = s.candidates.copy()
    assert not ev.pick()  # nothing selected
    ev.select(2)
    assert ev.selected == 2 and ev.pick()
    assert s.depth == 1 and np.array_equal(s.parent, first[2]) and ev.selected is None
    assert ev.round_text().startswith("round 1, ")
    second = s.candidates.copy()
    assert not np.allclose(second, first)
    # mutants centre on the new parent
    assert np.abs(second - first[2]).max() < np.abs(second - first[0]).max() + 1.0
    assert ev.undo() and s.depth == 0
    np.testing.assert_array_equal(s.candidates, first)  # the same round comes back
    assert not ev.undo()
    assert ev.reroll()
    assert not np.allclose(s.candidates, first)
    ev.play(1)
    assert int(s.states.generation[1]) == 3
    assert ev.deploy(1)
    np.testing.assert_allclose(float(c.params.mu),
                               float(s.genome.decode(s.candidates[1], s.base).mu))
    assert c.generation == 3
    np.testing.assert_array_equal(np.asarray(c.state.cells), np.asarray(s.states.cells[1]))
    with pytest.raises(Exception, match="candidate 9"):
        ev.pick(9)
    with pytest.raises(Exception, match="candidate 4"):
        ev.select(4)


def test_life_tables_mutate_by_flipping_entries():
    c = controller(LIFE)
    assert c.evolution.open(n=8, steps=4) is None
    s = c.evolution.session
    assert s.genome.kind == "tables"
    assert set(np.unique(s.candidates)) <= {0.0, 1.0}
    flips = (s.candidates != s.parent).sum(axis=1)
    assert flips.sum() > 0 and flips.max() <= 8
    texts = {c.rule.rule_text(jax.tree_util.tree_map(lambda x, i=i: x[i], s.params))
             for i in range(8)}
    assert all(t.startswith("B") and not t.startswith("B0") for t in texts)
    assert c.evolution.captions()[0].startswith("population ")


def test_headless_evolution_job_reports_fitness_and_swaps_in_the_best():
    c = controller(LENIA)
    assert c.evolution.start_job() is None
    job = c.jobs.get(JOB)
    job.join(timeout=300)
    steps, best, mean = c.evolution.fitness_history()
    assert steps == [1, 2] and all(b >= m for b, m in zip(best, mean, strict=True))
    assert c.jobs.use_latest(JOB)
    assert float(c.params.mu) == pytest.approx(float(job.latest_params().mu))
    no_block = controller(LIFE)
    assert "evolution" in no_block.evolution.start_job()


def test_candidates_start_from_their_own_init_when_the_start_depends_on_the_genome():
    from alife.evolve.genome import build_genome, start_depends_on_genome
    from alife.scene.io import load_scene

    root = Path(__file__).resolve().parents[1]
    bio = load_scene(root / "scenes/biomaker/petri.yaml")  # no evolution block
    genome = build_genome(bio.rule, bio.params, None)
    assert genome.kind == "weights"
    assert start_depends_on_genome(bio.rule, bio.key, bio.params, genome, 0.02)
    lenia = world_from_tree(LENIA, Where("test"), Path("."))
    genome = build_genome(lenia.rule, lenia.params, None)
    assert not start_depends_on_genome(lenia.rule, lenia.key, lenia.params, genome, 0.1)


@pytest.mark.gl
def test_evolve_panel_in_the_real_app(make_app, tmp_path, monkeypatch):
    """New round, click a thumbnail, pick, undo, deploy: through the app's event loop."""
    import dataclasses

    import yaml

    pygame = pytest.importorskip("pygame")
    from alife.app import panels
    from alife.app.panels import evolve as panel

    monkeypatch.setattr(panels, "PANELS", list(panels.PANELS))
    panels.register_panel(dataclasses.replace(panel.PANEL, default_open=True), before="Edit")
    path = tmp_path / "mover.yaml"
    path.write_text(yaml.safe_dump(LENIA, sort_keys=False))
    app = make_app(path, size=(1280, 960))

    def frames(n=1):
        for _ in range(n):
            app.frame()

    def click(name):
        x0, y0, x1, y1 = app.state.widget_rects[name]
        pos = (int((x0 + x1) / 2), int((y0 + y1) / 2))
        for kind, extra in ((pygame.MOUSEMOTION, {"rel": (0, 0), "buttons": (0, 0, 0)}),
                            (pygame.MOUSEBUTTONDOWN, {"button": 1}),
                            (pygame.MOUSEBUTTONUP, {"button": 1})):
            pygame.event.post(pygame.event.Event(kind, pos=pos, touch=False, **extra))
            frames()

    frames(3)
    click("evolve_new")
    c = app.controller
    s = c.evolution.session
    assert s is not None and s.n == 8
    artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    app.frame(screenshot=str(artifacts / "evolve_panel.png"))
    click("evolve_candidate_2")
    assert s.selected == 2, app.state.log
    chosen = s.candidates[2].copy()
    click("evolve_pick")
    assert s.depth == 1 and np.array_equal(s.parent, chosen)
    click("evolve_undo")
    assert s.depth == 0
    click("evolve_candidate_5")
    click("evolve_deploy")
    assert float(c.params.mu) == pytest.approx(float(s.genome.decode(s.candidates[5],
                                                                     s.base).mu))
