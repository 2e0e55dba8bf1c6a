"""Entry point for `python -m alife`."""

from alife.cli import main

raise SystemExit(main())
