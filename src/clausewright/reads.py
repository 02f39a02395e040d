"""What a fragment or a ``when`` expression reads, found by walking its Jinja syntax tree.

``deal.tooling.applies``, ``law.penalty.regime``, ``deal['x'].y``, ``law.get('x')`` and
``included('tooling')`` are all reads; a loop variable over a deal list (``{% for p in
deal.products %}``) reads that list's fields (``products.name``), and ``{% set x = law.y %}``
makes ``x.z`` read ``law.y.z``. The walk never evaluates anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError

from clausewright import cache, jinja
from clausewright.roles import BY_NAME

# Names a clause sees: the deal, its helpers, and the profiles and catalogue entries of roles.py.
ROOTS = {"deal", "included", "position", "clause", "agreement_type", *BY_NAME}


@dataclass(frozen=True)
class Read:
    root: str  # "deal", "law", "included", ...
    path: tuple[str, ...]  # attribute names after the root; "[]" marks an item of a list
    dynamic: bool = False  # the chain continues with a computed key (deal[x]): path is a prefix
    line: int = 0

    @property
    def dotted(self) -> str:
        if self.root == "included":
            return f"included({self.path[0]!r})" if self.path else "included"
        out = self.root
        for part in self.path:
            out += "[]" if part == "[]" else f".{part}"
        return out


class _Walker:
    def __init__(self) -> None:
        self.reads: list[Read] = []
        self.aliases: dict[str, tuple[str, tuple[str, ...]]] = {}

    def chain(self, node: nodes.Node) -> tuple[str, tuple[str, ...], bool] | None:
        """(root, path, dynamic) when ``node`` is an attribute chain on a known name."""
        if isinstance(node, nodes.Name):
            if node.name in self.aliases:
                root, path = self.aliases[node.name]
                return root, path, False
            if node.name in ROOTS:
                return node.name, (), False
            return None
        if isinstance(node, nodes.Getattr):
            base = self.chain(node.node)
            if base is None or base[2]:
                return base
            return base[0], base[1] + (node.attr,), False
        if isinstance(node, nodes.Getitem):
            base = self.chain(node.node)
            if base is None or base[2]:
                return base
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                return base[0], base[1] + (arg.value,), False
            if isinstance(arg, nodes.Const) and isinstance(arg.value, int):
                return base[0], base[1] + ("[]",), False
            return base[0], base[1], True
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and node.node.attr == "get" and node.args:
            base = self.chain(node.node.node)
            arg = node.args[0]
            if base is not None and not base[2] and isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                return base[0], base[1] + (arg.value,), False
        return None

    def record(self, node: nodes.Node, found: tuple[str, tuple[str, ...], bool]) -> None:
        root, path, dynamic = found
        self.reads.append(Read(root, path, dynamic, getattr(node, "lineno", 0) or 0))

    def visit(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "included":
            arg = node.args[0] if node.args else None
            self.reads.append(Read("included", (arg.value,) if isinstance(arg, nodes.Const) else (), not isinstance(arg, nodes.Const), node.lineno))
            for child in node.args[1:]:
                self.visit(child)
            return
        if isinstance(node, nodes.For):
            self.visit(node.iter)
            found = self.chain(node.iter)
            targets: list[nodes.Node] = [node.target] if isinstance(node.target, nodes.Name) else list(getattr(node.target, "items", []))
            if found is not None and not found[2] and len(targets) == 1 and isinstance(targets[0], nodes.Name):
                self.aliases[targets[0].name] = (found[0], found[1] + ("[]",))
            children: list[nodes.Node] = [*(node.body or []), *(node.else_ or [])] + ([node.test] if node.test is not None else [])
            for part in children:
                self.visit(part)
            return
        if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
            self.visit(node.node)
            value = node.node
            while isinstance(value, (nodes.Or, nodes.And, nodes.CondExpr)):
                # {% set re = law.get('x') or {} %}, {% set items = deal.x if deal.x is defined else [] %}
                value = value.expr1 if isinstance(value, nodes.CondExpr) else value.left
            found = self.chain(value)
            if found is not None and not found[2] and found[0] != "included":
                self.aliases[node.target.name] = (found[0], found[1])
            else:
                self.aliases.pop(node.target.name, None)
            return
        found = self.chain(node)
        if found is not None:
            self.record(node, found)
            # arguments of a .get() call or a computed key may read further names
            if isinstance(node, nodes.Call):
                for child in node.args[1:]:
                    self.visit(child)
            for item in node.find_all((nodes.Getitem,)):
                if not isinstance(item.arg, nodes.Const):
                    self.visit(item.arg)
            return
        for inner in node.iter_child_nodes():
            self.visit(inner)


# What a source is, how it is parsed, and the error its syntax errors become.
_PARSERS = {
    "template": (lambda source: jinja.FRAGMENTS.parse(source), lambda source, exc: jinja.FragmentError(exc.message or "bad syntax", exc.lineno)),
    "expression": (lambda source: jinja.EXPRESSIONS.parse("{{ (" + source + "\n) }}"), lambda source, exc: jinja.FragmentError(f"bad expression {source!r}: {exc.message}")),
    "text": (lambda source: jinja.EXPRESSIONS.parse(source), lambda source, exc: jinja.FragmentError(f"{source!r}: {exc.message}")),
}


def parse(kind: str, source: str) -> nodes.Template:
    """The syntax tree of a clause body or definition text (``template``), a ``when`` expression
    without braces (``expression``) or a schema default (``text``); raises
    ``jinja.FragmentError`` on a syntax error."""
    parser, error = _PARSERS[kind]
    try:
        return parser(source)
    except TemplateSyntaxError as exc:
        raise error(source, exc) from None


def reads_of(tree: nodes.Template) -> list[Read]:
    walker = _Walker()
    walker.visit(tree)
    return _unique(walker.reads)


@dataclass(frozen=True)
class Summary:
    """What a source reads, and the names it assigns (``set``, ``for``, macro parameters): all
    that is wanted of its syntax tree."""

    reads: tuple[Read, ...]
    rebound: frozenset[str]


# Summaries are worked out once per source and kept in the cache (cache.py): they depend on the
# source, this module's walk and Jinja's parser.
_summaries: dict[tuple[str, str], Summary] = {}
_stored = cache.Store("reads", f"jinja2 {jinja2.__version__}", (__file__,))


def summary(kind: str, source: str) -> Summary:
    """The ``Summary`` of a source of ``kind`` (as ``parse``); raises ``jinja.FragmentError`` on
    a syntax error."""
    found = _summaries.get((kind, source))
    if found is not None:
        return found
    key = _stored.key(kind, source)
    data = _stored.get(key)
    if data is None:
        tree = parse(kind, source)
        rebound = sorted({n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")})
        data = ([(r.root, r.path, r.dynamic, r.line) for r in reads_of(tree)], rebound)
        _stored.put(key, data)
    found = _summaries[(kind, source)] = Summary(tuple(Read(*r) for r in data[0]), frozenset(data[1]))
    return found


def template_reads(source: str) -> list[Read]:
    """Reads of a clause body or definition text."""
    return list(summary("template", source).reads)


def expression_reads(expression: str) -> list[Read]:
    """Reads of a ``when`` expression (no braces)."""
    return list(summary("expression", expression).reads)


def text_reads(source: str) -> list[Read]:
    """Reads of a schema default such as ``{{ supplier_country.currency }}``."""
    return list(summary("text", source).reads)


def _unique(reads: list[Read]) -> list[Read]:
    seen: dict[tuple, Read] = {}
    for r in reads:
        seen.setdefault((r.root, r.path, r.dynamic), r)
    return list(seen.values())
