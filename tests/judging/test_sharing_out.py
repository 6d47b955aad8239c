"""How a run's variants are shared out over its containers (``DockerBackend._shares``):
small runs as one group per container, large ones (the studio's candidate batch) in
chunks each container asks for as it goes. Pure scheduling: no engine needed."""

from __future__ import annotations

import threading

from qa_arena_desktop.domain.judge_models import JudgeRequest
from qa_arena_desktop.domain.pack import MutantSource
from qa_arena_desktop.judging.docker_backend import (
    BALANCE_ABOVE,
    BALANCE_MIN_CHUNK,
    DockerBackend,
    _Run,
)


def _shares(mutants: int, shards: int = 2, isolation: str = "fast"):
    backend = DockerBackend(connect=lambda: None, shards=shards,  # type: ignore[arg-type,return-value]
                            isolation=isolation)
    request = JudgeRequest(submission_id="s", problem="p", tests="", golden_source="g",
                           mutants=tuple(MutantSource(name=f"m{i}", source=f"# {i}", weight=1.0)
                                         for i in range(mutants)))
    state = _Run(request, lambda _run: None, threading.Event())
    return backend._shares(backend._work_items(state))


def _drain(give):
    chunks = []
    while chunk := give():
        chunks.append(chunk)
    return chunks


def test_a_small_run_is_one_request_per_container_as_before():
    shares = _shares(2 * BALANCE_ABOVE - 1)
    groups = [_drain(give) for give in shares]
    assert [len(chunks) for chunks in groups] == [1, 1]
    assert groups[0][0][0] == {"key": "v0", "source": "g", "golden": True}
    assert sum(len(chunks[0]) for chunks in groups) == 2 * BALANCE_ABOVE


def test_strict_isolation_keeps_one_variant_per_container():
    shares = _shares(60, isolation="strict")
    assert len(shares) == 61
    assert all(len(_drain(give)) == 1 for give in shares)


def test_a_large_run_is_shared_out_in_shrinking_chunks_golden_first():
    shares = _shares(177)
    assert len(shares) == 2
    # The two containers take turns asking, as two busy ones would.
    chunks: list[list[dict]] = []
    turn = 0
    while True:
        chunk = shares[turn % 2]() or shares[(turn + 1) % 2]()
        if not chunk:
            break
        chunks.append(chunk)
        turn += 1
    assert chunks[0][0]["golden"] is True
    assert sum(1 for chunk in chunks for v in chunk if v.get("golden")) == 1
    keys = [v["key"] for chunk in chunks for v in chunk if not v.get("golden")]
    assert sorted(keys) == sorted(f"v{i}" for i in range(1, 178))  # each mutant once
    sizes = [len(chunk) for chunk in chunks[1:]]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > BALANCE_MIN_CHUNK
    assert all(size >= BALANCE_MIN_CHUNK for size in sizes[:-1])
