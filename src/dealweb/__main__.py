"""``python -m dealweb``: the same as the ``dealweb`` command."""

import sys

from dealweb.cli import main

sys.exit(main())
