"""Gradient training of neural CAs (optax): pools, damage and masking schedules, checkpoints."""
