"""``python -m mentorcore``: the command line."""

import sys

from mentorcore.cli.main import main

sys.exit(main())
