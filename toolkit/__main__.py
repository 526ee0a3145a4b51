"""`python -m toolkit` runs the command line."""

import sys

from toolkit.cli.main import main

sys.exit(main())
