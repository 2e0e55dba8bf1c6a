"""Rule families. Importing this package registers every built-in family.

Each module calls `alife.core.registry.register` once; adding a family is one import here.
"""
import alife.rules.agents  # noqa: F401,E402
import alife.rules.biomaker  # noqa: F401,E402
import alife.rules.elementary  # noqa: F401,E402
import alife.rules.lenia  # noqa: F401,E402
import alife.rules.life  # noqa: F401,E402
import alife.rules.nca  # noqa: F401,E402
import alife.rules.templates  # noqa: F401,E402
import alife.rules.vitca  # noqa: F401,E402
