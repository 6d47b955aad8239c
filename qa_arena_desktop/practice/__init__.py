"""Qt-free helpers behind the practice flow: drafts, starter files, graded hints, kill matrix.

The desktop UI (``qa_arena_desktop.ui``) is a thin layer over these; keeping the logic
here means it is tested without a display and reusable from the CLI or classroom scripts.
Nothing in this package may import PySide6.
"""
