"""Load a problem pack from a folder or a ``.zip`` and validate all of it.

Every problem is reported, not just the first, and each one names the file,
the field where there is one, and why. Limits (documented in
``docs/pack-format.md``): each file at most ``MAX_FILE_BYTES``, a zip at most
``MAX_ZIP_BYTES`` uncompressed, at most 50 mutants.
"""

from __future__ import annotations

import ast
import hashlib
import io
import tomllib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from qa_arena_desktop.packs.model import MutantSource, Pack, ProblemManifest

MAX_FILE_BYTES = 256 * 1024
MAX_ZIP_BYTES = 16 * 1024 * 1024
MANIFEST = "problem.toml"


@dataclass(frozen=True)
class PackIssue:
    file: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class PackError(Exception):
    """A pack could not be loaded; ``issues`` lists every problem found."""

    def __init__(self, origin: str, issues: list[PackIssue]) -> None:
        self.origin = origin
        self.issues = issues
        lines = "\n".join(f"  - {issue}" for issue in issues)
        super().__init__(f"invalid pack {origin}:\n{lines}")


class _Files:
    """Read-only access to a pack's files, from a folder or from a zip."""

    def __init__(self, origin: Path) -> None:
        self.origin = origin
        self._zip_files: dict[str, bytes] | None = None
        if origin.is_file():
            self._zip_files = _read_zip(origin)
        elif not origin.is_dir():
            raise PackError(str(origin), [PackIssue(str(origin), "no such folder or zip file")])

    def read_bytes(self, name: str) -> bytes | None:
        if self._zip_files is not None:
            return self._zip_files.get(name)
        path = self.origin / name
        if not path.is_file():
            return None
        if path.stat().st_size > MAX_FILE_BYTES:
            return path.read_bytes()[: MAX_FILE_BYTES + 1]
        return path.read_bytes()


def _read_zip(path: Path) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackError(str(path), [PackIssue(path.name, f"not a readable zip file ({exc})")]) from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        total = sum(i.file_size for i in infos)
        if total > MAX_ZIP_BYTES:
            raise PackError(
                str(path),
                [PackIssue(path.name, f"unpacks to {total} bytes, over the {MAX_ZIP_BYTES} limit")],
            )
        names = [PurePosixPath(i.filename) for i in infos]
        # The pack may sit at the zip's root or inside one top-level folder.
        prefix = PurePosixPath()
        if PurePosixPath(MANIFEST) not in names:
            tops = {n.parts[0] for n in names if len(n.parts) > 1}
            if len(tops) == 1:
                prefix = PurePosixPath(tops.pop())
        files: dict[str, bytes] = {}
        for info, name in zip(infos, names, strict=True):
            if name.is_absolute() or ".." in name.parts:
                continue
            try:
                relative = name.relative_to(prefix)
            except ValueError:
                continue
            with archive.open(info) as handle:
                files[relative.as_posix()] = handle.read(MAX_FILE_BYTES + 1)
        return files


def _decode(files: _Files, name: str, issues: list[PackIssue], field: str = "") -> str | None:
    data = files.read_bytes(name)
    if data is None:
        issues.append(PackIssue(name, "file is missing", field))
        return None
    if len(data) > MAX_FILE_BYTES:
        issues.append(PackIssue(name, f"file is over the {MAX_FILE_BYTES // 1024} KiB limit", field))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        issues.append(PackIssue(name, f"not valid UTF-8 (byte {exc.start})", field))
        return None


def _parse_python(name: str, source: str, issues: list[PackIssue]) -> ast.Module | None:
    try:
        return ast.parse(source, filename=name)
    except SyntaxError as exc:
        issues.append(PackIssue(name, f"does not compile: line {exc.lineno}: {exc.msg}"))
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


def _defines_function(tree: ast.Module, name: str) -> bool:
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name
        for node in tree.body
    )


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
    try:
        raw = tomllib.loads(manifest_text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(str(origin), [PackIssue(MANIFEST, f"invalid TOML: {exc}")]) from None
    try:
        manifest = ProblemManifest.model_validate(raw)
    except ValidationError as exc:
        raise PackError(str(origin), _validation_issues(exc)) from None

    description = _decode(files, manifest.description, issues, "description")
    golden = _decode(files, manifest.golden, issues, "golden")
    reference = _decode(files, manifest.reference_tests, issues, "reference_tests")

    golden_tree = _parse_python(manifest.golden, golden, issues) if golden is not None else None
    if golden_tree is not None and not _defines_function(golden_tree, manifest.function_name):
        issues.append(
            PackIssue(
                manifest.golden,
                f"does not define {manifest.function_name}() named in function_signature",
            )
        )
    golden_shape = _without_docstrings(golden_tree) if golden_tree is not None else None
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
        elif tree is not None and golden_shape is not None and _without_docstrings(tree) == golden_shape:
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
            )
        )
    if manifest.mutants and all(m.equivalent for m in manifest.mutants):
        issues.append(PackIssue(MANIFEST, "every mutant is marked equivalent: nothing to score", "mutants"))

    if issues:
        raise PackError(str(origin), issues)
    assert description is not None and golden is not None and reference is not None

    digest = hashlib.sha256(manifest_text.encode())
    for text in (description, golden, reference, *(m.source for m in mutants)):
        digest.update(b"\0" + text.encode())
    return Pack(
        slug=manifest.slug,
        title=manifest.title,
        difficulty=manifest.difficulty,
        function_signature=manifest.function_signature,
        description_md=description,
        golden_source=golden,
        reference_tests=reference,
        time_limit_s=manifest.time_limit_s,
        tags=tuple(manifest.tags),
        mutants=tuple(mutants),
        origin=str(origin),
        content_hash=digest.hexdigest(),
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
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(pack_dir.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                archive.write(file, file.relative_to(pack_dir).as_posix())
    return buffer.getvalue()
