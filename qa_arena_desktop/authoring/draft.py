"""The studio's editable pack: plain dataclasses, checked field by field as the author types.

Why not the loader's :class:`Pack`: that is a *valid* pack, frozen, and it forgets
file names. A pack being written is often invalid (a mutant not written yet, a
slug half typed), and the studio must still open, show and save it. So a draft
keeps raw values; :func:`field_errors` runs the same pydantic models
(``ProblemManifest``/``MutantManifest``) and the loader's source checks, and
returns messages keyed by field (``"slug"``, ``"mutants[2].weight"``,
``"golden"``) for the inline errors.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qa_arena_desktop.authoring.toml_editing import edit_manifest
from qa_arena_desktop.authoring.toml_writer import dumps_manifest
from qa_arena_desktop.domain.pack import SIGNATURE_RE, ProblemManifest, SupportFile
from qa_arena_desktop.packs.content import TEMPLATE_PLACEHOLDER, MutantText, content_problems
from qa_arena_desktop.packs.loader import MANIFEST, PackError, _defines_function, _Files, _without_docstrings

FRIENDLY = {
    "string_pattern_mismatch": "use lowercase letters, digits and single hyphens (like add-one)",
    "string_too_short": "must not be empty",
}


class DraftError(Exception):
    """A pack folder or zip could not be opened at all (no readable ``problem.toml``)."""


@dataclass
class MutantDraft:
    name: str
    source: str
    weight: float = 1.0
    hint: str = ""
    equivalent: bool = False
    file: str = ""  # "" = follow the name: mutants/<name>.py
    extra: dict[str, Any] = field(default_factory=dict)
    origin: int | None = None  # its [[mutants]] table in the file as read (None: added since)

    @property
    def path(self) -> str:
        return self.file or f"mutants/{self.name}.py"

    def rename(self, name: str) -> None:
        """A file that followed the old name follows the new one."""
        if self.file == f"mutants/{self.name}.py":
            self.file = ""
        self.name = name


@dataclass
class PackDraft:
    slug: str
    title: str
    difficulty: str
    function_signature: str
    description_md: str = ""
    golden_source: str = ""
    reference_tests: str = ""
    time_limit_s: float | None = None  # None: not written, the default (5 s) applies
    tags: list[str] | None = None
    mutants: list[MutantDraft] = field(default_factory=list)
    description_file: str = "description.md"
    golden_file: str = "golden.py"
    reference_file: str = "reference_tests.py"
    extra: dict[str, Any] = field(default_factory=dict)
    # Support files and further goldens (docs/pack-format.md), kept as read so that a
    # saved or exported pack still holds them: relative path -> text.
    other_files: dict[str, str] = field(default_factory=dict)
    # ``problem.toml`` as read: saving edits it in place, so the author's comments and
    # layout survive (toml_editing); "" for a new pack, written in the documented layout.
    manifest_text: str = ""

    @property
    def function_name(self) -> str:
        match = SIGNATURE_RE.match(self.function_signature)
        return match.group(1) if match else ""

    def manifest(self) -> dict[str, Any]:
        """The ``problem.toml`` document as a dict, in the documented order."""
        data: dict[str, Any] = {
            "slug": self.slug, "title": self.title, "difficulty": self.difficulty,
            # An ``api`` pack may leave the signature out (docs/pack-format.md).
            "function_signature": self.function_signature
            if self.function_signature or not self.extra.get("api") else None,
            "description": self.description_file,
            "golden": self.golden_file, "reference_tests": self.reference_file,
            "time_limit_s": self.time_limit_s, "tags": self.tags,
        }
        data.update(self.extra)
        data["mutants"] = [
            {"name": m.name, "file": m.path, "weight": m.weight, "hint": m.hint,
             "equivalent": m.equivalent, **m.extra}
            for m in self.mutants
        ]
        return data

    def manifest_file(self) -> str:
        """``problem.toml``: the file as read with only the changed values changed, or
        the documented layout for a new pack (or a file tomlkit cannot read)."""
        manifest = self.manifest()
        if self.manifest_text:
            edited = edit_manifest(self.manifest_text, manifest, [m.origin for m in self.mutants])
            if edited is not None:
                return edited
        return dumps_manifest(manifest)

    def files(self) -> dict[str, str]:
        """Every file of the pack, relative path -> text (``problem.toml`` first)."""
        files = {MANIFEST: self.manifest_file(), self.description_file: self.description_md,
                 self.golden_file: self.golden_source, self.reference_file: self.reference_tests}
        for mutant in self.mutants:
            files[mutant.path] = mutant.source
        for name, text in self.other_files.items():
            files.setdefault(name, text)
        return files

    def support_files(self) -> tuple[SupportFile, ...]:
        """The files the manifest lists under ``support_files``, as the judge gets them."""
        names = self.extra.get("support_files") or ()
        return tuple(SupportFile(name=name, text=self.other_files.get(name, ""))
                     for name in names if isinstance(name, str))

    def unique_mutant_name(self, base: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:56] or "mutant"
        taken = {m.name for m in self.mutants}
        name, counter = base, 2
        while name in taken:
            name, counter = f"{base}-{counter}", counter + 1
        return name

    def add_mutant(self, name: str, source: str, hint: str = "", weight: float = 1.0) -> MutantDraft:
        mutant = MutantDraft(name=self.unique_mutant_name(name), source=source, hint=hint,
                             weight=weight)
        self.mutants.append(mutant)
        return mutant

    def duplicate_golden(self, name: str = "new-mutant") -> MutantDraft:
        """A new mutant that starts as a copy of golden (the author then breaks it)."""
        return self.add_mutant(name, self.golden_source)


# ---- opening ----------------------------------------------------------------------------------


def _text(files: _Files, name: str) -> str:
    data = files.read_bytes(name) if isinstance(name, str) and name else None
    return data.decode("utf-8", errors="replace") if data is not None else ""


def load_draft(path: str | Path) -> PackDraft:
    """Open a pack folder or zip for editing, valid or not (missing files read as empty)."""
    try:
        files = _Files(Path(path))
    except PackError as exc:
        raise DraftError("; ".join(str(i) for i in exc.issues)) from None
    raw_bytes = files.read_bytes(MANIFEST)
    if raw_bytes is None:
        raise DraftError(f"{path}: {MANIFEST} is missing")
    try:
        raw = tomllib.loads(raw_bytes.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DraftError(f"{path}: {MANIFEST} is not valid TOML: {exc}") from None
    known = {"slug", "title", "difficulty", "function_signature", "description", "golden",
             "reference_tests", "time_limit_s", "tags", "mutants"}
    draft = PackDraft(
        slug=str(raw.get("slug", "")), title=str(raw.get("title", "")),
        difficulty=str(raw.get("difficulty", "")),
        function_signature=str(raw.get("function_signature", "")),
        description_file=str(raw.get("description", "description.md")),
        golden_file=str(raw.get("golden", "golden.py")),
        reference_file=str(raw.get("reference_tests", "reference_tests.py")),
        time_limit_s=raw.get("time_limit_s"), tags=raw.get("tags"),
        extra={k: v for k, v in raw.items() if k not in known},
        manifest_text=raw_bytes.decode("utf-8"),
    )
    draft.description_md = _text(files, draft.description_file)
    draft.golden_source = _text(files, draft.golden_file)
    draft.reference_tests = _text(files, draft.reference_file)
    for origin, spec in enumerate(raw.get("mutants") or []):
        if not isinstance(spec, dict):
            continue
        name = str(spec.get("name", ""))
        file = str(spec.get("file", ""))
        draft.mutants.append(MutantDraft(
            name=name, source=_text(files, file), weight=spec.get("weight", 1.0),
            hint=str(spec.get("hint", "")), equivalent=bool(spec.get("equivalent", False)),
            file="" if file == f"mutants/{name}.py" else file,
            extra={k: v for k, v in spec.items()
                   if k not in ("name", "file", "weight", "hint", "equivalent")},
            origin=origin,
        ))
    others = [str(name) for name in raw.get("support_files") or () if isinstance(name, str)]
    others += [str(g["file"]) for g in raw.get("goldens") or ()
               if isinstance(g, dict) and isinstance(g.get("file"), str)]
    for name in others:
        draft.other_files[name] = _text(files, name)
    return draft


def signature_from_golden(source: str) -> str:
    """``def name(args) -> type`` of golden's first top-level function ("" when none or broken).

    The author may start from a golden and leave the signature empty: it is filled from here.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            returns = f" -> {ast.unparse(node.returns)}" if node.returns is not None else ""
            return f"def {node.name}({ast.unparse(node.args)}){returns}"
    return ""


def new_pack(slug: str, title: str, difficulty: str, signature: str, golden: str = "") -> PackDraft:
    """A fresh draft from the wizard's five answers, with a starter description and test."""
    draft = PackDraft(slug=slug, title=title, difficulty=difficulty,
                      function_signature=signature.strip().rstrip(":"), time_limit_s=5,
                      tags=[])
    name = draft.function_name or "solve"
    draft.golden_source = golden if golden.strip() else (
        f"{draft.function_signature}:\n    raise NotImplementedError\n")
    draft.description_md = (f"# {title}\n\nWrite `{name}`:\n\n```python\n{draft.function_signature}\n"
                            f"```\n\n{TEMPLATE_PLACEHOLDER}\n")
    draft.reference_tests = (f"from target import {name}\n\n\ndef test_{name}_example():\n"
                             f"    # Replace with a real example: call {name}(...) and check the "
                             "result.\n"
                             f"    assert callable({name})\n")
    return draft


# ---- checking ---------------------------------------------------------------------------------


def _field_name(loc: tuple[Any, ...]) -> str:
    if loc[:1] == ("mutants",) and len(loc) > 1:
        return f"mutants[{loc[1]}]" + "".join(f".{part}" for part in loc[2:])
    return ".".join(str(part) for part in loc) or "(document)"


def _compile_problem(source: str, name: str) -> tuple[str | None, ast.Module | None]:
    try:
        return None, ast.parse(source, filename=name)
    except (SyntaxError, ValueError) as exc:
        return f"does not compile: line {getattr(exc, 'lineno', '?')}: {getattr(exc, 'msg', exc)}", None


def field_errors(draft: PackDraft) -> dict[str, list[str]]:
    """Every problem with the draft, keyed by field; empty when the loader would accept it."""
    errors: dict[str, list[str]] = defaultdict(list)
    manifest = draft.manifest()
    manifest = {k: v for k, v in manifest.items() if v is not None}
    try:
        ProblemManifest.model_validate(manifest)
    except ValidationError as exc:
        for item in exc.errors():
            message = FRIENDLY.get(item["type"], item["msg"].removeprefix("Value error, "))
            if item["loc"] == ("mutants",) and item["type"] == "too_short":
                message = "add at least one mutant"
            errors[_field_name(item["loc"])].append(message)
    problem, golden_tree = _compile_problem(draft.golden_source, draft.golden_file)
    if problem:
        errors["golden"].append(problem)
    elif golden_tree is not None and draft.function_name and not _defines_function(
            golden_tree, draft.function_name):
        errors["golden"].append(f"does not define {draft.function_name}() named in "
                                "function_signature")
    problem, tests_tree = _compile_problem(draft.reference_tests, draft.reference_file)
    if problem:
        errors["reference_tests"].append(problem)
    elif tests_tree is not None and not any(
            isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name.startswith("test")
            for n in ast.walk(tests_tree)):
        errors["reference_tests"].append("defines no test_… function")
    golden_shape = _without_docstrings(golden_tree) if golden_tree is not None else None
    names: dict[str, int] = {}
    paths: dict[str, int] = {}
    for index, mutant in enumerate(draft.mutants):
        where = f"mutants[{index}]"
        if mutant.name in names:
            errors[f"{where}.name"].append(f"{mutant.name!r} is also the name of mutant "
                                           f"{names[mutant.name] + 1}")
        if mutant.path in paths and mutant.name not in names:
            errors[f"{where}.file"].append(f"{mutant.path!r} is also used by mutant "
                                           f"{paths[mutant.path] + 1}")
        names.setdefault(mutant.name, index)
        paths.setdefault(mutant.path, index)
        problem, tree = _compile_problem(mutant.source, mutant.path)
        if problem:
            errors[f"{where}.source"].append(problem)
        elif mutant.source == draft.golden_source:
            errors[f"{where}.source"].append("identical to golden: change something")
        elif tree is not None and golden_shape is not None and _without_docstrings(tree) == golden_shape:
            errors[f"{where}.source"].append("differs from golden only in whitespace, comments "
                                             "or docstrings")
    if draft.mutants and all(m.equivalent for m in draft.mutants):
        errors["mutants"].append("every mutant is marked equivalent: nothing to score")
    for key, messages in content_problems(
            draft.description_md, draft.function_name,
            (MutantText(m.name, m.hint, bool(m.equivalent)) for m in draft.mutants)).items():
        errors[key].extend(messages)
    return dict(errors)
