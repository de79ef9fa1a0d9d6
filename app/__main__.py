"""``python -m app`` runs the ``alongside`` command."""

import sys

from app.cli import main

sys.exit(main())
