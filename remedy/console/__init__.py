"""The remedy team's web console (blueprint ``console``, defined in ``views``).

Importing the package registers every console route: the queue (``views``), the
supervisor view (``supervisor``) and the case page (``case``, with identity reveals).
"""

from remedy.console import case, identity, supervisor, views

__all__ = ["case", "identity", "supervisor", "views"]
