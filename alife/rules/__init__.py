"""Rule families, one package each; every package exports its descriptor as `FAMILY`.

The registry (`alife.families`) lists the built-in packages and loads installed plug-ins;
importing this package registers nothing.
"""
