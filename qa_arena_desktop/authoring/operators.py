"""The AST mutation operators: each looks at one node and proposes small, plausible bugs.

An operator is a pure function ``(site) -> [Mutation]``: it never edits the tree it
is given; each :class:`Mutation` carries a fresh replacement node for ``site.node``.
Replacements are as small as possible (the ``<`` comparison, not the whole ``if``)
so that :mod:`mutation` can splice them into the author's own text and keep the
rest of the file, comments included, exactly as written.

Operator names are stable strings: they appear in ``mutants generate --json``.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from dataclasses import dataclass

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Site:
    """A node that may be mutated, with the context operators need."""

    node: ast.AST
    parent: ast.AST | None
    function: FunctionNode | None  # the innermost enclosing function


@dataclass(frozen=True)
class Mutation:
    operator: str
    description: str  # short, for people: "`<` → `<=`"
    replacement: ast.AST


Operator = Callable[[Site], list[Mutation]]

_SYMBOLS: dict[type, str] = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not",
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
    ast.Mod: "%", ast.Pow: "**", ast.And: "and", ast.Or: "or",
}
BOUNDARY: dict[type, type] = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}
FLIP: dict[type, type] = {
    ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE, ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
ARITHMETIC: dict[type, tuple[type, ...]] = {
    ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.Div,), ast.Div: (ast.Mult, ast.FloorDiv),
    ast.FloorDiv: (ast.Div,), ast.Mod: (ast.FloorDiv,), ast.Pow: (ast.Mult,),
}
CASE_SWAP = {"lower": "upper", "upper": "lower", "casefold": "upper",
             "islower": "isupper", "isupper": "islower"}
BOOLEAN_CALLS = {"isinstance", "issubclass", "all", "any", "bool", "callable", "hasattr"}
EMPTY_BY_TYPE = {"str": "''", "list": "[]", "dict": "{}", "set": "set()", "tuple": "()",
                 "int": "0", "float": "0.0", "bytes": "b''"}
KEPT_STATEMENTS = (ast.Return, ast.Pass, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                   ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal)


def _sym(op: ast.AST | type) -> str:
    return _SYMBOLS.get(op if isinstance(op, type) else type(op), "?")


def _is_int(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, int)
            and not isinstance(node.value, bool))


def _short(node: ast.AST, limit: int = 40) -> str:
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def comparison(site: Site) -> list[Mutation]:
    """``<`` ↔ ``<=`` and ``>`` ↔ ``>=`` (boundary), and the opposite comparison (flip)."""
    node = site.node
    if not isinstance(node, ast.Compare):
        return []
    found = []
    for index, op in enumerate(node.ops):
        for name, table in (("comparison-boundary", BOUNDARY), ("comparison-flip", FLIP)):
            new = table.get(type(op))
            if new is None:
                continue
            mutated = copy.deepcopy(node)
            mutated.ops[index] = new()
            found.append(Mutation(name, f"`{_sym(op)}` → `{_sym(new)}`", mutated))
    return found


def arithmetic(site: Site) -> list[Mutation]:
    """``+`` ↔ ``-``, ``*`` → ``/``, ``/`` → ``*`` or ``//``, ``%`` → ``//``, ``**`` → ``*``."""
    node = site.node
    if not isinstance(node, ast.BinOp | ast.AugAssign):
        return []
    found = []
    for new in ARITHMETIC.get(type(node.op), ()):
        mutated = copy.deepcopy(node)
        mutated.op = new()
        found.append(Mutation("arithmetic", f"`{_sym(node.op)}` → `{_sym(new)}`", mutated))
    return found


def boolean(site: Site) -> list[Mutation]:
    """``and`` ↔ ``or``; ``not x`` → ``x``; a condition ``c`` → ``not c``."""
    node, parent = site.node, site.parent
    found = []
    if isinstance(node, ast.BoolOp):
        mutated = copy.deepcopy(node)
        mutated.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        found.append(Mutation("boolean-operator", f"`{_sym(node.op)}` → `{_sym(mutated.op)}`",
                              mutated))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        found.append(Mutation("remove-not", f"`not` removed from `{_short(node)}`",
                              copy.deepcopy(node.operand)))
    is_condition = (isinstance(parent, ast.If | ast.While | ast.IfExp | ast.Assert)
                    and getattr(parent, "test", None) is node)
    if is_condition and not (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
        found.append(Mutation("insert-not", f"condition `{_short(node)}` negated",
                              ast.UnaryOp(op=ast.Not(), operand=copy.deepcopy(node))))  # type: ignore[arg-type]
    return found


def constant(site: Site) -> list[Mutation]:
    """An integer literal ``n`` → ``n + 1`` and ``n - 1`` (never a ``bool``)."""
    node = site.node
    if not _is_int(node):
        return []
    assert isinstance(node, ast.Constant)
    value = int(node.value)  # type: ignore[arg-type]
    return [Mutation("constant", f"`{value}` → `{value + step}`", ast.Constant(value=value + step))
            for step in (1, -1)]


def _plus_minus_one(node: ast.AST, operator: str, where: str) -> list[Mutation]:
    literal = _is_int(node) or (isinstance(node, ast.UnaryOp) and _is_int(node.operand))
    if not isinstance(node, ast.expr) or literal:
        return []  # literals are covered by the constant operator
    return [Mutation(operator, f"{where} `{_short(node)}` → `{_short(node)} {sym} 1`",
                     ast.BinOp(left=copy.deepcopy(node), op=op(), right=ast.Constant(value=1)))
            for op, sym in ((ast.Add, "+"), (ast.Sub, "-"))]


def off_by_one(site: Site) -> list[Mutation]:
    """A ``range()`` argument or a slice bound ``e`` → ``e + 1`` and ``e - 1``."""
    node, parent = site.node, site.parent
    if (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name)
            and parent.func.id == "range" and any(arg is node for arg in parent.args)):
        return _plus_minus_one(node, "range-off-by-one", "range argument")
    if isinstance(parent, ast.Slice) and (parent.lower is node or parent.upper is node):
        return _plus_minus_one(node, "slice-off-by-one", "slice bound")
    return []


def _looks_boolean(value: ast.expr) -> bool:
    if isinstance(value, ast.Compare | ast.BoolOp):
        return True
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
        return True
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id in BOOLEAN_CALLS
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        return value.func.attr.startswith(("is", "startswith", "endswith"))
    return False


def _empty_for(value: ast.expr, function: FunctionNode | None) -> str | None:
    """The empty value of the function's declared return type, else of the literal returned."""
    returns = function.returns if function is not None else None
    if returns is not None:
        base = returns.value if isinstance(returns, ast.Subscript) else returns
        if isinstance(base, ast.Name) and base.id in EMPTY_BY_TYPE:
            return EMPTY_BY_TYPE[base.id]
    literal = {ast.List: "list", ast.ListComp: "list", ast.Dict: "dict", ast.DictComp: "dict",
               ast.Set: "set", ast.SetComp: "set", ast.Tuple: "tuple", ast.JoinedStr: "str"}
    kind = literal.get(type(value))
    if kind is None and isinstance(value, ast.Constant) and not isinstance(value.value, bool):
        kind = type(value.value).__name__
    return EMPTY_BY_TYPE.get(kind or "")


def return_value(site: Site) -> list[Mutation]:
    """``return v`` → ``return None``, ``return not v`` (booleans), ``return <empty>``."""
    node = site.node
    if not isinstance(node, ast.Return) or node.value is None:
        return []
    value = node.value
    if isinstance(value, ast.Constant) and value.value is None:
        return []
    found = [Mutation("return-value", "returns `None`", ast.Return(value=ast.Constant(value=None)))]
    if isinstance(value, ast.Constant) and isinstance(value.value, bool):
        found.append(Mutation("return-value", f"returns `{not value.value}`",
                              ast.Return(value=ast.Constant(value=not value.value))))
    elif _looks_boolean(value):
        found.append(Mutation("return-value", "returns the negated result",
                              ast.Return(value=ast.UnaryOp(op=ast.Not(), operand=copy.deepcopy(value)))))
    empty = _empty_for(value, site.function)
    if empty is not None and empty != "None":
        found.append(Mutation("return-value", f"returns `{empty}`",
                              ast.Return(value=ast.parse(empty, mode="eval").body)))
    return found


def remove_statement(site: Site) -> list[Mutation]:
    """A statement inside a function (not a ``return``) → ``pass``."""
    node = site.node
    if site.function is None or not isinstance(node, ast.stmt) or isinstance(node, KEPT_STATEMENTS):
        return []
    first = ast.unparse(node).splitlines()[0]
    shown = first if len(first) <= 40 else first[:39] + "…"
    return [Mutation("remove-statement", f"`{shown}` removed", ast.Pass())]


def remove_branch(site: Site) -> list[Mutation]:
    """An ``if`` keeps its test but loses its body, or loses its ``else``/``elif`` part."""
    node = site.node
    if site.function is None or not isinstance(node, ast.If):
        return []
    found = []
    # Without an else, a dropped body is the removed statement again (remove_statement).
    if node.orelse and not (len(node.body) == 1 and isinstance(node.body[0], ast.Pass)):
        mutated = copy.deepcopy(node)
        mutated.body = [ast.Pass()]
        found.append(Mutation("remove-branch", f"body of `if {_short(node.test)}` dropped", mutated))
    if node.orelse:
        mutated = copy.deepcopy(node)
        mutated.orelse = []
        kind = "elif" if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If) else "else"
        found.append(Mutation("remove-branch", f"`{kind}` of `if {_short(node.test)}` dropped",
                              mutated))
    return found


def string_case(site: Site) -> list[Mutation]:
    """``.lower()`` ↔ ``.upper()`` (and ``casefold``, ``islower``/``isupper``)."""
    node, parent = site.node, site.parent
    if not (isinstance(node, ast.Attribute) and isinstance(parent, ast.Call)
            and parent.func is node and node.attr in CASE_SWAP):
        return []
    mutated = copy.deepcopy(node)
    mutated.attr = CASE_SWAP[node.attr]
    return [Mutation("string-case", f"`.{node.attr}()` → `.{mutated.attr}()`", mutated)]


def swap_arguments(site: Site) -> list[Mutation]:
    """Two neighbouring positional arguments of a call change places."""
    node = site.node
    if not isinstance(node, ast.Call):
        return []
    found = []
    for index in range(len(node.args) - 1):
        first, second = node.args[index], node.args[index + 1]
        if isinstance(first, ast.Starred) or isinstance(second, ast.Starred):
            continue
        if ast.dump(first) == ast.dump(second):
            continue
        mutated = copy.deepcopy(node)
        mutated.args[index], mutated.args[index + 1] = mutated.args[index + 1], mutated.args[index]
        found.append(Mutation("swap-arguments", f"arguments `{_short(first, 20)}` and "
                              f"`{_short(second, 20)}` of `{_short(node.func, 20)}()` swapped",
                              mutated))
    return found


OPERATORS: tuple[Operator, ...] = (
    comparison, arithmetic, boolean, constant, off_by_one, return_value, remove_statement,
    remove_branch, string_case, swap_arguments,
)
OPERATOR_NAMES: tuple[str, ...] = (
    "comparison-boundary", "comparison-flip", "arithmetic", "boolean-operator", "remove-not",
    "insert-not", "constant", "range-off-by-one", "slice-off-by-one", "return-value",
    "remove-statement", "remove-branch", "string-case", "swap-arguments",
)
