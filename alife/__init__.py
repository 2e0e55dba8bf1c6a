"""alife: an interactive cellular-automata and artificial-life sandbox on a JAX world engine."""

__version__ = "0.1.0"
