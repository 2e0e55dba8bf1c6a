"""Research instruments: complexity measures of CA runs and datasets for sequence models.

Measures (host NumPy on a space-time array `[T, ...]` of integer cell states, time first):
`lz76` (Lempel-Ziv 1976 complexity), `compression` (zlib / lzma ratios), `entropy` (Shannon
entropy of cells and blocks), `lambda_` (Langton's lambda of a rule table), `damage` (spreading
of a one-cell perturbation), `wolfram_class` (an estimated class with stated criteria), `spacetime`
(runs a world through `alife.core.rollout.run` and returns its diagram), `table` (all measures
for many rules, batched over params, as CSV rows and a plot).

Datasets: `dataset` (pairs, windows, shards and a manifest), `dataset_lifegpt` (LifeGPT's text
format and split). See docs/instruments.md.
"""
