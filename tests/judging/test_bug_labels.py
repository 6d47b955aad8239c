"""The naming rule: "Bug N" (pack order) until a bug is caught on a passing golden, or revealed."""

from __future__ import annotations

from qa_arena_desktop.domain.judge_models import GoldenResult, JudgeResult, MutantResult
from qa_arena_desktop.domain.judge_models import TestOutcome as Outcome  # not a pytest class
from qa_arena_desktop.domain.pack import MutantSource
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.judging.bug_labels import bug_labels, caught_in, labels_for_result
from qa_arena_desktop.practice.hints import REVEALING_LEVEL, HintLevel, graded_hint
from qa_arena_desktop.practice.kill_matrix import idle_tests

PACK = (
    MutantSource(name="allows-leading-zeros", source="", weight=1),
    MutantSource(name="matches-prefix", source="", weight=1, title="Prefix matching"),
    MutantSource(name="off-by-one", source="", weight=1),
)


def mutant(name: str, status: MutantStatus, tests: dict[str, str] | None = None,
           killed_by: tuple[str, ...] = ()) -> MutantResult:
    return MutantResult(name=name, weight=1, status=status, killed_by=killed_by,
                        tests=tuple(Outcome(id=t, outcome=o) for t, o in (tests or {}).items()))


def result(*mutants: MutantResult, golden: str = "passed",
           status: SubmissionStatus = SubmissionStatus.SUCCESS) -> JudgeResult:
    return JudgeResult(submission_id="s", problem="p", status=status, score=0, killed_mutants=0,
                       total_mutants=len(mutants), kill_ratio=0,
                       golden=GoldenResult(outcome=golden), mutants=mutants)


def test_every_bug_is_numbered_in_pack_order_until_known():
    labels = bug_labels(PACK)
    assert labels.labels() == ["Bug 1", "Bug 2", "Bug 3"]
    assert [labels.number(m.name) for m in PACK] == [1, 2, 3]


def test_a_caught_bug_shows_its_name_or_the_packs_title():
    labels = bug_labels(PACK, caught=["allows-leading-zeros", "matches-prefix"])
    assert labels.labels() == ["allows-leading-zeros", "Prefix matching", "Bug 3"]


def test_numbers_do_not_depend_on_the_order_verdicts_arrive_in():
    run = result(mutant("off-by-one", MutantStatus.SURVIVED),
                 mutant("allows-leading-zeros", MutantStatus.SURVIVED),
                 mutant("matches-prefix", MutantStatus.KILLED))
    labels = labels_for_result(PACK, run)
    assert [labels.label(m.name) for m in PACK] == ["Bug 1", "Prefix matching", "Bug 3"]


def test_a_bug_revealed_by_its_hint_is_named_without_a_kill():
    assert bug_labels(PACK, revealed=["off-by-one"]).labels() == ["Bug 1", "Bug 2", "off-by-one"]


def test_kills_count_only_when_the_tests_passed_on_the_correct_code():
    # The attack: `assert False` fails everywhere, so it "kills" every mutant.
    cheat = result(*(mutant(m.name, MutantStatus.KILLED) for m in PACK), golden="failed",
                   status=SubmissionStatus.FAILURE)
    assert caught_in(cheat) == frozenset()
    assert labels_for_result(PACK, cheat).labels() == ["Bug 1", "Bug 2", "Bug 3"]
    assert caught_in(None) == frozenset()


def test_limits_count_as_kills_and_a_judge_error_does_not():
    run = result(mutant("allows-leading-zeros", MutantStatus.TIMEOUT),
                 mutant("matches-prefix", MutantStatus.MEMORY),
                 mutant("off-by-one", MutantStatus.ERROR), status=SubmissionStatus.ERROR)
    assert caught_in(run) == {"allows-leading-zeros", "matches-prefix"}


def test_a_stored_result_naming_a_mutant_the_pack_lost_is_numbered_after_the_pack():
    run = result(mutant("gone-since", MutantStatus.SURVIVED))
    labels = labels_for_result(PACK, run)
    assert labels.label("gone-since") == "Bug 4"


def test_the_widest_label_covers_hidden_and_revealed_forms():
    assert bug_labels(PACK).widest() == len("allows-leading-zeros")
    assert bug_labels(()).widest() == len("Bug 1")


def test_the_diff_is_the_revealing_rung_and_names_the_bug_as_told():
    assert REVEALING_LEVEL is HintLevel.DIFF
    source = MutantSource(name="matches-prefix", source="x = 2\n", weight=1)
    hint = graded_hint("x = 1\n", source, "Prefix matching")
    assert "buggy version: Prefix matching" in hint.diff
    assert "matches-prefix" not in hint.text_at(HintLevel.CHANGED_LINE)


# ---- tests that catch nothing -------------------------------------------------------------------


def test_a_test_that_kills_nothing_on_a_success_run_is_named():
    run = result(mutant("allows-leading-zeros", MutantStatus.KILLED,
                        {"test_a": "failed", "test_b": "passed"}, killed_by=("test_a",)),
                 mutant("matches-prefix", MutantStatus.SURVIVED,
                        {"test_a": "passed", "test_b": "passed"}))
    assert idle_tests(run) == ("test_b",)


def test_no_idle_tests_are_named_unless_the_run_succeeded():
    for status, golden in ((SubmissionStatus.FAILURE, "failed"),
                           (SubmissionStatus.CANCELLED, "passed")):
        run = result(mutant("matches-prefix", MutantStatus.SURVIVED, {"test_b": "passed"}),
                     golden=golden, status=status)
        assert idle_tests(run) == ()
    assert idle_tests(None) == ()


def test_a_test_that_may_have_hit_a_limit_is_not_called_idle():
    # A mutant killed by the time limit reports no per-test outcomes: test_slow may be its killer.
    run = result(mutant("allows-leading-zeros", MutantStatus.TIMEOUT),
                 mutant("matches-prefix", MutantStatus.SURVIVED,
                        {"test_slow": "passed", "test_b": "passed"}))
    assert idle_tests(run) == ()
    reported = result(mutant("allows-leading-zeros", MutantStatus.TIMEOUT, {"test_b": "passed"}),
                      mutant("matches-prefix", MutantStatus.SURVIVED,
                             {"test_slow": "passed", "test_b": "passed"}))
    assert idle_tests(reported) == ("test_b",)


def test_a_judge_fault_names_its_mutant_by_label_and_learner_text_is_never_rewritten():
    from qa_arena_desktop.judging.bug_labels import judge_message

    labels = bug_labels(PACK, caught=["matches-prefix"])
    fault = "the judge failed on mutant off-by-one: the engine went away"
    assert judge_message(fault, labels) == "the judge failed on Bug 3: the engine went away"
    caught = "the judge failed on mutant matches-prefix: x"
    assert judge_message(caught, labels) == "the judge failed on Prefix matching: x"
    # A learner guessing names in their own text (a parametrized test id, an assertion):
    # rewriting the guess to "Bug 3" would confirm it, so it stays as they wrote it.
    guess = "test_guess[off-by-one] failed on the correct implementation: off-by-one"
    assert judge_message(guess, labels) == guess
    other = "the judge failed on mutant not-in-this-pack: x"
    assert judge_message(other, labels) == other
