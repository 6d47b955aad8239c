"""Plain data at the bottom of the layers: what every other package talks in.

The pack model (``pack.py``), the closed set of verdicts and the pure scoring functions
(``verdicts.py``), the judge's requests and results (``judge_models.py``), the events of
a run (``events.py``) and the ``Backend`` protocol with its exceptions (``backend.py``).
Pydantic and the standard library only: nothing here reads files, opens the catalog or
talks to Docker, so the catalog, the judge and the front ends can all import it without
importing each other (docs/development.md, "Import contracts").
"""
