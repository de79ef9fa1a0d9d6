"""The bundle's entry point: the ``alongside`` command, as ``pip install`` makes it."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
