"""Evolution: search a world's params, weights or rule tables with evolution strategies.

- `task`: a scene's `evolution:` block as a task (rule, start, steps, fitness); one candidate's
  evaluation steps the world with `alife.core.rollout.advance`.
- `fitness`: fitness functions by name; `genome`: params <-> flat vectors (sliders, weights,
  tables); `strategies`: evosax algorithms by name.
- `runner`: `EvolutionRunner`, the Trainer protocol (one generation per `iterate`, bit-identical
  checkpoints); `sharding`: the population over a device mesh and multi-host start-up.
- `loop`, `report`: a headless run's files (logs, plot, best scene, HTML report); `sweep`: many
  runs in worker processes or on Ray.

See docs/evolve.md. Nothing here imports the app or a GUI toolkit.
"""
