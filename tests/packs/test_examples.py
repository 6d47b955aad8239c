"""The description's examples as a test file (docs/pack-format.md, "Examples")."""

from qa_arena_desktop.domain.pack import Difficulty
from qa_arena_desktop.packs.examples import EXAMPLES_CEILING, code_blocks, examples_test_file

COMMENTED = '''# Title

```python
from datetime import date

days(date(2024, 1, 1))     # 1   (a note in parentheses is not part of it)
days(date(2024, 1, 2))     # -> 2
days(None)                 # raises ValueError
days("x")                  # raises KeyError: "no such day"
days(3)                    # the third day: an ordinary comment
```
'''

DOCTEST = '''
```pycon
>>> cache = LRUCache(2)
>>> cache.put("a", 1)
>>> cache.get("a")
1
>>> cache.get(
...     "b", 0)
0
>>> LRUCache(0)
Traceback (most recent call last):
ValueError: capacity must be at least 1
```
'''


def test_comment_examples_become_assertions_and_raises_blocks():
    text, count = examples_test_file(COMMENTED, ("days",))
    assert count == 4
    assert "from target import days" in text
    assert "    from datetime import date" in text
    assert "    assert (days(date(2024, 1, 1))) == (1)" in text
    assert "    assert (days(date(2024, 1, 2))) == (2)" in text
    assert "    with pytest.raises(ValueError):\n        days(None)" in text
    assert "pytest.raises(KeyError, match=re.escape('no such day'))" in text
    assert "    days(3)" in text  # run as code, not checked
    compile(text, "examples", "exec")


def test_doctest_examples_keep_their_order_in_one_test():
    text, count = examples_test_file(DOCTEST, ("LRUCache",))
    assert count == 3
    body = text.split("def test_examples_block_1():\n")[1]
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    assert lines[:3] == ["cache = LRUCache(2)", 'cache.put("a", 1)', 'assert (cache.get("a")) == (1)']
    assert 'assert (cache.get(\n' in body or "cache.get(" in lines[3]
    assert "pytest.raises(ValueError, match=re.escape('capacity must be at least 1'))" in text
    compile(text, "examples", "exec")


def test_blocks_of_other_languages_and_without_checks_give_no_test():
    markdown = "```toml\nx = 1  # 1\n```\n\n```python\nimport os\n```\n"
    assert len(code_blocks(markdown)) == 1
    assert examples_test_file(markdown, ("f",)) == ("", 0)


def test_each_block_is_a_test_of_its_own():
    markdown = "```python\nf(1)  # 1\n```\n\ntext\n\n```python\nf(2)  # 2\n```\n"
    text, count = examples_test_file(markdown, ("f",))
    assert count == 2
    assert "def test_examples_block_1" in text and "def test_examples_block_2" in text


def test_a_hash_inside_a_string_is_not_a_comment():
    text, count = examples_test_file('```python\nf("# 3")  # "x"\n```\n', ("f",))
    assert count == 1
    assert "assert (f(\"# 3\")) == (\"x\")" in text


def test_ceilings_follow_the_issue():
    assert EXAMPLES_CEILING == {Difficulty.VERY_EASY: 85.0, Difficulty.EASY: 85.0,
                                Difficulty.MEDIUM: 70.0, Difficulty.HARD: 55.0}


MULTILINE = '''
```python
text = """two
lines"""   # kept as code
count_lines(text)   # 2
```
'''


def test_a_string_over_several_lines_is_code_not_an_error():
    # Its first line does not tokenize alone: it used to stop validation with an
    # internal error (tokenize.TokenError) instead of being read as code.
    text, count = examples_test_file(MULTILINE, ("count_lines",))
    assert count == 1
    assert '    text = """two\n    lines"""' in text
    assert "    assert (count_lines(text)) == (2)" in text
    compile(text, "examples", "exec")
