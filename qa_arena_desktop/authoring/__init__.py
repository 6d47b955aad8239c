"""Authoring packs: mutant candidates from a golden, an editable pack, stable pack files.

Headless (no Qt): the studio (``ui/studio``) and ``qa-arena mutants generate`` both
build on it, and tests run it without a display.
"""
