"""Patterns, trained weights, target images and Lenia creatures the scenes use, as package data:
`importlib.resources.files("alife.assets")` (this folder is `alife.assets` once installed)."""
