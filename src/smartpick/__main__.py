"""``python -m smartpick``."""

import sys

from smartpick.cli import main

sys.exit(main())
