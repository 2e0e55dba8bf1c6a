"""`alife info`: the JAX version, backend and devices, and the registered rule families."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def main(args: argparse.Namespace) -> int:
    del args
    import jax

    from alife import __version__
    from alife.families import families

    print(f"alife {__version__}, jax {jax.__version__}")
    print(f"backend: {jax.default_backend()}")
    for device in jax.devices():
        print(f"device: {device.platform} {device.device_kind} (id {device.id})")
    print(f"families: {', '.join(sorted(families()))}")
    return 0
