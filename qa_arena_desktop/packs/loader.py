"""Load a problem pack from a folder or a ``.zip`` and validate all of it.

Every problem is reported, not just the first, and each one names the file,
the field where there is one, and why. Packs are untrusted: the files are read by
``folder_files`` and ``zip_files`` (no links, sizes checked before reading, every
read capped; limits in ``limits``, documented in ``docs/pack-format.md``), and a
corrupt member or a too-deep TOML or Python file is a :class:`PackError`, never a
crash.
"""

from __future__ import annotations

import ast
import hashlib
import io
import os
import tomllib
import zipfile
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from qa_arena_desktop.domain.pack import (
    ALT_GOLDEN_PREFIX,
    MANIFEST,
    AltGolden,
    MutantSource,
    Pack,
    ProblemManifest,
    SupportFile,
)
from qa_arena_desktop.packs.errors import FileProblem, PackError, PackIssue
from qa_arena_desktop.packs.folder_files import FolderFiles
from qa_arena_desktop.packs.limits import MAX_FILE_BYTES, MAX_ZIP_BYTES
from qa_arena_desktop.packs.zip_files import ZipFiles

__all__ = ["MAX_FILE_BYTES", "MAX_ZIP_BYTES", "MANIFEST", "PackError", "PackIssue", "load_pack",
           "load_packs", "pack_bytes_for_zip", "pack_dirs"]


class _Files:
    """Read-only access to a pack's files, from a folder or from a zip.

    Raises :class:`PackError` when the pack as a whole is refused (a link in it, too
    many entries, an unreadable or oversize zip).
    """

    def __init__(self, origin: Path) -> None:
        self.origin = origin
        self._reader: FolderFiles | ZipFiles
        if origin.is_file():
            self._reader = ZipFiles(origin)
        elif origin.is_dir():
            self._reader = FolderFiles(origin)
        else:
            raise PackError(str(origin), [PackIssue(str(origin), "no such folder or zip file")])

    def read(self, name: str) -> bytes | None:
        """The file's bytes, ``None`` when missing; raises :class:`FileProblem`."""
        return self._reader.read(name)

    def read_bytes(self, name: str) -> bytes | None:
        """The file's bytes, ``None`` when missing or unusable (for the authoring draft)."""
        try:
            return self._reader.read(name)
        except FileProblem:
            return None


def _decode(files: _Files, name: str, issues: list[PackIssue], field: str = "") -> str | None:
    try:
        data = files.read(name)
    except FileProblem as exc:
        issues.append(PackIssue(name, exc.message, field))
        return None
    if data is None:
        issues.append(PackIssue(name, "file is missing", field))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        issues.append(PackIssue(name, f"not valid UTF-8 (byte {exc.start})", field))
        return None


def _parse_manifest(origin: Path, text: str) -> ProblemManifest:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(str(origin), [PackIssue(MANIFEST, f"invalid TOML: {exc}")]) from None
    except (RecursionError, MemoryError):
        raise PackError(str(origin), [PackIssue(MANIFEST, "invalid TOML: nested too deeply")]) from None
    try:
        return ProblemManifest.model_validate(raw)
    except ValidationError as exc:
        raise PackError(str(origin), _validation_issues(exc)) from None
    except (RecursionError, MemoryError):
        raise PackError(str(origin), [PackIssue(MANIFEST, "nested too deeply")]) from None


def _parse_python(name: str, source: str, issues: list[PackIssue]) -> ast.Module | None:
    try:
        return ast.parse(source, filename=name)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        issues.append(PackIssue(name, f"does not compile: {where}{exc.msg}"))
    except (RecursionError, MemoryError):  # the parser's own depth limits
        issues.append(PackIssue(name, "does not compile: nested too deeply"))
    except ValueError as exc:  # null bytes, before Python 3.11.4
        issues.append(PackIssue(name, f"does not compile: {exc}"))
    return None


def _shape(name: str, tree: ast.Module | None, issues: list[PackIssue]) -> str | None:
    """:func:`_without_docstrings`, or an issue when the tree is too deep to dump."""
    if tree is None:
        return None
    try:
        return _without_docstrings(tree)
    except RecursionError:
        issues.append(PackIssue(name, "nested too deeply to compare with golden"))
        return None


def _without_docstrings(tree: ast.Module) -> str:
    """AST dump that ignores whitespace, comments and docstrings."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, annotate_fields=False)


def _defines(tree: ast.Module, name: str) -> bool:
    """Whether the module defines ``name`` at top level (a def, a class or an assignment)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
                node.name == name):
            return True
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return True
    return False


_defines_function = _defines  # the authoring draft's name for it


def _check_interface(manifest: ProblemManifest, name: str, tree: ast.Module | None,
                     issues: list[PackIssue]) -> None:
    if tree is None:
        return
    for wanted in manifest.api_names:
        if not _defines(tree, wanted):
            where = "function_signature" if wanted == manifest.function_name and (
                manifest.function_signature) else "api"
            shown = f"{wanted}()" if where == "function_signature" else wanted
            issues.append(PackIssue(name, f"does not define {shown} named in {where}"))


def _support_files(files: _Files, manifest: ProblemManifest,
                   issues: list[PackIssue]) -> list[SupportFile]:
    found = []
    for index, name in enumerate(manifest.support_files):
        text = _decode(files, name, issues, f"support_files[{index}]")
        if text is not None:
            _parse_python(name, text, issues)
            found.append(SupportFile(name=name, text=text))
    return found


def _alt_goldens(files: _Files, manifest: ProblemManifest, golden: str | None,
                 issues: list[PackIssue]) -> list[AltGolden]:
    found = []
    for index, spec in enumerate(manifest.goldens, start=2):
        source = _decode(files, spec.file, issues, f"goldens[{index - 2}].file")
        if source is None:
            continue
        tree = _parse_python(spec.file, source, issues)
        _check_interface(manifest, spec.file, tree, issues)
        if golden is not None and source == golden:
            issues.append(PackIssue(spec.file, "identical to golden: a further golden must "
                                    "differ where the spec leaves freedom"))
        found.append(AltGolden(name=f"{ALT_GOLDEN_PREFIX}{index}", source=source,
                               clause=spec.clause))
    return found


def _validation_issues(error: ValidationError) -> list[PackIssue]:
    issues = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"])
        if item["loc"][:1] == ("mutants",) and len(item["loc"]) > 1:
            location = f"mutants[{item['loc'][1]}]" + "".join(f".{p}" for p in item["loc"][2:])
        issues.append(PackIssue(MANIFEST, item["msg"], location or "(document)"))
    return issues


def load_pack(path: str | Path) -> Pack:
    """Load and validate one pack; raise :class:`PackError` listing every problem."""
    origin = Path(path)
    files = _Files(origin)
    issues: list[PackIssue] = []

    manifest_text = _decode(files, MANIFEST, issues)
    if manifest_text is None:
        raise PackError(str(origin), issues)
    manifest = _parse_manifest(origin, manifest_text)

    description = _decode(files, manifest.description, issues, "description")
    golden = _decode(files, manifest.golden, issues, "golden")
    reference = _decode(files, manifest.reference_tests, issues, "reference_tests")

    golden_tree = _parse_python(manifest.golden, golden, issues) if golden is not None else None
    _check_interface(manifest, manifest.golden, golden_tree, issues)
    support = _support_files(files, manifest, issues)
    alternatives = _alt_goldens(files, manifest, golden, issues)
    golden_shape = _shape(manifest.golden, golden_tree, issues)
    if reference is not None:
        _parse_python(manifest.reference_tests, reference, issues)

    seen_names: set[str] = set()
    seen_files: set[str] = set()
    mutants: list[MutantSource] = []
    for index, spec in enumerate(manifest.mutants):
        field = f"mutants[{index}]"
        if spec.name in seen_names:
            issues.append(PackIssue(MANIFEST, f"duplicate mutant name {spec.name!r}", field))
        if spec.file in seen_files:
            issues.append(PackIssue(MANIFEST, f"file {spec.file!r} used by two mutants", field))
        seen_names.add(spec.name)
        seen_files.add(spec.file)
        source = _decode(files, spec.file, issues, f"{field}.file")
        if source is None:
            continue
        tree = _parse_python(spec.file, source, issues)
        if golden is not None and source == golden:
            issues.append(PackIssue(spec.file, f"mutant {spec.name!r} is identical to golden"))
        elif golden_shape is not None and _shape(spec.file, tree, issues) == golden_shape:
            issues.append(
                PackIssue(
                    spec.file,
                    f"mutant {spec.name!r} differs from golden only in whitespace, "
                    "comments or docstrings",
                )
            )
        mutants.append(
            MutantSource(
                name=spec.name,
                source=source,
                weight=spec.weight,
                hint=spec.hint,
                equivalent=spec.equivalent,
                title=spec.title,
            )
        )
    if manifest.mutants and all(m.equivalent for m in manifest.mutants):
        issues.append(PackIssue(MANIFEST, "every mutant is marked equivalent: nothing to score", "mutants"))

    if issues:
        raise PackError(str(origin), issues)
    assert description is not None and golden is not None and reference is not None

    digest = hashlib.sha256(manifest_text.encode())
    for text in (description, golden, reference, *(m.source for m in mutants),
                 *(f"{f.name}\0{f.text}" for f in support), *(g.source for g in alternatives)):
        digest.update(b"\0" + text.encode())
    return Pack(
        slug=manifest.slug,
        title=manifest.title,
        difficulty=manifest.difficulty,
        function_signature=manifest.function_signature or manifest.api,
        description_md=description,
        golden_source=golden,
        reference_tests=reference,
        time_limit_s=manifest.time_limit_s,
        tags=tuple(manifest.tags),
        mutants=tuple(mutants),
        origin=str(origin),
        content_hash=digest.hexdigest(),
        feedback=manifest.feedback,
        kind=manifest.kind,
        chapter=manifest.chapter,
        api=manifest.api,
        support_files=tuple(support),
        alt_goldens=tuple(alternatives),
    )


def pack_dirs(root: Path) -> list[Path]:
    """The pack folders and zips directly under ``root``, sorted by name."""
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if (p.is_dir() and (p / MANIFEST).is_file()) or (p.is_file() and p.suffix == ".zip")
    )


def load_packs(paths: Iterable[Path]) -> tuple[list[Pack], list[PackError]]:
    """Load many packs; a bad pack or a duplicate slug is an error, the rest still load."""
    packs: list[Pack] = []
    errors: list[PackError] = []
    by_slug: dict[str, Pack] = {}
    for path in paths:
        try:
            pack = load_pack(path)
        except PackError as exc:
            errors.append(exc)
            continue
        if pack.slug in by_slug:
            errors.append(
                PackError(
                    str(path),
                    [PackIssue(MANIFEST, f"duplicate slug {pack.slug!r}, also used by "
                               f"{by_slug[pack.slug].origin}", "slug")],
                )
            )
            continue
        by_slug[pack.slug] = pack
        packs.append(pack)
    return packs, errors


def pack_bytes_for_zip(pack_dir: Path) -> bytes:
    """A zip of a pack folder, as ``Export`` and tests produce it."""
    buffer = io.BytesIO()
    files = []
    for folder, dirs, names in os.walk(pack_dir):  # links to folders are not followed
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        files += [Path(folder, n) for n in names if not Path(folder, n).is_symlink()]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(files):
            if file.is_file():
                archive.write(file, file.relative_to(pack_dir).as_posix())
    return buffer.getvalue()
