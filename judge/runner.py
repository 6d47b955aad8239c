#!/usr/bin/env python3
"""Entry point of the judge image: the supervisor of the ``qa_judge`` package is PID 1."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from qa_judge.supervisor import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
