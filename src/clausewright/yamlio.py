"""Safe YAML reading for every file clausewright loads.

Only plain data is accepted: no Python object tags, no duplicate keys (a silent overwrite in a
deal file is a lost answer), and a bound on alias expansion (no "billion laughs").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from clausewright.errors import ClausewrightError

MAX_ALIASES = 100
MAX_EXPANDED = 100_000  # values a document may hold once its aliases are expanded
MAX_FILE_BYTES = 5 * 1024 * 1024


class YamlError(ClausewrightError):
    pass


class _Strict:
    """Rejects duplicate keys and counts alias uses (mixed into a PyYAML loader)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0
        self._expanded = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise yaml.constructor.ConstructorError(None, None, f"more than {MAX_ALIASES} aliases; refusing to expand", mark)
            node = super().compose_node(parent, index)
            # a few aliases of aliases expand exponentially ("billion laughs"): bound the total
            self._expanded += self._size(node, mark)
            if self._expanded > MAX_EXPANDED:
                raise yaml.constructor.ConstructorError(None, None, f"aliases expand to more than {MAX_EXPANDED:,} values; refusing to expand", mark)
            return node
        return super().compose_node(parent, index)

    def compose_document(self):
        node = super().compose_document()
        if self._aliases:
            self._acyclic(node, set(), set())
        return node

    def _acyclic(self, node, open_nodes: set[int], done: set[int]) -> None:
        """Refuse a value that contains itself (``a: &a [*a]``): nothing could print it."""
        key = id(node)
        if key in done:
            return
        if key in open_nodes:
            raise yaml.constructor.ConstructorError(None, None, "an alias refers to a value that contains it; refusing to expand", node.start_mark)
        if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            open_nodes.add(key)
            for child in node.value:
                for sub in child if isinstance(child, tuple) else (child,):
                    self._acyclic(sub, open_nodes, done)
            open_nodes.discard(key)
        done.add(key)

    def _size(self, node, mark) -> int:
        """The number of values ``node`` stands for, aliases expanded (memoised per node)."""
        key = id(node)
        if key in self._sizes:
            if self._sizes[key] < 0:
                raise yaml.constructor.ConstructorError(None, None, "an alias refers to a value that contains it; refusing to expand", mark)
            return self._sizes[key]
        self._sizes[key] = -1
        if isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._size(child, mark) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size = 1 + sum(self._size(k, mark) + self._size(v, mark) for k, v in node.value)
        else:
            size = 1
        self._sizes[key] = size
        return min(size, MAX_EXPANDED + 1)

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, "a key is not a plain value", key_node.start_mark
                ) from None
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"duplicate key {key!r} (first at line {seen[key].line + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


class DataLoader(_Strict, yaml.SafeLoader):
    """For library data (clauses, parameters, profiles): YAML's plain types, dates kept as text."""


DataLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class AnswersLoader(_Strict, yaml.BaseLoader):
    """For deal and answers files: every scalar stays the text the user typed.

    The parameter schema converts each value (as it does a spreadsheet cell), so ``no`` stays a
    supplier's name unless the field is a yes/no question, and ``0123`` keeps its leading zero.
    """


def load_text(text: str, source: str = "<text>", *, answers: bool = False) -> Any:
    loader = AnswersLoader if answers else DataLoader
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are safe
    except yaml.YAMLError as exc:
        raise YamlError(f"{source}: not valid YAML: {_describe(exc)}") from None
    except RecursionError:
        raise YamlError(f"{source}: nested too deeply to read") from None


def load_file(path: Path | str, *, answers: bool = False) -> Any:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlError(f"{path}: file is {size} bytes; the limit is {MAX_FILE_BYTES}")
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return load_text(text, str(path), answers=answers)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, but text holding a character YAML reads as a line break of its own
    (NEL, U+0085) is double-quoted, where it is escaped; otherwise it would read back as a space."""


def _represent_text(dumper, text):
    style = '"' if "\x85" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)


def _describe(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return problem
