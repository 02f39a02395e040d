"""Safe YAML reading for every file clausewright loads, and YAML writing for answers files.

Only plain data is accepted: no Python object tags, no duplicate keys (a silent overwrite in a
deal file is a lost answer), and a bound on alias expansion (no "billion laughs"). A file that is
not well-formed YAML is reported at its line and column, with the line and a caret under the
place, in words for someone who does not know YAML's grammar.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from clausewright import cache
from clausewright.errors import EXIT_INPUT, EXIT_LIBRARY, ClausewrightError

MAX_ALIASES = 100
MAX_EXPANDED = 100_000  # values a document may hold once its aliases are expanded
MAX_FILE_BYTES = 5 * 1024 * 1024


class YamlError(ClausewrightError):
    """A deal, answers or supplier file that cannot be read as YAML (invalid input)."""

    exit_code = EXIT_INPUT


class LibraryYamlError(YamlError):
    """A library, profile or catalogue file that cannot be read as YAML."""

    exit_code = EXIT_LIBRARY


class _UniqueKeys:
    """Rejects duplicate keys and keys that are not plain values (mixed into a PyYAML loader)."""

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


class _Strict(_UniqueKeys):
    """Also counts alias uses, and refuses a value that contains itself (mixed into a PyYAML loader)."""

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


# The same two loaders on libyaml's parser (about ten times faster), for the text they may read:
# one with nothing that could be an anchor or alias (``&name``, ``*name`` after a space or a
# bracket: a looser test than YAML's, so "R&D" passes and "Smith &Co" goes the slow way), whose
# bounds are then moot, and no character YAML refuses. Anything else, and any text libyaml cannot
# read, goes to the loaders above, so the data read and the errors reported are theirs.
_FAST: dict[type, type] = {}
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:?-])[&*][^\s\[\]{},]", re.MULTILINE)
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)  # libyaml's, where it is installed
if _CParser is not None:

    class _FastData(_UniqueKeys, _CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream):
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    class _FastAnswers(_UniqueKeys, _CParser, yaml.constructor.BaseConstructor, yaml.resolver.BaseResolver):
        def __init__(self, stream):
            _CParser.__init__(self, stream)
            yaml.constructor.BaseConstructor.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)

    _FastData.yaml_implicit_resolvers = DataLoader.yaml_implicit_resolvers
    _FAST = {DataLoader: _FastData, AnswersLoader: _FastAnswers}


def _fast_loader(text: str, loader: type) -> type | None:
    fast = _FAST.get(loader)
    if fast is None or _MAYBE_ANCHOR.search(text) or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    return fast


_parsed = cache.Store("yaml", f"pyyaml {yaml.__version__}", (__file__,))


def load_text(text: str, source: str = "<text>", *, answers: bool = False) -> Any:
    """``answers``: a deal, answers or supplier file (every scalar is text), else library data,
    which is parsed once and then read from the cache (``cache.py``) for as long as its text is
    the same."""
    if answers:
        return _parse(text, source, AnswersLoader, YamlError)
    key = _parsed.key(text)
    data = _parsed.get(key)
    if data is None:
        data = _parse(text, source, DataLoader, LibraryYamlError)
        _parsed.put(key, data)
    return data


def _parse(text: str, source: str, loader: type, error: type[YamlError]) -> Any:
    fast = _fast_loader(text, loader)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - safe, as the loader it stands for
        except (yaml.YAMLError, RecursionError):
            pass  # read again below, for the error in the words of the loader it stands for
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are safe
    except yaml.YAMLError as exc:
        raise error(describe(exc, source)) from None
    except RecursionError:
        raise error(f"{source}: nested too deeply to read") from None


def load_file(path: Path | str, *, answers: bool = False) -> Any:
    path = Path(path)
    error = YamlError if answers else LibraryYamlError
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise error(f"{path}: file is {size} bytes; the limit is {MAX_FILE_BYTES}")
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return load_text(text, str(path), answers=answers)


def _represent_text(dumper, text):
    """Text over several lines is a literal block (``|-``, ``|`` or ``|+`` as its ending needs),
    which reads as typed; the emitter quotes it instead where a block could not hold it exactly
    (trailing spaces on a line, special characters). Text holding a character YAML reads as a
    line break of its own (NEL, LS, PS) is double-quoted, where it is escaped."""
    if any(c in text for c in "\x85\u2028\u2029"):
        style: str | None = '"'
    else:
        style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with text written as ``_represent_text`` says."""


_Dumper.add_representer(str, _represent_text)

# libyaml's emitter, where it is installed, writes the same text about five times faster (bulk runs)
_FastDumper: Any = None
if hasattr(yaml, "CSafeDumper"):
    _FastDumper = type("_FastDumper", (yaml.CSafeDumper,), {})
    _FastDumper.add_representer(str, _represent_text)


def dump(data: Any, *, fast: bool = True) -> str:
    """``data`` as YAML that ``load_text`` reads back exactly (``fast``: with libyaml if installed)."""
    dumper = _FastDumper if fast and _FastDumper is not None else _Dumper
    text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    # libyaml ends a document holding a |+ block with an explicit end marker, which changes nothing
    return text.removesuffix("...\n") if text.endswith("\n...\n") else text


# --- syntax errors in plain words -----------------------------------------------------------------

_QUOTE_IT = "put the whole value in quotes"
_LINE_UP = (
    "this line does not line up with the lines above it: the keys of one level (and the '- ' of "
    "one list) must start in the same column; indent each level with spaces, by the same amount"
)


def describe(exc: yaml.YAMLError, source: str) -> str:
    """A YAML syntax error as a reader can act on it: where, what is wrong in plain words, and
    the line itself with a caret under the place."""
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return f"{source}: contains the character U+{ord(char):04X} at character {exc.position + 1}, which a YAML file cannot hold; remove it"
    if not isinstance(exc, yaml.MarkedYAMLError) or exc.problem_mark is None:
        return f"{source}: cannot be read as YAML: {exc}"
    sentence, mark = _explain(exc)
    where = f"{source}, line {mark.line + 1}, column {mark.column + 1}"
    return "\n".join([f"{where}: {sentence}", *_snippet(mark)])


def _explain(exc: yaml.MarkedYAMLError) -> tuple[str, Any]:
    """PyYAML's problem as a sentence, and the mark to show (sometimes where a thing began)."""
    problem, begun = exc.problem or "", exc.context_mark
    mark: Any = exc.problem_mark
    line = _line(mark)
    if "'\\t'" in problem or "tab character" in problem:
        return "a tab character: indent with spaces, never with tabs (most editors have a setting to insert spaces)", mark
    if "while scanning a quoted scalar" in (exc.context or "") and begun is not None:
        return "the quotation mark that opens this value is never closed; add the closing one at the end of the value", begun
    if problem.startswith("found unknown escape character"):
        return ("inside double quotes a backslash starts a special character; write the value in single quotes "
                "('C:\\files') or write each backslash twice"), mark
    if problem == "mapping values are not allowed here":
        if ": " in line[: mark.column].lstrip():
            return f"a second ': ' on one line; if the colon is part of the value, {_QUOTE_IT} (name: \"Acme: Ltd\")", mark
        return "this line is indented further than the line above it allows; line it up with the keys above it", mark
    if problem.startswith("expected <block end>"):
        before = line[: mark.column].rstrip()
        if before.endswith(("\"", "'")) and ": " in before:
            return "text follows the closing quotation mark; put the whole value inside the quotes", mark
        return _LINE_UP, mark
    if problem == "could not find expected ':'" and begun is not None:
        return ("this line is not 'key: value' or a list entry ('- ...'): a colon may be missing after the key, or a value "
                "that runs over several lines must be in quotes or written as a block (key: |)"), begun
    match = re.match(r"expected ',' or '([\]}])'", problem)
    if match and begun is not None:
        opening = "[" if match.group(1) == "]" else "{"
        return f"the '{opening}' that starts here is never closed with '{match.group(1)}'; close it, or {_QUOTE_IT} if the brackets are part of the text", begun
    match = re.match(r"found character '(.)' that cannot start any token", problem)
    if match:
        return f"a value cannot begin with {match.group(1)}; {_QUOTE_IT}", mark
    if problem.startswith("found undefined alias"):
        return f"a value beginning with '*' refers to an '&' label defined above, and there is none; {_QUOTE_IT}", mark
    if "while scanning an anchor" in (exc.context or "") or "while scanning an alias" in (exc.context or ""):
        return f"a value cannot begin with '&' or '*' followed by a space or nothing; {_QUOTE_IT}", mark
    if problem.startswith("duplicate key"):
        key, first = re.match(r"duplicate key (.*) \(first at line (\d+)\)", problem).groups()  # type: ignore[union-attr]
        return f"duplicate key {key}: it appears twice at the same level (first on line {first}); keep one, as the second would replace the first", mark
    if problem.startswith(("did not find expected key", "did not find expected '-' indicator", "expected <block end>")):
        return _LINE_UP, mark
    return f"not well-formed YAML ({problem})", mark


def _line(mark: Any) -> str:
    """The text of the line a mark is on."""
    buffer = mark.buffer or ""
    start = max(buffer.rfind(sep, 0, mark.pointer) for sep in "\n\r\x85\u2028\u2029") + 1
    end = min((i for i in (buffer.find(sep, mark.pointer) for sep in "\n\r\x85\u2028\u2029\0") if i >= 0), default=len(buffer))
    return buffer[start:end]


def _snippet(mark: Any) -> list[str]:
    """The line, numbered, and a caret under the column (tabs shown as →, wide characters counted twice)."""
    line = _line(mark)
    if not line.strip():
        return []
    number = str(mark.line + 1)
    shown = line.replace("\t", "→")
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in shown[: mark.column])
    return [f"  {number} | {shown}", f"  {' ' * len(number)} | {' ' * width}^"]
