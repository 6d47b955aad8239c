"""Write small packs to disk for tests (a valid one, then break it on purpose)."""

from __future__ import annotations

from pathlib import Path

GOLDEN = '''def add_one(x: int) -> int:
    """Return x + 1."""
    return x + 1
'''
MUTANTS = {
    "returns-same": "def add_one(x: int) -> int:\n    return x\n",
    "adds-two": "def add_one(x: int) -> int:\n    return x + 2\n",
}
# A bug test_negative catches and the description's one example (add_one(1) is 2) misses:
# with it the examples alone score under the ceiling, so the pack passes validate.
EXAMPLE_MISSES = {
    "negatives-unchanged": "def add_one(x: int) -> int:\n    return x + 1 if x >= 0 else x\n",
}
REFERENCE = '''from target import add_one


def test_zero():
    assert add_one(0) == 1


def test_negative():
    assert add_one(-5) == -4
'''

DESCRIPTION = "# Add one\n\nReturn `x + 1`.\n\n```python\nadd_one(1)  # 2\n```\n"


def manifest(slug: str = "add-one", mutants: dict[str, str] | None = None, extra: str = "") -> str:
    lines = [
        f'slug = "{slug}"',
        'title = "Add one"',
        'difficulty = "Very Easy"',
        'function_signature = "def add_one(x: int) -> int"',
        'description = "description.md"',
        'golden = "golden.py"',
        'reference_tests = "reference_tests.py"',
        "time_limit_s = 5",
        'tags = ["numbers"]',
        extra,
    ]
    for name in mutants if mutants is not None else MUTANTS:
        lines += ["", "[[mutants]]", f'name = "{name}"', f'file = "mutants/{name}.py"',
                  "weight = 1.0", 'hint = "Look closely."']
    return "\n".join(lines) + "\n"


def is_examples_run(request: object) -> bool:
    """Whether a fake backend is judging the description's examples (not the reference tests),
    which catch no bug in the fakes: they stay under every ceiling."""
    return "def test_examples_block_" in str(getattr(request, "tests", ""))


def write_pack(root: Path, slug: str = "add-one", golden: str = GOLDEN,
               mutants: dict[str, str] | None = None, reference: str = REFERENCE,
               toml: str | None = None) -> Path:
    mutants = MUTANTS if mutants is None else mutants
    pack = root / slug
    (pack / "mutants").mkdir(parents=True, exist_ok=True)
    (pack / "problem.toml").write_text(toml if toml is not None else manifest(slug, mutants))
    (pack / "description.md").write_text(DESCRIPTION)
    (pack / "golden.py").write_text(golden)
    (pack / "reference_tests.py").write_text(reference)
    for name, source in mutants.items():
        (pack / "mutants" / f"{name}.py").write_text(source)
    return pack
