"""PEP 578 audit hooks that flag a test which introspects the code under test.

Standard library only. The test process calls :func:`install` after it has written the
run's two files and before pytest imports anything of the learner's, and :func:`seal`
when pytest has finished. On the first suspicious event one JSON line
``{"flag": "introspects-code-under-test", "why": "..."}`` is written straight to the
report fd with :func:`os.write` (write-through: later learner code may tamper with the
process), at most :data:`MAX_LINES` lines in all; :func:`seal` writes ``{"sealed": true}``.

Attribution
-----------
An event is charged to the innermost Python frame that is not the standard library,
site-packages (pytest, pluggy) or this module. Only when that frame is *learner code*
is it a flag. Frames are classified by their code's file name:

- *library* (transparent): the stdlib and site-packages directories, ``<frozen ...>``
  modules, this file;
- *target*: a file named ``target.py`` (the code under test itself: it may do anything);
- *host*: files on the stack when :func:`install` ran (the runner that calls pytest) and
  the runner package's directory;
- *learner*: everything else: ``test_submission.py``, a ``conftest.py``, modules the
  tests write and import, and code they compile themselves (``<string>``...).

So pytest's own work (collection, assertion rewriting, fixtures such as ``tmp_path``,
``capsys``, ``monkeypatch``, traceback formatting that reads ``target.py`` through
``linecache``) runs with no learner frame inside it and is never flagged, while
``inspect.getsource(target.f)`` called by a test is charged to the test. Work the import
system does for an ``import`` statement (stat, list and open ``target.py`` and its
directory while importing or reloading) is not flagged: an ``importlib._bootstrap`` step
(``_find_and_load``, ``_load_unlocked``, ``_exec``, ``_load``, ``_find_spec``) between
the event and the learner frame exempts it; loader methods called directly
(``spec.loader.get_data``, ``exec_module`` of a hand-made spec) are not exempt.

Events watched, and why
-----------------------
- ``open`` (``open``, ``io.open``, ``io.open_code``, ``os.open``, ``Path.read_text`` ...):
  a path named ``target.py``, ``target.*.pyc``, anything in the run directory's
  ``__pycache__``, or the run directory itself (a directory fd); a path object of an
  unknown (learner-defined) type, whose ``__fspath__`` cannot be called safely here.
- ``os.listdir``, ``os.scandir`` (also under ``os.walk``, ``glob``, ``Path.iterdir``,
  ``Path.glob``): listing the run directory or its ``__pycache__`` (finding the file
  without naming it).
- ``os.link``, ``os.symlink``, ``os.rename``, ``os.remove``, ``os.truncate``,
  ``os.chmod``, ``os.utime``, ``shutil.copyfile``, ``shutil.copytree``, ``shutil.move``,
  ``shutil.make_archive``: copying, linking or changing ``target.py`` or its directory.
- ``os.stat``/``os.lstat`` have **no audit event** in 3.11, so ``os.stat``, ``os.lstat``
  (and the same functions of ``posix``, which the import system and ``os.path`` call)
  are wrapped: a stat of ``target.py`` or its bytecode (``os.stat(...).st_size``,
  ``os.path.getsize``, ``os.path.exists``, ``Path.stat``, ``inspect.getsourcefile``).
- ``object.__getattr__``: in 3.11 it is raised for ``function.__code__`` (and
  ``__defaults__``/``__kwdefaults__``, ignored: they are the signature),
  ``frame.f_code``, ``traceback.tb_frame``, ``gi_code``/``gi_frame``,
  ``cr_code``/``cr_frame``, ``ag_code``/``ag_frame``. Flagged: reading ``__code__`` of a
  function defined in ``target.py`` (``f.__code__.co_consts``, ``dis.dis(f)``,
  ``inspect.getsource(f)``), except inside ``inspect.signature``, the inspect
  helpers that answer "is it a coroutine function / what state is this generator in"
  and ``unittest.mock`` (an autospec looks at ``__code__`` to tell async functions);
  reading ``f_code`` or ``tb_frame`` of a frame of ``target.py`` or of the runner
  (``traceback.format_exc()`` of an exception raised in the target, ``excinfo.traceback``
  frames, ``inspect.stack()`` from a callback the target calls); ``gi_frame``/``gi_code``
  and friends of a target generator or coroutine.
- ``sys._getframe``: called directly by learner code and returning a frame that is not
  learner code (``sys._getframe(1)`` in a test is pytest's frame; in a callback, the
  target's); called by a library for the learner and returning a target or runner frame.
  (``typing``, ``logging``, ``enum``, ``collections`` call it for the caller's own frame.)
- ``sys._current_frames``, ``gc.get_objects``, ``gc.get_referrers``,
  ``gc.get_referents``: every frame or object of the process, the target's included.
- ``import`` of ``ctypes``/``_ctypes`` by learner code, and every ``ctypes.*`` event
  (``dlopen``, ``dlsym``, ``string_at``, ``cdata`` (``from_address``), ``call_function``...):
  raw memory reads bypass every other check.
- ``sys.settrace``, ``sys.setprofile``: a trace function sees every target frame.
- ``compile``: source that contains lines of ``target.py`` (``exec(text)``,
  ``ast.parse(text)`` of the target's source), or a file name that makes the compiled
  code look like the library, the runner or the target (which would hide its frames).
- ``exec``: learner code objects are scanned once for attribute names that 3.11 does
  not audit: ``__globals__``, ``__closure__``, ``cell_contents``, ``f_back``,
  ``f_locals``, ``f_globals``, ``tb_next``, and for ``linecache`` (the cache may hold
  the target's lines after pytest printed a traceback through it).
- ``subprocess.Popen``, ``os.system``, ``os.exec``, ``os.posix_spawn``, ``os.spawn``: a
  new program has no hooks and could read ``target.py`` unobserved.

The hook is cheap: an event it does not watch costs one dict lookup; watched events
check their arguments first and walk the stack only when the arguments concern the
target. It never raises (everything is caught, a stack too deep for the check is
retried with a slightly higher recursion limit) and never recurses: a per-thread depth
counter ignores the events of its own frame reads; other events that arrive while a
check runs (a signal handler or a ``__del__`` of the learner's running in the middle of
it) are still checked once. It never calls learner code: path objects of unknown types
are not converted, objects are only looked at through exact types.

What a determined test can still do
-----------------------------------
Tamper with this process: close or ``dup2`` over the report fd before anything is
flagged (the host treats a missing seal as suspicious, and garbage on the channel as a
flag), or overwrite this module's state or wrappers from code it reaches without a
watched event. Fetch the unwrapped ``os.stat`` (``importlib.reload(posix)`` returns
the original functions) and stat the target unobserved (it learns the size only).
Read unaudited attributes under names built at run time (``getattr(f, "__glo" +
"bals__")``, ``frame.f_back.f_locals`` from its own frame of ``sys._getframe(0)`` or
``inspect.currentframe()``); ``__globals__`` of a target function is the module's
namespace, which ``import target`` gives anyway. Read ``linecache.cache`` through a
name built at run time after pytest printed a traceback through the target. Use a
trace function set with ``threading.settrace`` (its ``sys.settrace`` call runs in a
new thread's library frames only). Reach the file by a name this module does not
recognise (``/proc/self/fd/N`` of a descriptor the process already holds; the test
process has an empty ``/proc``). The host-side static check
(``qa_arena_desktop.judging.precheck``) looks at the text for most of these.
"""

from __future__ import annotations

import contextlib
import json
import os
import site
import sys
import sysconfig
import types
from collections.abc import Callable
from typing import Any

try:
    import posix
except ImportError:  # pragma: no cover - not POSIX
    posix = None  # type: ignore[assignment]

from _thread import get_ident

FLAG = "introspects-code-under-test"
MAX_LINES = 3
MAX_WHY = 160

_LIB, _LEARNER, _TARGET, _HOST = 0, 1, 2, 3
_THIS_FILE = os.path.abspath(__file__)
_IMPORT_STEPS = frozenset({"_find_and_load", "_load_unlocked", "_exec", "_load", "_find_spec"})
# inspect helpers that read __code__/gi_frame for what is the callable's interface.
_INSPECT_INTERFACE = frozenset({
    "_signature_from_function", "_signature_is_functionlike", "_signature_from_callable",
    "_has_code_flag", "getgeneratorstate", "getcoroutinestate", "iscoroutinefunction",
    "isgeneratorfunction", "isasyncgenfunction",
})
_UNAUDITED_NAMES = {
    "__globals__": "reads __globals__", "__closure__": "reads __closure__",
    "cell_contents": "reads closure cells", "f_back": "walks frames (f_back)",
    "f_locals": "reads frame locals", "f_globals": "reads frame globals",
    "tb_next": "walks traceback frames", "linecache": "uses linecache",
}
_OWN_EVENTS = frozenset({"object.__getattr__", "sys._getframe"})
_CODE_ATTRS = {"gi_frame": "gi_code", "gi_code": "gi_code", "cr_frame": "cr_code",
               "cr_code": "cr_code", "ag_frame": "ag_code", "ag_code": "ag_code"}


class _State:
    installed = False
    prepared_for = ""
    done = False
    fd = -1
    run_dirs: frozenset[str] = frozenset()
    pycache = ""
    lib_prefixes: tuple[str, ...] = ()
    host_prefixes: tuple[str, ...] = ()
    host_files: frozenset[str] = frozenset()
    inspect_file = ""
    mock_file = ""
    exempt_files: frozenset[str] = frozenset()
    target_lines: tuple[str, ...] = ()
    path_types: frozenset[type] = frozenset()
    reported: set[str] = set()
    kinds: dict[str, int] = {}
    depth: dict[int, int] = {}


_S = _State()
_OPAQUE = object()


# --- reporting ---------------------------------------------------------------------------

def _flag(why: str) -> None:
    if _S.done or why in _S.reported:
        return
    _S.reported.add(why)
    line = json.dumps({"flag": FLAG, "why": why[:MAX_WHY]}, ensure_ascii=True) + "\n"
    with contextlib.suppress(OSError):
        os.write(_S.fd, line.encode("ascii"))
    if len(_S.reported) >= MAX_LINES:
        _S.done = True


def seal(report_fd: int) -> None:
    """Say the run ended normally: the hooks were in place until pytest finished."""
    with contextlib.suppress(OSError):
        os.write(report_fd, b'{"sealed": true}\n')


# --- classification ----------------------------------------------------------------------

def _classify(filename: Any) -> int:
    kind = _S.kinds.get(filename, -1) if type(filename) is str else -1
    if kind >= 0:
        return kind
    if type(filename) is not str:
        return _LEARNER
    if filename == _THIS_FILE or filename.startswith("<frozen "):
        kind = _LIB
    elif filename.rpartition("/")[2] == "target.py":
        kind = _TARGET
    elif filename.startswith("<"):
        kind = _LEARNER  # code the tests compiled themselves
    else:
        path = os.path.normpath(filename) if filename.startswith("/") else os.path.abspath(filename)
        if any(path == d or path.startswith(d + "/") for d in _S.run_dirs):
            kind = _LEARNER
        elif path in _S.host_files or path.startswith(_S.host_prefixes):
            kind = _HOST
        elif path.startswith(_S.lib_prefixes):
            kind = _LIB
        else:
            kind = _LEARNER
    if len(_S.kinds) < 50_000:
        _S.kinds[filename] = kind
    return kind


def _frame_kind(frame: Any) -> int:
    return _classify(frame.f_code.co_filename) if type(frame) is types.FrameType else _LEARNER


def _from_learner(frame: Any) -> bool:
    """Whether the innermost non-library frame from ``frame`` outwards is learner code,
    not working through an import statement."""
    importing = False
    while frame is not None:
        code = frame.f_code
        kind = _classify(code.co_filename)
        if kind == _LIB:
            if (not importing and code.co_filename == "<frozen importlib._bootstrap>"
                    and code.co_name in _IMPORT_STEPS) or code.co_filename in _S.exempt_files:
                importing = True
            frame = frame.f_back
            continue
        return kind == _LEARNER and not importing
    return False


def _caller() -> Any:
    """The innermost frame that is not this module's (where the event was raised)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == _THIS_FILE:
        frame = frame.f_back
    return frame


def _learner() -> bool:
    return _from_learner(_caller())


# --- paths -------------------------------------------------------------------------------

def _path_text(value: Any) -> Any:
    """The text of a path argument, None for a file descriptor, _OPAQUE when unknowable
    without running code of the learner's."""
    kind = type(value)
    if kind is str:
        return value
    if kind is bytes:
        return os.fsdecode(value)
    if kind is int or value is None:
        return None
    if kind in _S.path_types:
        return os.fspath(value)  # pathlib / DirEntry / pytest's LocalPath: library code
    if issubclass(kind, str):
        return str.__getitem__(value, slice(None))
    if issubclass(kind, bytes):
        return os.fsdecode(bytes.__getitem__(value, slice(None)))
    return _OPAQUE


def _absolute(text: str) -> str:
    return os.path.normpath(text) if text.startswith("/") else os.path.abspath(text)


def _file_kind(text: str) -> str | None:
    base = text.rstrip("/").rpartition("/")[2]
    if base.startswith("target"):
        if base == "target.py":
            return "target.py"
        if base.startswith("target.") and base.endswith((".pyc", ".pyo")):
            return "target.py's bytecode"
    if "__pycache__" in text:
        path = _absolute(text)
        if path == _S.pycache or path.startswith(_S.pycache + "/"):
            return "the run directory's __pycache__"
    return None


def _dir_kind(text: str) -> str | None:
    kind = _file_kind(text)
    if kind is None and (not text.startswith("/") or text.rstrip("/") in _S.run_dirs) and (
        _absolute(text) in _S.run_dirs
    ):
        return "the run directory"
    return kind


def _path_kind(value: Any, directories: bool) -> str | None:
    text = _path_text(value)
    if text is None:
        return None
    if text is _OPAQUE:
        return "a path given by a custom object"
    return _dir_kind(text) if directories else _file_kind(text)


# --- event handlers ----------------------------------------------------------------------

def _on_open(args: tuple[Any, ...]) -> None:
    if not args:
        return
    kind = _path_kind(args[0], directories=True)
    if kind is not None and _learner():
        _flag(f"opened {kind}")


def _on_listing(args: tuple[Any, ...]) -> None:
    path = args[0] if args else None
    kind = _dir_kind(os.getcwd()) if path is None else _path_kind(path, directories=True)
    if kind is not None and _learner():
        _flag(f"listed {kind}")


def _paths_handler(verb: str, positions: tuple[int, ...], directories: bool
                   ) -> Callable[[tuple[Any, ...]], None]:
    def handler(args: tuple[Any, ...]) -> None:
        for position in positions:
            if position < len(args) and args[position] is not None:
                kind = _path_kind(args[position], directories)
                if kind is not None and _learner():
                    _flag(f"{verb} {kind}")
                    return
    return handler


def _always(why: str) -> Callable[[tuple[Any, ...]], None]:
    def handler(args: tuple[Any, ...]) -> None:
        if _learner():
            _flag(why)
    return handler


def _on_import(args: tuple[Any, ...]) -> None:
    name = args[0] if args else None
    if type(name) is str and (name in ("ctypes", "_ctypes") or name.startswith("ctypes.")) and (
        _learner()
    ):
        _flag("imported ctypes")


def _on_getattr(args: tuple[Any, ...]) -> None:
    if len(args) < 2:
        return
    obj, name = args[0], args[1]
    kind = type(obj)
    if name == "__code__":
        if kind is not types.FunctionType or _classify(obj.__code__.co_filename) != _TARGET:
            return
        caller = _caller()
        if _interface_reader(caller):
            return
        if _from_learner(caller):
            _flag(f"read __code__ of target.{str.__getitem__(obj.__qualname__, slice(60))}")
    elif name == "f_code":
        if kind is types.FrameType:
            _on_frame(_frame_kind(obj), "read a frame")
    elif name == "tb_frame":
        if kind is types.TracebackType:
            _on_frame(_frame_kind(obj.tb_frame), "read a traceback frame")
    elif name in _CODE_ATTRS and kind in (types.GeneratorType, types.CoroutineType,
                                          types.AsyncGeneratorType):
        code = getattr(obj, _CODE_ATTRS[name])
        if type(code) is types.CodeType and _classify(code.co_filename) == _TARGET:
            caller = _caller()
            if _interface_reader(caller):
                return
            if _from_learner(caller):
                _flag(f"read {name} of a generator of target.py")


def _interface_reader(frame: Any) -> bool:
    """Whether ``frame`` reads code attributes for the callable's interface only:
    ``inspect.signature`` and its kin, or ``unittest.mock`` building an autospec."""
    if frame is None:
        return False
    code = frame.f_code
    return (code.co_filename == _S.inspect_file and code.co_name in _INSPECT_INTERFACE) or (
        code.co_filename == _S.mock_file)


def _on_frame(kind: int, verb: str) -> None:
    if kind in (_TARGET, _HOST) and _learner():
        _flag(f"{verb} of {'target.py' if kind == _TARGET else 'the judge'}")


def _on_getframe(args: tuple[Any, ...]) -> None:
    returned = args[0] if args else None
    caller = _caller()
    if caller is None or returned is None:
        return
    kind = _frame_kind(returned)
    if _frame_kind(caller) == _LEARNER:
        if returned is not caller and kind != _LEARNER:
            _flag("sys._getframe reached a frame that is not the test's")
    elif kind in (_TARGET, _HOST) and _from_learner(caller):
        _flag("reached a frame of target.py" if kind == _TARGET else "reached a frame of the judge")


def _on_compile(args: tuple[Any, ...]) -> None:
    if len(args) < 2:
        return
    source, filename = args[0], args[1]
    name = _path_text(filename)
    disguised = type(name) is str and _classify(name) in (_LIB, _HOST, _TARGET)
    text = None
    if type(source) is str:
        text = source
    elif type(source) is bytes:
        text = source.decode("utf-8", "replace")
    copied = text is not None and any(line in text for line in _S.target_lines)
    if (disguised or copied) and _learner():
        _flag("compiled the source of target.py" if copied
              else "compiled code under a library or target file name")


def _on_exec(args: tuple[Any, ...]) -> None:
    code = args[0] if args else None
    if type(code) is not types.CodeType or _classify(code.co_filename) != _LEARNER:
        return
    stack, seen = [code], 0
    while stack and seen < 20_000:
        current = stack.pop()
        seen += 1
        for name in current.co_names:
            why = _UNAUDITED_NAMES.get(name) if type(name) is str else None
            if why is not None:
                _flag(why)
                return
        stack.extend(const for const in current.co_consts if type(const) is types.CodeType)


_CTYPES_EVENTS = (
    "ctypes.addressof", "ctypes.call_function", "ctypes.cdata", "ctypes.cdata/buffer",
    "ctypes.create_string_buffer", "ctypes.create_unicode_buffer", "ctypes.dlopen",
    "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.get_errno", "ctypes.set_errno",
    "ctypes.string_at", "ctypes.wstring_at", "ctypes.PyObj_FromPtr", "ctypes.set_exception",
    "ctypes.get_last_error", "ctypes.set_last_error", "ctypes.seh_exception",
)

_HANDLERS: dict[str, Callable[[tuple[Any, ...]], None]] = {
    "open": _on_open,
    "os.listdir": _on_listing,
    "os.scandir": _on_listing,
    "os.link": _paths_handler("linked", (0, 1), True),
    "os.symlink": _paths_handler("linked", (0, 1), True),
    "os.rename": _paths_handler("renamed", (0, 1), True),
    "os.remove": _paths_handler("removed", (0,), False),
    "os.truncate": _paths_handler("truncated", (0,), False),
    "os.chmod": _paths_handler("changed", (0,), False),
    "os.utime": _paths_handler("changed", (0,), False),
    "shutil.copyfile": _paths_handler("copied", (0,), True),
    "shutil.copytree": _paths_handler("copied", (0,), True),
    "shutil.move": _paths_handler("moved", (0,), True),
    "shutil.make_archive": _paths_handler("archived", (2, 3), True),
    "object.__getattr__": _on_getattr,
    "sys._getframe": _on_getframe,
    "sys._current_frames": _always("called sys._current_frames"),
    "gc.get_objects": _always("called gc.get_objects"),
    "gc.get_referrers": _always("called gc.get_referrers"),
    "gc.get_referents": _always("called gc.get_referents"),
    "sys.settrace": _always("set a trace function"),
    "sys.setprofile": _always("set a profile function"),
    "import": _on_import,
    "compile": _on_compile,
    "exec": _on_exec,
    "subprocess.Popen": _always("started a process"),
    "os.system": _always("started a process"),
    "os.exec": _always("started a process"),
    "os.posix_spawn": _always("started a process"),
    "os.spawn": _always("started a process"),
    **{event: _always("used ctypes") for event in _CTYPES_EVENTS},
}


def _run(handler: Callable[[tuple[Any, ...]], None], args: tuple[Any, ...]) -> None:
    try:
        handler(args)
    except RecursionError:
        limit = sys.getrecursionlimit()
        try:
            sys.setrecursionlimit(limit + 100)
            handler(args)
        finally:
            sys.setrecursionlimit(limit)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    handler = _HANDLERS.get(event)
    if handler is None or _S.done:
        return
    try:
        ident = get_ident()
        depth = _S.depth.get(ident, 0)
        if depth >= 2 or (depth == 1 and event in _OWN_EVENTS):
            return  # this module's own frame and attribute reads
        _S.depth[ident] = depth + 1
        try:
            _run(handler, args)
        finally:
            if depth:
                _S.depth[ident] = depth
            else:
                del _S.depth[ident]
    except BaseException:  # noqa: B036 - an audit hook must never raise into the caller
        pass


# --- os.stat has no audit event: wrap it ------------------------------------------------

def _check_stat(path: Any) -> None:
    if _S.done:
        return
    try:
        ident = get_ident()
        depth = _S.depth.get(ident, 0)
        if depth >= 1:
            return  # inside a check: only library code of this module stats (realpath)
        _S.depth[ident] = 1
        try:
            kind = _path_kind(path, directories=False)
            if kind is not None and kind != "a path given by a custom object" and _learner():
                _flag(f"stat {kind}")
        finally:
            del _S.depth[ident]
    except BaseException:  # noqa: B036 - never break a stat
        pass


def _wrap_stat(original: Callable[..., Any]) -> Callable[..., Any]:
    def stat(*args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # noqa: F841 - pytest leaves this frame out of tracebacks
        if args:
            path = args[0]
            if type(path) not in (str, bytes, int) and path is not None:
                try:
                    path = os.fspath(path)  # once, as the caller would: no second __fspath__
                    args = (path, *args[1:])
                except TypeError:
                    pass
            if type(path) is not str or "target" in path or "__pycache__" in path:
                _check_stat(path)  # a plain text path without either can never be flagged
        elif "path" in kwargs:
            _check_stat(kwargs["path"])
        return original(*args, **kwargs)

    stat.__name__ = stat.__qualname__ = getattr(original, "__name__", "stat")
    stat.__doc__ = original.__doc__
    stat.__module__ = getattr(original, "__module__", "posix")
    return stat


def _install_stat_wrappers() -> None:
    for name in ("stat", "lstat"):
        original = getattr(os, name)
        wrapper = _wrap_stat(original)
        for support in (os.supports_fd, os.supports_dir_fd, os.supports_follow_symlinks,
                        os.supports_effective_ids):
            if original in support:
                support.add(wrapper)
        setattr(os, name, wrapper)
        if posix is not None and getattr(posix, name, None) is original:
            setattr(posix, name, wrapper)


# --- installation ------------------------------------------------------------------------

def _library_prefixes() -> tuple[str, ...]:
    paths: set[str] = set()
    for scheme_paths in (sysconfig.get_paths(), sysconfig.get_paths(vars={"base": sys.base_prefix,
                                                                          "platbase": sys.base_prefix})):
        for key in ("stdlib", "platstdlib", "purelib", "platlib"):
            if scheme_paths.get(key):
                paths.add(scheme_paths[key])
    paths.add(os.path.dirname(os.__file__))
    try:
        paths.update(site.getsitepackages())
        paths.add(site.getusersitepackages())
    except AttributeError:  # pragma: no cover - an old virtualenv's site module
        pass
    for entry in sys.path:
        if entry.rstrip("/").endswith(("site-packages", "dist-packages")):
            paths.add(entry)
    result = set()
    for path in paths:
        for variant in (os.path.abspath(path), os.path.realpath(path)):
            if variant and variant != "/":
                result.add(variant.rstrip("/") + "/")
    return tuple(sorted(result))


def _target_lines(path: str) -> tuple[str, ...]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(1 << 20)
    except OSError:
        return ()
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if len(line) >= 20 and not line.startswith(("#", '"""', "'''")):
            lines.append(line)
    return tuple(dict.fromkeys(lines))[:400]


def _exempt_files() -> frozenset[str]:
    """Library files whose work for the learner is exempt, like the import system's:
    Hypothesis's failure handling (``hypothesis.internal.escalation``) trims the traceback
    of a failing example through ``inspect.getframeinfo``, which stats every module's file
    (``target.py`` too) and reads the failing frames. Its caller is the test (Hypothesis
    gives its wrapper the test's file name), but it learns nothing the test keeps."""
    found = set()
    module = sys.modules.get("hypothesis.internal.escalation")
    filename = getattr(module, "__file__", None) if type(module) is types.ModuleType else None
    if type(filename) is str:
        found.add(filename)
        found.add(os.path.abspath(filename))
    return frozenset(found)


def prepare(run_dir: str) -> None:
    """What :func:`install` needs that depends only on the image and ``run_dir``: the
    library and host prefixes, the path types. The zygote calls it once, before any fork,
    so that each test process only reads its own target and installs the hook."""
    import pathlib

    run_dirs = {os.path.abspath(run_dir).rstrip("/") or "/", os.path.realpath(run_dir)}
    _S.run_dirs = frozenset(run_dirs)
    _S.pycache = os.path.join(os.path.abspath(run_dir), "__pycache__")
    _S.lib_prefixes = tuple(p for p in _library_prefixes()
                            if not any(d.startswith(p) or p.startswith(d + "/") for d in run_dirs))
    _S.host_prefixes = (os.path.dirname(_THIS_FILE) + "/",)
    _S.inspect_file = os.path.join(os.path.dirname(os.__file__), "inspect.py")
    _S.mock_file = os.path.join(os.path.dirname(os.__file__), "unittest", "mock.py")
    path_types: set[type] = {pathlib.PurePosixPath, pathlib.PosixPath, pathlib.PureWindowsPath,
                             pathlib.WindowsPath, type(pathlib.Path("."))}
    if posix is not None:
        path_types.add(posix.DirEntry)
    for module_name in ("_pytest._py.path", "py._path.local"):
        module = sys.modules.get(module_name)
        if type(module) is types.ModuleType:
            local_path = module.__dict__.get("LocalPath")
            if isinstance(local_path, type):
                path_types.add(local_path)
    _S.path_types = frozenset(path_types)
    _S.prepared_for = run_dir


def install(run_dir: str, report_fd: int) -> None:
    """Watch this process from now on; flags go to ``report_fd`` (see the module docs).

    Call it before the learner's files are imported. A second call does nothing.
    """
    if _S.installed:
        return
    if _S.prepared_for != run_dir:
        prepare(run_dir)
    _S.fd = report_fd
    host_files = set()
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith("<"):
            host_files.add(os.path.abspath(name))
        frame = frame.f_back
    del frame
    _S.host_files = frozenset(host_files - {_THIS_FILE})
    _S.target_lines = _target_lines(os.path.join(run_dir, "target.py"))
    _S.exempt_files = _exempt_files()  # per run: Hypothesis may be imported after prepare()
    _S.kinds = {}
    _install_stat_wrappers()
    _S.installed = True
    sys.addaudithook(_hook)
