#!/usr/bin/env python
"""Django's command-line utility for ocop (also installed as the ``ocop`` console script)."""

import sys

from ocop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
