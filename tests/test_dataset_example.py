"""examples/edge_of_chaos.py at a tiny size: it exports datasets, labels classes with the
instruments, trains per rule and reports accuracies (rule 204, the identity, is learned)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_edge_of_chaos_tiny(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("edge_of_chaos",
                                                  ROOT / "examples" / "edge_of_chaos.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.main(["--rules", "204,30", "--width", "16", "--count", "256",
                           "--steps", "300", "--hidden", "32", "--burn-in", "8",
                           "--out", str(tmp_path)])
    assert results[204]["class"] == 2 and results[30]["class"] == 3
    assert results[204]["cell_accuracy"] > 0.95  # copying the row is easy
    assert 0.0 <= results[30]["row_accuracy"] <= 1.0
    assert (tmp_path / "rule30" / "manifest.json").exists()
    assert "per class" in capsys.readouterr().out
