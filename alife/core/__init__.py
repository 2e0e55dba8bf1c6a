"""Engine core: types, the Rule contract, registry, topologies, kernels and rollout.

Nothing in here imports a GUI library; the app and the renderer build on top of it. Import the
submodules directly (`alife.core.rule`, `alife.core.registry`, ...): this package file stays
empty so that light users (the CLI's argument parsing, `alife.core.errors`) never load JAX.
"""
