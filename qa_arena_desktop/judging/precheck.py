"""Checks of the learner's test file on the host, before any container starts.

Cheap, precise answers for the common mistakes (empty file, not UTF-8, too big,
a syntax error with its line, no test functions), so they are FAILURE at once
instead of a container round trip.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

MAX_TEST_FILE_BYTES = 256 * 1024


def read_test_file(path: Path) -> bytes:
    """A test file's bytes: a little over the limit at most, so the precheck can still say how
    it is too big without reading a huge file. (Standard library only: the judge client uses it.)"""
    with path.open("rb") as handle:
        return handle.read(MAX_TEST_FILE_BYTES * 4)


READS_TARGET_SOURCE = "reads-target-source"

# What the static check looks for (AST, not text: a file name built at run time, a
# stat or a directory listing are file-system calls whatever their arguments say):
#
# - file-system access of any kind (``open``, ``io.open``, ``os.open``, ``Path.read_text``,
#   ``os.listdir``/``scandir``/``walk``/``stat``, ``os.path.getsize``/``exists``, ``glob``,
#   ``shutil`` copies, links), unless every path is plainly under a temporary directory:
#   the ``tmp_path``/``tmpdir`` fixtures (and their factories), ``tempfile``, a fixture
#   of the file's own that returns one, a helper called only with one, names bound to
#   one, or relative constant names after ``monkeypatch.chdir(tmp_path)``;
# - attributes that read code, frames or the import system (``__code__``, ``__globals__``,
#   ``__file__``, ``getsource``, ``f_back``, ``_getframe``, ``gc.get_objects``,
#   ``spec_from_file_location``...), also through ``getattr(x, "name")`` or an import;
# - modules for code, bytecode and memory (``dis``, ``linecache``, ``marshal``, ``ctypes``,
#   ``importlib.util``/``resources``/``machinery``...), ``exec`` and ``compile``;
# - string constants naming ``target.py``, its bytecode or ``__pycache__``.
_SOURCE_READING_ATTRIBUTES = frozenset({
    "getsource", "getsourcelines", "getsourcefile", "getfile", "findsource", "getblock",
    "getcomments", "getclosurevars", "currentframe", "getframeinfo", "getouterframes",
    "getinnerframes", "__code__", "co_code", "co_consts", "co_names", "co_filename",
    "co_lines", "co_positions", "__file__", "__loader__", "__spec__", "__cached__",
    "__globals__", "__closure__", "cell_contents", "__builtins__", "get_source", "get_code",
    "get_data", "get_filename", "getlines", "findlinestarts", "f_back", "f_locals",
    "f_globals", "f_code", "tb_frame", "tb_next", "gi_frame", "gi_code", "cr_frame",
    "ag_frame", "_getframe", "_current_frames", "settrace", "setprofile", "get_objects",
    "get_referrers", "get_referents", "spec_from_file_location", "spec_from_loader",
    "module_from_spec", "find_spec", "exec_module", "find_loader", "SourceFileLoader",
    "SourcelessFileLoader", "FileFinder", "cache_from_source", "source_from_cache",
    "open_code", "read_code", "files", "as_file", "read_text", "read_binary",
    "contents", "is_resource", "open_binary", "open_text",
})
# Attribute names above that are also ordinary method names: flagged only on a module
# known to read code (importlib.resources.files...), or through the path rules below.
_AMBIGUOUS_ATTRIBUTES = frozenset({"files", "read_text", "contents", "as_file", "is_resource",
                                   "open_text", "open_binary", "read_binary"})
_SOURCE_READING_MODULES = ("dis", "linecache", "tokenize", "marshal", "py_compile", "compileall",
                           "pkgutil", "ctypes", "_ctypes", "zipimport", "modulefinder", "pyclbr",
                           "symtable", "importlib.util", "importlib.resources",
                           "importlib.machinery", "importlib.abc", "importlib._bootstrap",
                           "importlib._bootstrap_external", "importlib_resources", "_imp")
_SOURCE_READING_CALLS = frozenset({"inspect.stack", "inspect.trace", "threading.settrace",
                                   "threading.setprofile", "exec", "compile", "builtins.exec",
                                   "builtins.compile"} | {
    # a formatted traceback quotes the target's lines and walks its frames
    f"traceback.{name}" for name in ("extract_tb", "extract_stack", "walk_tb", "walk_stack",
                                     "format_tb", "format_stack", "print_stack", "print_tb",
                                     "format_exception", "format_exc", "print_exc",
                                     "print_exception", "TracebackException", "StackSummary")})
# Module functions that touch the file system, by canonical dotted name.
_FS_FUNCTIONS = frozenset({
    "open", "builtins.open", "io.open", "io.open_code", "io.FileIO", "_io.open", "codecs.open",
    "tokenize.open", "fileinput.input", "fileinput.FileInput", "os.open", "os.listdir",
    "os.scandir", "os.walk", "os.fwalk", "os.stat", "os.lstat", "os.access", "os.readlink",
    "os.symlink", "os.link", "os.rename", "os.replace", "os.startfile", "os.path.getsize",
    "os.path.getmtime", "os.path.getatime", "os.path.getctime", "os.path.exists",
    "os.path.lexists", "os.path.isfile", "os.path.isdir", "os.path.islink", "os.path.samefile",
    "glob.glob", "glob.iglob", "shutil.copy", "shutil.copy2", "shutil.copyfile",
    "shutil.copytree", "shutil.move", "shutil.make_archive", "mmap.mmap", "zipfile.ZipFile",
    "tarfile.open", "runpy.run_path", "subprocess.run", "subprocess.Popen",
    "subprocess.check_output", "subprocess.call", "subprocess.check_call",
    "subprocess.getoutput", "subprocess.getstatusoutput", "os.system", "os.popen",
})
# Functions whose listing defaults to the working directory (the run directory).
_CWD_DEFAULTS = frozenset({"os.listdir", "os.scandir", "subprocess.run", "subprocess.Popen",
                           "subprocess.check_output", "subprocess.call", "subprocess.check_call",
                           "subprocess.getoutput", "subprocess.getstatusoutput", "os.system",
                           "os.popen"})
_PATH_KEYWORDS = ("file", "path", "src", "top", "pathname", "root_dir", "filename", "name")
# Path-object methods: distinctive ones whatever the object, generic ones on paths only.
_PATH_METHODS = frozenset({"read_text", "read_bytes", "iterdir", "rglob", "lstat", "is_file",
                           "is_dir", "is_symlink", "listdir", "scandir", "getsize", "samefile",
                           "readlink", "owner", "group", "visit", "computehash"})
_GENERIC_PATH_METHODS = frozenset({"open", "glob", "stat", "exists", "read", "copy", "walk",
                                   "read_binary", "size", "mtime", "check"})
_PATH_CONSTRUCTORS = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath",
                                "pathlib.PurePosixPath", "pathlib.WindowsPath",
                                "pathlib.PureWindowsPath", "py.path.local"})
_PATH_CLASS_METHODS = frozenset({"cwd", "home"})
_TMP_FIXTURES = frozenset({"tmp_path", "tmpdir", "tmp_path_factory", "tmpdir_factory"})
# Calls on a temporary path that give a path under it.
_TMP_PRESERVING = frozenset({"joinpath", "join", "mktemp", "getbasetemp", "with_name",
                             "with_suffix", "with_stem", "absolute", "resolve", "expanduser",
                             "mkdir", "ensure", "mkdtemp", "iterdir", "glob", "rglob",
                             "listdir", "visit", "relative_to", "as_posix", "__fspath__",
                             "make_numbered_dir", "strpath"})
_TMP_WRAPPERS = frozenset({"str", "os.fspath", "os.fsencode", "os.fsdecode", "os.path.join",
                           "os.path.abspath", "os.path.normpath", "os.path.realpath",
                           "os.path.expanduser", "bytes", "sorted", "list", "tuple", "set",
                           "iter", "next", "reversed", "enumerate"} | _PATH_CONSTRUCTORS)
_ESCAPING_ATTRIBUTES = frozenset({"parent", "parents", "anchor", "root", "drive", "home",
                                  "cwd", "dirname", "dirpath"})
_SUSPICIOUS_TEXT = ("target.py", "__pycache__", "target.cpython", "target.pyc")


def source_reason(text: str) -> str:
    """Why :func:`source_flags` flags ``text`` (empty when it does not)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ""
    try:
        return _SourceScan(tree).reason()
    except RecursionError:  # a pathologically nested file: a human should look
        return "too deeply nested to check"


class _Scope:
    def __init__(self, node: ast.AST, parent: _Scope | None) -> None:
        self.node = node
        self.parent = parent
        self.assigned: dict[str, list[ast.expr | None]] = {}
        self.tmp: set[str] = set()
        self.paths: set[str] = set()
        self.chdir_tmp = False

    def is_tmp_name(self, name: str) -> bool:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.tmp:
                return True
            if name in scope.assigned:
                return False
            scope = scope.parent
        return False

    def is_path_name(self, name: str) -> bool:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.paths or name in scope.tmp:
                return True
            if name in scope.assigned:
                return False
            scope = scope.parent
        return False

    def under_chdir(self) -> bool:
        scope: _Scope | None = self
        while scope is not None:
            if scope.chdir_tmp:
                return True
            scope = scope.parent
        return False


_FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


class _SourceScan:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.aliases: dict[str, str] = {}  # local name -> module or module.attribute
        self.scopes: dict[ast.AST, _Scope] = {}
        self.scope_of: dict[ast.AST, _Scope] = {}
        self.functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        self.tmp_params: set[tuple[ast.AST, str]] = set()
        self.tmp_fixtures: set[str] = set(_TMP_FIXTURES)
        self._collect_imports()
        self._build_scopes(tree, None)
        self.calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]

    # --- names ----------------------------------------------------------------------------

    def _collect_imports(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def dotted(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            name = self.aliases.get(node.id, node.id)
            return _canonical(name)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return _canonical(f"{base}.{node.attr}") if base else None
        if isinstance(node, ast.Call) and _constant_text(node.args[0] if node.args else None) and (
            self.dotted(node.func) in ("__import__", "importlib.import_module")
        ):
            return _canonical(str(_constant_text(node.args[0])))
        return None

    def is_module(self, node: ast.AST) -> bool:
        """Whether ``node`` names a module (its functions are judged by their full names)."""
        if isinstance(node, ast.Name) and node.id in self.aliases:
            return self.aliases[node.id] not in _PATH_CONSTRUCTORS
        return (self.dotted(node) or "") in _MODULE_NAMES

    # --- scopes -----------------------------------------------------------------------------

    def _build_scopes(self, node: ast.AST, parent: _Scope | None) -> None:
        scope = _Scope(node, parent)
        self.scopes[node] = scope
        if isinstance(node, _FunctionNode):
            for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                scope.assigned.setdefault(arg.arg, []).append(None)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.setdefault(node.name, []).append(node)
        body = getattr(node, "body", [])
        todo: list[ast.AST] = [body] if isinstance(body, ast.AST) else list(body)
        if isinstance(node, _FunctionNode):
            todo += [*node.args.defaults, *[d for d in node.args.kw_defaults if d is not None]]
        while todo:
            child = todo.pop()
            self.scope_of[child] = scope
            if isinstance(child, _FunctionNode):
                scope.assigned.setdefault(getattr(child, "name", "<lambda>"), []).append(None)
                for decorator in getattr(child, "decorator_list", []):
                    todo.append(decorator)
                self._build_scopes(child, scope)
                continue
            self._note_binding(child, scope)
            todo.extend(ast.iter_child_nodes(child))

    @staticmethod
    def _note_binding(node: ast.AST, scope: _Scope) -> None:
        def bind(target: ast.AST, value: ast.expr | None) -> None:
            if isinstance(target, ast.Name):
                scope.assigned.setdefault(target.id, []).append(value)
            elif isinstance(target, ast.Tuple | ast.List):
                for element in target.elts:
                    bind(element, None)
            elif isinstance(target, ast.Starred):
                bind(target.value, None)

        if isinstance(node, ast.Assign):
            for target in node.targets:
                bind(target, node.value)
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
            bind(node.target, node.value)
        elif isinstance(node, ast.AugAssign):
            bind(node.target, None)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            bind(node.target, node.iter)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            bind(node.optional_vars, node.context_expr)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            scope.assigned.setdefault(node.name, []).append(None)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                scope.assigned.setdefault((alias.asname or alias.name).split(".")[0], []).append(None)

    def _infer(self) -> None:
        """Which names hold temporary paths, and which hold paths at all (a fixed point)."""
        for _ in range(8):
            changed = False
            for scope in self.scopes.values():
                node = scope.node
                if isinstance(node, _FunctionNode):
                    for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                        if (arg.arg in self.tmp_fixtures or (node, arg.arg) in self.tmp_params) and (
                            arg.arg not in scope.tmp
                        ):
                            scope.tmp.add(arg.arg)
                            changed = True
                for name, values in scope.assigned.items():
                    if name not in scope.tmp and values and all(
                        v is not None and self.is_tmp(v, scope) for v in values
                    ):
                        scope.tmp.add(name)
                        changed = True
                    if name not in scope.paths and values and all(
                        v is not None and self.is_path(v, scope) for v in values
                    ):
                        scope.paths.add(name)
                        changed = True
            changed |= self._infer_calls()
            if not changed:
                break

    def _infer_calls(self) -> bool:
        changed = False
        calls: dict[str, list[tuple[ast.Call, _Scope]]] = {}
        for node in self.calls:
            if isinstance(node.func, ast.Name) and node.func.id in self.functions:
                calls.setdefault(node.func.id, []).append((node, self.scope_of.get(node, self.root)))
            if isinstance(node.func, ast.Attribute) and node.func.attr == "chdir" and node.args:
                scope = self.scope_of.get(node, self.root)
                if self.is_tmp(node.args[0], scope):
                    function = scope.node
                    if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                        _is_fixture(d, autouse=True) for d in function.decorator_list
                    ):
                        scope = self.root  # an autouse fixture moves every test there
                    if not scope.chdir_tmp:
                        scope.chdir_tmp = True
                        changed = True
        for name, definitions in self.functions.items():
            for function in definitions:
                if any(_is_fixture(d) for d in function.decorator_list) and (
                    name not in self.tmp_fixtures and self._returns_tmp(function)
                ):
                    self.tmp_fixtures.add(name)
                    changed = True
                sites = calls.get(name, [])
                if not sites or len(definitions) > 1:
                    continue
                positional = [*function.args.posonlyargs, *function.args.args]
                for index, arg in enumerate([*positional, *function.args.kwonlyargs]):
                    if (function, arg.arg) in self.tmp_params:
                        continue
                    passed = []
                    for call, scope in sites:
                        value = next((k.value for k in call.keywords if k.arg == arg.arg), None)
                        if value is None and index < len(positional) and index < len(call.args):
                            value = call.args[index]
                        passed.append(value is not None and not isinstance(value, ast.Starred)
                                      and self.is_tmp(value, scope))
                    if all(passed):
                        self.tmp_params.add((function, arg.arg))
                        changed = True
        return changed

    def _returns_tmp(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        scope = self.scopes[function]
        values = [n.value for n in ast.walk(function)
                  if isinstance(n, ast.Return | ast.Yield) and self.scope_of.get(n) is scope]
        return bool(values) and all(v is not None and self.is_tmp(v, scope) for v in values)

    @property
    def root(self) -> _Scope:
        return self.scopes[self.tree]

    # --- expressions ----------------------------------------------------------------------

    def is_tmp(self, node: ast.AST, scope: _Scope) -> bool:
        """Whether ``node`` is plainly a path under a temporary directory."""
        if isinstance(node, ast.Name):
            return scope.is_tmp_name(node.id)
        if isinstance(node, ast.Attribute):
            return node.attr not in _ESCAPING_ATTRIBUTES and self.is_tmp(node.value, scope)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.Add):
            return self.is_tmp(node.left, scope) and _safe_component(node.right, separator=True)
        if isinstance(node, ast.JoinedStr):
            values = node.values
            return bool(values) and isinstance(values[0], ast.FormattedValue) and (
                self.is_tmp(values[0].value, scope)) and all(
                _safe_component(v, separator=True) for v in values[1:])
        if isinstance(node, ast.Starred | ast.Await):
            return self.is_tmp(node.value, scope)
        if isinstance(node, ast.Subscript):
            return self.is_tmp(node.value, scope)
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str | bytes) and scope.under_chdir() and _safe_component(node)
        if isinstance(node, ast.Call):
            name = self.dotted(node.func) or ""
            if name.startswith("tempfile."):
                return True
            if isinstance(node.func, ast.Attribute) and node.func.attr == "getfixturevalue":
                return _constant_text(node.args[0] if node.args else None) in self.tmp_fixtures
            if name in _TMP_WRAPPERS or name.endswith(".Path"):
                return bool(node.args) and self.is_tmp(node.args[0], scope) and all(
                    _safe_component(a) for a in node.args[1:])
            if isinstance(node.func, ast.Attribute) and node.func.attr in _TMP_PRESERVING:
                return self.is_tmp(node.func.value, scope) and all(
                    _safe_component(a) for a in node.args)
        return False

    def is_path(self, node: ast.AST, scope: _Scope) -> bool:
        """Whether ``node`` is a path object (so ``.open()``, ``.stat()`` on it touch files)."""
        if isinstance(node, ast.Name):
            return scope.is_path_name(node.id)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self.is_path(node.left, scope) or self.is_path(node.right, scope)
        if isinstance(node, ast.Attribute):
            return node.attr in ("parent", "parents") and self.is_path(node.value, scope)
        if isinstance(node, ast.Subscript):
            return self.is_path(node.value, scope)
        if isinstance(node, ast.Call):
            name = self.dotted(node.func) or ""
            if name in _PATH_CONSTRUCTORS or name.endswith(".Path"):
                return True
            if isinstance(node.func, ast.Attribute):
                if node.func.attr in _PATH_CLASS_METHODS and (
                    self.dotted(node.func.value) or "") in _PATH_CONSTRUCTORS:
                    return True
                if node.func.attr in _TMP_PRESERVING:
                    return self.is_path(node.func.value, scope)
        return self.is_tmp(node, scope)

    # --- the scan -------------------------------------------------------------------------

    def reason(self) -> str:
        self._infer()
        for node in ast.walk(self.tree):
            why = self._node_reason(node)
            if why:
                return why
        return ""

    def _node_reason(self, node: ast.AST) -> str:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _reads_code(alias.name):
                    return f"imports {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if _reads_code(node.module) or _reads_code(full) or (
                    alias.name in _SOURCE_READING_ATTRIBUTES
                    and alias.name not in _AMBIGUOUS_ATTRIBUTES) or full in _SOURCE_READING_CALLS:
                    return f"imports {full}"
        elif isinstance(node, ast.Attribute):
            if node.attr in _SOURCE_READING_ATTRIBUTES and (
                node.attr not in _AMBIGUOUS_ATTRIBUTES
                or _reads_code(self.dotted(node.value) or "")
            ):
                return f"uses .{node.attr}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            value = node.value if isinstance(node.value, str) else node.value.decode("latin-1")
            if any(marker in value for marker in _SUSPICIOUS_TEXT):
                return "names target.py or its bytecode"
        elif isinstance(node, ast.Call):
            return self._call_reason(node)
        return ""

    def _call_reason(self, node: ast.Call) -> str:
        scope = self.scope_of.get(node, self.root)
        name = self.dotted(node.func) or ""
        if name in _SOURCE_READING_CALLS or _reads_code(name.rpartition(".")[0]):
            return f"calls {name}"
        if name == "getattr" and len(node.args) >= 2:
            attribute = _constant_text(node.args[1])
            if attribute in _SOURCE_READING_ATTRIBUTES and attribute not in _AMBIGUOUS_ATTRIBUTES:
                return f"uses .{attribute}"
        if name in ("__import__", "importlib.import_module") and node.args and (
            not _constant_text(node.args[0])
        ):
            return "imports a module named at run time"
        if name in _FS_FUNCTIONS:
            paths = [*node.args[:2], *[k.value for k in node.keywords if k.arg in _PATH_KEYWORDS]]
            if name == "glob.glob" or name == "glob.iglob":
                root = [k.value for k in node.keywords if k.arg == "root_dir"]
                paths = root or node.args[:1]
            if not paths:
                return f"calls {name} on the working directory" if name in _CWD_DEFAULTS else ""
            if name.startswith(("subprocess.", "os.system", "os.popen")):
                return f"calls {name}"
            first = paths[0]
            if not self.is_tmp(first, scope):
                return f"calls {name} outside tmp_path"
            return ""
        if isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, node.func.value
            if self.is_module(receiver) or name in _FS_FUNCTIONS:
                return ""
            if (method in _PATH_METHODS or (method in _GENERIC_PATH_METHODS
                                            and self.is_path(receiver, scope))) and (
                not self.is_tmp(receiver, scope)
            ):
                return f"calls .{method}() outside tmp_path"
        return ""


_MODULE_NAMES = frozenset({"os", "os.path", "io", "glob", "shutil", "pathlib", "sys", "gc",
                           "inspect", "importlib", "tempfile", "codecs", "builtins", "json",
                           "re", "ast", "math", "itertools", "functools", "collections",
                           "subprocess", "tokenize", "fileinput", "zipfile", "tarfile",
                           "runpy", "mmap", "types", "typing", "string", "random",
                           "decimal", "fractions", "datetime", "time", "pytest"})


def _canonical(name: str) -> str:
    for prefix, replacement in (("posixpath.", "os.path."), ("genericpath.", "os.path."),
                                ("ntpath.", "os.path."), ("posix.", "os."), ("nt.", "os."),
                                ("_io.", "io."), ("importlib_resources", "importlib.resources")):
        if name.startswith(prefix):
            return replacement + name[len(prefix):]
    return name


def _reads_code(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in _SOURCE_READING_MODULES)


def _constant_text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _safe_component(node: ast.AST, separator: bool = False) -> bool:
    """Whether joining ``node`` to a temporary path keeps it under that directory (with
    ``separator``, text appended to it may start with one ``/``: ``f"{tmp_path}/x"``)."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str | bytes):
            text = node.value if isinstance(node.value, str) else node.value.decode("latin-1")
            if separator and text.startswith("/") and not text.startswith("//"):
                text = text[1:]
            return not text.startswith(("/", "\\", "~")) and ".." not in text and ":" not in text
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _folded(node.left), _folded(node.right)
        if left is not None and right is not None:
            return _safe_component(ast.Constant(left + right), separator)
        return _safe_component(node.left, separator) and _safe_component(node.right, True)
    if isinstance(node, ast.JoinedStr):
        return all(_safe_component(v, separator or i > 0)
                   for i, v in enumerate(node.values) if isinstance(v, ast.Constant))
    return not isinstance(node, ast.Starred)


def _folded(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _folded(node.left), _folded(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _is_fixture(decorator: ast.expr, autouse: bool = False) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if not ((isinstance(target, ast.Attribute) and target.attr == "fixture") or (
            isinstance(target, ast.Name) and target.id == "fixture")):
        return False
    return not autouse or (isinstance(decorator, ast.Call) and any(
        k.arg == "autouse" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in decorator.keywords))


@dataclass(frozen=True)
class Precheck:
    text: str  # what is stored as the submission's code (never lost, even when invalid)
    problem: str = ""  # empty when the file may go to the judge
    flags: tuple[str, ...] = ()  # suspicious, shown to learner and teacher; never blocks


def decode_tests(data: str | bytes) -> Precheck:
    if isinstance(data, str):
        text = data
        size = len(text.encode("utf-8", "surrogatepass"))
    else:
        size = len(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Precheck(
                data.decode("utf-8", "replace"),
                f"your test file is not valid UTF-8 text (bad byte at offset {exc.start}); "
                "save it as UTF-8",
            )
    if size > MAX_TEST_FILE_BYTES:
        return Precheck(text, f"your test file is {size // 1024} KiB, over the "
                              f"{MAX_TEST_FILE_BYTES // 1024} KiB limit")
    problem = _check_source(text)
    return Precheck(text, problem, () if problem else source_flags(text))


def source_flags(text: str) -> tuple[str, ...]:
    """Flag a test file that reads the code under test (its source, bytecode or file), or
    looks at the process around it: see the comment above :data:`_SOURCE_READING_ATTRIBUTES`.

    Static and deliberately broad: it flags for a human to look, it does not block.
    """
    return (READS_TARGET_SOURCE,) if source_reason(text) else ()


def _check_source(text: str) -> str:
    if not text.strip():
        return "your test file is empty: write at least one test function (def test_...)"
    try:
        tree = ast.parse(text, filename="test_submission.py")
    except SyntaxError as exc:
        detail = f"line {exc.lineno}"
        if exc.offset:
            detail += f", column {exc.offset}"
        return f"syntax error in your tests at {detail}: {exc.msg}"
    except ValueError as exc:  # e.g. null bytes
        return f"your test file cannot be parsed: {exc}"
    except (RecursionError, MemoryError):
        return "your test file is too deeply nested to be parsed"
    if not _has_tests(tree):
        return ("no test functions found: pytest runs functions named test_... "
                "(or methods test_... of classes named Test...)")
    return ""


def _has_tests(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            return True
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test") and any(
            isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            and item.name.startswith("test")
            for item in node.body
        ):
            return True
        if isinstance(node, ast.Assign | ast.ImportFrom | ast.Import):
            # `test_x = make_test()` or `from helpers import test_x`: leave it to pytest.
            names = [getattr(t, "id", "") for t in getattr(node, "targets", [])]
            names += [a.asname or a.name for a in getattr(node, "names", [])]
            if any(n.startswith("test") for n in names):
                return True
    return False
