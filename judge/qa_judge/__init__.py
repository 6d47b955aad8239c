"""The in-container judge runner (stdlib + pytest only). See docs/judge.md.

- :mod:`supervisor`: PID 1. Reads requests, hands each run's files to a fresh test
  process, reads back what it says as untrusted data, emits one event per variant.
- :mod:`zygote`: started before any request, imports and prepares pytest, and forks one
  test process per run on the supervisor's word. It never sees a request.
- :mod:`sandbox`: what a test process does before any learner code runs (fresh
  namespaces, a fresh tmpfs, a second seccomp filter, no capabilities).
- :mod:`collector`: the pytest plugin that turns a session into a result document.
- :mod:`protocol`: the shapes of every message and the strict checks on them.
- :mod:`audit`: PEP 578 audit hooks that flag a test introspecting the code under test.
"""
