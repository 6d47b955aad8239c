"""Judging as text on a terminal: the output of ``qa-arena judge`` and its helpers.

Below both the CLI and the judge server, which print the same lines (the server sends
them to the client that asked): ``output.py`` (say, error, JSON, live verdict lines),
``judge.py`` (judge one test file and print its result). No argparse, no Qt.
"""
