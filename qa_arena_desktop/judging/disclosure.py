"""Failure messages that would give the hidden code away are withheld, on the host.

Container paths are taken out first (``/work/run/target.py`` reads ``target.py``): the
learner never saw those folders, and a message must not point at the judge's insides.

A learner's test can fail on purpose with the code under test as its message
(``assert False, open("target.py").read()``, ``inspect.getsource(target)``), and
the message would land in the JSON, the catalog and the gradebook. Here, where the
variant's source is known, every message is first cut to :data:`MAX_MESSAGE_CHARS`
and then replaced by :data:`WITHHELD` when what is left holds the code under test:

* **lines**: :data:`RUN_LINES` consecutive non-trivial source lines (at least
  :data:`MIN_LINE_CHARS` characters once stripped) appear on consecutive non-trivial
  lines of the message, each inside its message line (so ``E   `` or ``AssertionError:``
  prefixes do not hide it), whatever the indentation or the spacing; or
* **verbatim**: :data:`MIN_VERBATIM_CHARS` non-whitespace characters in a row of the
  source appear in the message, whitespace ignored on both sides (so a source joined
  on one line, re-indented or with its line breaks changed still counts); a shorter
  source (at least :data:`MIN_WHOLE_CHARS` of them) counts when it appears whole.

Test ids are checked the same way (a parametrize id can be made of the source) and a
disclosing id is shown as ``test-id-withheld-<hash>``.

Both rules also read the message with repr escapes undone (``\\n``, ``\\t``, ``\\'``,
``\\\\``), as pytest's assertion rewriting shows strings. A one-line quote of the code
(pytest citing the line that raised) stays; an encoded copy (base64, reversed) is
not recognised: the static check's ``reads-target-source`` flag is the net for that.
"""

from __future__ import annotations

import hashlib
import re

MAX_MESSAGE_CHARS = 2048
WITHHELD = "message withheld: it contained the code under test"
FLAG = "message-withheld"
RUN_LINES = 3
MIN_LINE_CHARS = 8
MIN_VERBATIM_CHARS = 80
MIN_WHOLE_CHARS = 24  # a source this short (whitespace aside) is never matched whole

_SPACE = re.compile(r"\s+")
_ESCAPES = re.compile(r"\\(?:[nrt'\"\\])")
_UNESCAPED = {"\\n": "\n", "\\r": "\r", "\\t": "\t", "\\'": "'", '\\"': '"', "\\\\": "\\"}


# The sandbox's folders (judge/qa_judge/sandbox.py): a path inside them says nothing to the
# learner, who never saw those folders. "/work/run/target.py" is shown as "target.py".
_INTERNAL_PREFIX = re.compile(r"(?<![\w./~-])/work(?:/run|/home)?/")
_INTERNAL_BARE = re.compile(r"(?<![\w./~-])/work(?:/run|/home)?(?![\w./~-])")


def without_internal_paths(message: str) -> str:
    """``message`` with the container's own folders left out of every path in it."""
    if "/work" not in message:
        return message
    return _INTERNAL_PREFIX.sub("", _INTERNAL_BARE.sub(".", message))


def cap(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``message`` cut to ``limit`` characters, saying so."""
    if len(message) <= limit:
        return message
    return message[: limit - 20] + " ... (message cut)"


def withheld_id(test_id: str) -> str:
    """What a test id that holds the code under test is shown as (one per id)."""
    digest = hashlib.sha256(test_id.encode("utf-8", "replace")).hexdigest()[:12]
    return f"test-id-withheld-{digest}"


def _lines(text: str) -> list[str]:
    """Non-trivial lines, whitespace runs made one space."""
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return [line for line in lines if len(line) >= MIN_LINE_CHARS]


class SourceMatcher:
    """Tells whether a message holds one variant's source (built once per variant)."""

    def __init__(self, source: str) -> None:
        self.lines = _lines(source)
        dense = _SPACE.sub("", source)
        # A source shorter than the verbatim run counts when quoted whole.
        self.n = n = min(MIN_VERBATIM_CHARS, len(dense))
        self.grams = ({dense[i:i + n] for i in range(len(dense) - n + 1)}
                      if n >= MIN_WHOLE_CHARS else set())

    def _has_run(self, message: str) -> bool:
        needed = min(RUN_LINES, len(self.lines))
        lines = _lines(message)
        if needed == 0 or len(lines) < needed:
            return False
        # hits[k]: the source lines that message line k holds
        hits = [{j for j, src in enumerate(self.lines) if src in line} for line in lines]
        return any(
            all(j + k in hits[at + k] for k in range(1, needed))
            for at in range(len(lines) - needed + 1) for j in hits[at]
        )

    def _has_verbatim(self, message: str) -> bool:
        if not self.grams:
            return False
        dense = _SPACE.sub("", message)
        n = self.n
        return any(dense[i:i + n] in self.grams for i in range(len(dense) - n + 1))

    def discloses(self, message: str) -> bool:
        if not message:
            return False
        unescaped = _ESCAPES.sub(lambda m: _UNESCAPED[m.group()], message)
        return any(self._has_run(text) or self._has_verbatim(text)
                   for text in dict.fromkeys((message, unescaped)))

    def clean(self, message: str) -> tuple[str, bool]:
        """(the message to keep, whether it was withheld): no container paths, capped, and
        withheld when it holds the code under test."""
        kept = cap(without_internal_paths(message))
        if self.discloses(kept):
            return WITHHELD, True
        return kept, False
