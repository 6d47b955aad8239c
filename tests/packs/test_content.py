"""Finished packs: no starter description, at least one example, a hint for every scored
mutant. ``problems validate`` and Publish refuse a pack that is not finished; the loader
still loads it (work in progress opens and saves)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_arena_desktop import paths
from qa_arena_desktop.authoring.draft import new_pack
from qa_arena_desktop.authoring.pack_writer import publish
from qa_arena_desktop.authoring.validation import validate_pack
from qa_arena_desktop.context import open_catalog
from qa_arena_desktop.domain.judge_models import GOLDEN, VariantRun
from qa_arena_desktop.domain.judge_models import TestOutcome as RunTest
from qa_arena_desktop.domain.verdicts import Outcome
from qa_arena_desktop.packs.content import (
    TEMPLATE_PLACEHOLDER,
    MutantText,
    content_issues,
    content_problems,
    example_lines,
)
from qa_arena_desktop.packs.errors import PackError
from qa_arena_desktop.packs.loader import load_pack, pack_dirs
from tests.packs.factory import is_examples_run, manifest, write_pack


def test_an_example_is_a_call_in_a_fenced_block_or_after_a_prompt():
    assert example_lines("```python\nadd_one(1)  # 2\n```\n", "add_one") == ["add_one(1)  # 2"]
    assert example_lines("~~~\nx = add_one(1)\n~~~\n", "add_one") == ["x = add_one(1)"]
    assert example_lines("Try it:\n\n    >>> add_one(1)\n    2\n", "add_one") == [">>> add_one(1)"]


@pytest.mark.parametrize("description", [
    "Call `add_one(1)` and get 2.",  # inline code is prose, not an example
    "```python\ndef add_one(x: int) -> int\n```\n",  # the signature block of the starter
    "```python\nsub_one(1)\nmy.add_one(1)\n```\n",  # another function, a method of something
    "add_one(1)\n",  # a call in plain text
])
def test_these_are_not_examples(description):
    assert example_lines(description, "add_one") == []


def test_the_starter_description_is_the_template_and_has_no_example():
    draft = new_pack("add-one", "Add one", "Easy", "def add_one(x: int) -> int")
    assert TEMPLATE_PLACEHOLDER in draft.description_md
    problems = content_problems(draft.description_md, "add_one", ())
    assert [m.split(":")[0] for m in problems["description"]] == ["still the starter text",
                                                                  "has no example"]
    # rewrapped by the author's editor, still the template
    rewrapped = draft.description_md.replace("with an example", "with an\nexample")
    assert "still the starter text" in content_problems(rewrapped, "add_one", ())["description"][0]


def test_every_scored_mutant_needs_a_hint_but_an_equivalent_one_does_not():
    problems = content_problems("```\nf(1)\n```", "f", [MutantText("a", "Try 0."),
                                                        MutantText("b", "  "),
                                                        MutantText("c", "", equivalent=True)])
    assert list(problems) == ["mutants[1].hint"] and "'b' has no hint" in problems["mutants[1].hint"][0]


def test_every_bundled_pack_is_finished():
    for folder in pack_dirs(paths.problems_dir()):
        assert content_issues(load_pack(folder)) == [], folder.name


def _unfinished(tmp_path: Path) -> Path:
    folder = write_pack(tmp_path)
    (folder / "problem.toml").write_text(manifest().replace('hint = "Look closely."', 'hint = ""', 1))
    (folder / "description.md").write_text(f"# Add one\n\n{TEMPLATE_PLACEHOLDER}\n")
    return folder


def test_validate_refuses_an_unfinished_pack_naming_each_problem(tmp_path):
    folder = _unfinished(tmp_path)
    load_pack(folder)  # still a well-formed pack

    class AllKilled:
        def run(self, request, on_variant, cancel=None, log=None, on_start=None):  # type: ignore[no-untyped-def]
            tests = ("test_zero", "test_negative")
            on_variant(VariantRun(variant=GOLDEN, golden=True, outcome=Outcome.PASSED,
                                  tests=tuple(RunTest(id=t, outcome="passed") for t in tests)))
            for mutant in request.mutants:
                if is_examples_run(request):  # the examples catch no bug
                    on_variant(VariantRun(variant=mutant.name, outcome=Outcome.PASSED))
                    continue
                on_variant(VariantRun(variant=mutant.name, outcome=Outcome.FAILED,
                                      tests=tuple(RunTest(id=t, outcome="failed") for t in tests)))

    result = validate_pack(folder, AllKilled())
    assert not result.ok
    assert result.errors[:3] == (
        "description.md: description: still the starter text: replace “Describe what it "
        "returns…” with the real contract",
        "description.md: description: has no example: show a call of add_one(...) in a ``` "
        "code block or on a >>> line",
        "problem.toml: mutants[0].hint: mutant 'returns-same' has no hint: write the question a "
        "learner whose tests miss this bug should ask")
    assert validate_pack(write_pack(tmp_path / "finished"), AllKilled()).ok


def test_publish_refuses_an_unfinished_pack(tmp_path, isolated_home):
    catalog, _ = open_catalog()
    try:
        with pytest.raises(PackError) as raised:
            publish(catalog, _unfinished(tmp_path))
        assert {issue.field for issue in raised.value.issues} == {"description", "mutants[0].hint"}
        pack, outcome = publish(catalog, write_pack(tmp_path / "finished"))
        assert outcome == "added"
    finally:
        catalog.close()
