"""The desktop app (PySide6). The only package that imports Qt.

Everything here is presentation and wiring: the practice logic lives in
:mod:`qa_arena_desktop.practice`, judging in :mod:`qa_arena_desktop.judging`, data in
:mod:`qa_arena_desktop.catalog`. Workers get plain data and talk back through
dispatcher objects that live on the GUI thread (see ``run_controller``).
"""
