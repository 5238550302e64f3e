#!/usr/bin/env python
"""Same as the ``mitra`` console script, for those used to ``python manage.py``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from mitra.cli import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv)
