"""The judge server: a background process that keeps the judge warm for ``qa-arena judge``.

A fresh ``qa-arena judge`` process spends most of its time before judging starts:
importing the app (~0.5 s), starting containers and warming pytest in them
(~0.4 s). The server pays that once: it keeps the app imported, the catalog open
and judge containers started ahead of time, and judges each CLI call it is sent.
The CLI side (:mod:`.client`, :mod:`.address`, :mod:`.protocol`) imports only the
standard library, so a call costs a few milliseconds before the server takes over.

One server per user and settings (see :func:`.address.settings_key`); it exits on
its own after an idle while and removes its containers. ``QA_ARENA_JUDGE_SERVER=off``
or ``qa-arena judge --no-server`` judges in the calling process instead.
"""
