"""A plug-in that raises ``SystemExit`` while it is imported (a script's ``sys.exit`` left in)."""

from __future__ import annotations

import sys

sys.exit("exits_at_import needs a configuration file")
