"""The shipped Petri-dish meta-evolution winner (`scenes/biomaker/petri_winner.yaml`, made by
`alife evolve scenes/evolve/biomaker_petri.yaml --deploy ...`): it loads as the spec's
deployment world (72 x 128 persistence landscape, in-world mutation on), its seed runs the
evolved program rather than the hand-set one, and it runs.
"""

from __future__ import annotations

from pathlib import Path

import jax
import numpy as np

from alife.core import rollout
from alife.rules.biomaker.programs import default_program
from alife.scene.io import load_scene

ROOT = Path(__file__).resolve().parents[1]
WINNER = ROOT / "scenes" / "biomaker" / "petri_winner.yaml"
PETRI = ROOT / "scenes" / "evolve" / "biomaker_petri.yaml"


def test_the_winner_scene_is_the_landscape_deployment_with_the_evolved_program():
    world = load_scene(WINNER)
    config = world.rule.config()
    assert (config["preset"], config["height"], world.rule.shape) == \
        ("persistence", 72, (72, 128))
    assert config["net"] == "minimal" and config["seeds"] == 1
    assert float(world.params.mutate) == 1.0  # children get mutated programs
    bank = np.asarray(world.params.programs)
    hand = default_program("minimal")
    assert bank.shape[1] == hand.size
    # row 0 (the seed's program) was evolved; it is near, not equal to, the hand-set one
    change = np.abs(bank[0] - hand)
    assert change.max() > 1e-3 and change.max() < 1.0
    # the other rows are the target's own (hand-set) bank, untouched by the genome
    np.testing.assert_array_equal(bank[1:], np.tile(hand[None], (bank.shape[0] - 1, 1)))
    # the Petri-dish scene's genome covers exactly that row
    assert load_scene(PETRI).extra["evolution"]["genome"]["rows"] == {"programs": 1}
    assert "Deployed evolution winner" in world.description and "hand-set" in world.description


def test_the_winner_scene_runs_its_evolved_seed():
    world = load_scene(WINNER)
    state = world.state
    np.testing.assert_array_equal(np.asarray(state.programs[0]),
                                  np.asarray(world.params.programs[0]))
    before = float(world.rule.metrics(state, world.params)["agents"])
    assert before == 2  # one seed: two unspecialised cells
    final = rollout.run(world.rule, jax.random.PRNGKey(0), state, world.params, 5)
    assert int(final.generation) == 5
    assert float(world.rule.metrics(final, world.params)["agents"]) >= 2
