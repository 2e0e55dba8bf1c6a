"""Rule families. Importing this package registers every built-in family.

Each module calls `alife.core.registry.register` once; adding a family is one import here.
"""
