"""The clause library: ``library.yaml``, the parameter schema and the clause files."""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausewright import resources, yamlio
from clausewright.errors import LibraryError
from clausewright.formatting import respelt
from clausewright.inputs import directives
from clausewright.inputs.agreement_types import ALL, TYPE_PARAMETER, AgreementType, load_types
from clausewright.inputs.schema import Schema, load_schema
from clausewright.inputs.terms import TermSpec, load_terms

PARTS = ("front", "body", "schedule")
POSITIONS = ("buyer", "balanced", "supplier")
_CLAUSE_ID = re.compile(r"[a-z][a-z0-9-]*")
_HEADER_KEYS = {"id", "title", "version", "part", "order", "when", "uses", "position", "positions", "overall", "defines", "style", "toc", "form", "floors", "position_when", "grants", "types"}


@dataclass(frozen=True)
class Definition:
    term: str
    text: str  # Jinja + markup, e.g. "means ..."
    when: str | None
    clause_id: str


@dataclass(frozen=True)
class Floor:
    """A protection no negotiation position may go below (``library check`` enforces it)."""

    id: str
    rule: str  # the protection, in a lawyer's words
    requires: re.Pattern[str]  # what the clause's rendered text must contain
    when: str | None = None  # only where this condition holds (e.g. "included('tooling')")


@dataclass(frozen=True)
class Grant:
    """What a position of this clause's topic leaves to a party; no other clause may take it back."""

    id: str
    position: str  # the position of this clause's topic that grants it
    rule: str
    forbids: re.Pattern[str]  # what must not appear anywhere in the agreement's rendered text


@dataclass(frozen=True)
class NoteArrangement:
    """What a counsel note may speak of only where the clause it sits on drafts it (library.yaml
    ``note_arrangements``): a note whose words match ``note`` on a clause whose text in the draft (with
    that of the clauses the note refers to) does not match ``draft`` misdescribes that draft, and so does a note whose words match ``denied``
    (it says the draft lacks the arrangement) on a draft whose text matches ``draft`` anywhere."""

    id: str
    what: str  # the arrangement, in a lawyer's words
    note: re.Pattern[str]  # finds it in a note's words
    draft: re.Pattern[str]  # finds it in the text of the clause the note is on
    denied: re.Pattern[str] | None = None  # finds a note's words saying the draft lacks it


@dataclass
class Clause:
    id: str
    title: str
    version: str
    part: str
    order: int
    body: str  # Jinja, line for line the file's body (directive lines expanded: inputs/directives.py)
    path: Path
    sha256: str
    when: str | None = None
    uses: list[str] = field(default_factory=list)
    position: str | None = None
    positions: dict[str, str] = field(default_factory=dict)
    overall: dict[str, str] = field(default_factory=dict)  # what the clause does at each overall position, without a topic of its own
    defines: list[Definition] = field(default_factory=list)
    style: str | None = None  # front clauses: "parties" or "recitals" numbering
    toc: bool = True
    form: bool = False  # a schedule that is a form, completed later (a Statement of Work): its blanks are not left to fill before signature
    body_line: int = 1  # line of the body in the file, for error messages
    floors: list[Floor] = field(default_factory=list)
    position_when: str | None = None  # when the negotiated topic is in play (e.g. only with agreed damages)
    grants: list[Grant] = field(default_factory=list)
    types: tuple[str, ...] | None = None  # the agreement types that use it, as declared (None: the default type; ("all",): every type)


@dataclass
class Library:
    id: str
    title: str
    version: str
    schema: Schema
    clauses: dict[str, Clause]
    directory: Path
    wording: dict[str, str] = field(default_factory=dict)  # library.yaml ``wording``: cover, header, signature blocks
    subjects: dict[str, str] = field(default_factory=dict)  # library.yaml ``subjects``: where rule checks look
    common_law_terms: list[str] = field(default_factory=list)  # terms of art civil-law drafts must not use
    spelling: dict[str, dict[str, str]] = field(default_factory=dict)  # locale -> {British form: its form} (spelling.yaml)
    review_floors: dict[str, str] = field(default_factory=dict)  # library.yaml ``review_floors``: clause id -> the protection it carries
    note_arrangements: list[NoteArrangement] = field(default_factory=list)  # library.yaml ``note_arrangements``
    terms: list[TermSpec] = field(default_factory=list)  # terms.yaml: the key terms reported (docs/terms.md)
    types: dict[str, AgreementType] = field(default_factory=dict)  # the documents it drafts, default first (types/*.yaml)

    def ordered(self, part: str, kind: AgreementType | None = None) -> list[Clause]:
        """The clauses of ``part`` in order: of the type ``kind``, or of every type."""
        return sorted((c for c in self.clauses.values() if c.part == part and (kind is None or self.used_by(c, kind))), key=lambda c: (c.order, c.id))

    def used_by(self, clause: Clause, kind: AgreementType) -> bool:
        """Whether agreements of type ``kind`` use ``clause`` (its ``types:``; none: the default type)."""
        declared = clause.types or (self.default_type.id,)
        return ALL in declared or kind.id in declared

    @property
    def default_type(self) -> AgreementType:
        return next(iter(self.types.values()))

    def type_of(self, deal: Any) -> AgreementType:
        """The agreement type a validated deal chooses (``agreement.type``), else the default."""
        return self.types.get(str(deal.get(TYPE_PARAMETER) or ""), self.default_type)

    def spelling_of(self, deal: Any) -> dict[str, str]:
        """The spelling of a deal's draft: {British form: its locale's form} (none for a locale
        the library spells as written)."""
        return self.spelling.get(str(deal.get("agreement.locale") or ""), {})

    def wording_for(self, kind: AgreementType, locale: str | None = None) -> dict[str, str]:
        """The wording printed outside the clauses of an agreement of type ``kind`` (the cover,
        the signature blocks), spelt for ``locale`` as the clauses are (spelling.yaml)."""
        words = self.spelling.get(str(locale or ""), {})
        return {key: respelt(text, words) for key, text in {**self.wording, **kind.wording}.items()}

    def subjects_for(self, kind: AgreementType) -> dict[str, str]:
        """Where the rule checks look in an agreement of type ``kind``."""
        return {**self.subjects, **kind.subjects}

    def clause(self, cid: str) -> Clause:
        try:
            return self.clauses[cid]
        except KeyError:
            raise LibraryError(str(self.directory), f"no clause {cid!r}") from None

    def topics(self, kind: AgreementType | None = None) -> list[str]:
        """The negotiated topics of the clauses of type ``kind`` (or of every type)."""
        return sorted({c.position for c in self.clauses.values() if c.position and (kind is None or self.used_by(c, kind))})


def _spelling(path: Path) -> dict[str, dict[str, str]]:
    """The library's spelling lists by locale (``spelling.yaml``; none without the file)."""
    if not path.exists():
        return {}
    data = yamlio.load_file(path) or {}
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise LibraryError(str(path), "must map each locale (en_US) to its words, British form: that locale's form")
    out: dict[str, dict[str, str]] = {}
    for locale, words in data.items():
        for british, other in words.items():
            if not isinstance(british, str) or not isinstance(other, str) or not british.strip() or not other.strip():
                raise LibraryError(str(path), f"{locale}: {british!r}: each entry is a word and the word that replaces it")
        out[str(locale)] = {b.strip().lower(): o.strip() for b, o in words.items()}
    return out


def load_library(directory: Path) -> Library:
    directory = Path(directory)
    meta_path = directory / "library.yaml"
    if not meta_path.exists():
        raise LibraryError(str(directory), "not a clause library (no library.yaml)")
    meta = yamlio.load_file(meta_path)
    if not isinstance(meta, dict) or not all(k in meta for k in ("id", "title", "version")):
        raise LibraryError(str(meta_path), "needs id, title and version")
    schema = load_schema(directory / "parameters")
    clauses: dict[str, Clause] = {}
    for path in sorted((directory / "clauses").glob("*.clause")):
        clause = read_clause(path)
        clauses[clause.id] = clause
    if not clauses:
        raise LibraryError(str(directory / "clauses"), "no clause files (*.clause) found")
    types = load_types(directory, schema, title=str(meta["title"]), library_id=str(meta["id"]))
    schema.bind_types(types)
    library = Library(
        id=str(meta["id"]), title=str(meta["title"]), version=str(meta["version"]), schema=schema, clauses=clauses, directory=directory,
        wording=_wording(_texts(meta, meta_path, "wording"), meta_path),
        subjects=_texts(meta, meta_path, "subjects"),
        review_floors=_texts(meta, meta_path, "review_floors"),
        common_law_terms=[str(t) for t in meta.get("common_law_terms") or []],
        spelling=_spelling(directory / "spelling.yaml"),
        note_arrangements=_note_arrangements(meta.get("note_arrangements"), str(meta_path)),
        terms=load_terms(directory, schema, set(clauses)),
        types=types,
    )
    for kind in types.values():
        _wording(kind.wording, directory / "types" / f"{kind.id}.yaml")
    for clause in clauses.values():
        unknown = [t for t in clause.types or () if t != ALL and t not in types]
        if unknown:
            raise LibraryError(str(clause.path), f"types: {', '.join(map(repr, unknown))} is not an agreement type of the library ({', '.join(types)}, or {ALL})")
    for kind in types.values():
        _one_definition_each([c for c in clauses.values() if library.used_by(c, kind)])
    return library


def _one_definition_each(clauses: list[Clause]) -> None:
    """No term is defined unconditionally by two clauses that one agreement type uses."""
    terms: dict[str, Clause] = {}
    for clause in clauses:
        for d in clause.defines:
            if d.term in terms and d.when is None and _unconditional(terms[d.term], d.term):
                raise LibraryError(str(clause.path), f"term {d.term!r} is also defined in clause {terms[d.term].id!r}")
            terms.setdefault(d.term, clause)


def _texts(meta: dict[str, Any], where: Path, key: str) -> dict[str, str]:
    """The library's table ``key`` (``wording``, ``subjects``, ``review_floors``), over the bundled library's for
    anything it leaves out."""
    own = meta.get(key) or {}
    if not isinstance(own, dict) or not all(isinstance(v, str) for v in own.values()):
        raise LibraryError(str(where), f"'{key}' must map names to texts")
    bundled = resources.library_dir() / "library.yaml"
    base = {} if bundled.resolve() == where.resolve() else (yamlio.load_file(bundled).get(key) or {})
    return {**base, **{str(k): v for k, v in own.items()}}


def _wording(texts: dict[str, str], where: Path) -> dict[str, str]:
    """A library's or a type's ``wording``. Its texts are filled in with Python's ``str.format``, so a field
    may only name the value to fill in (``{date}``): a width, conversion, attribute or index
    (``{date:>999999999}``, ``{date.__class__}``) is refused here, before anything is formatted."""
    for key, text in texts.items():
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text) if name is not None]
        except ValueError as exc:
            raise LibraryError(str(where), f"wording.{key}: {exc} (write a literal brace as {{{{ or }}}})") from None
        for name, spec, conversion in fields:
            if not name.isidentifier() or spec or conversion:
                written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
                raise LibraryError(str(where), f"wording.{key}: {written} may only name the value to fill in, such as {{date}}")
    return texts


def _unconditional(clause: Clause, term: str) -> bool:
    return any(d.term == term and d.when is None for d in clause.defines) and clause.when in (None, "true", "True")


def _flag(header: dict[str, Any], key: str, where: str) -> bool:
    """A yes-or-no key of a clause's header (``form: true``); anything but true or false is refused."""
    value = header.get(key, False)
    if not isinstance(value, bool):
        raise LibraryError(where, f"{key}: {value!r} must be true or false")
    return value


def read_clause(path: Path) -> Clause:
    raw = path.read_bytes()
    where = str(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LibraryError(where, "not UTF-8 text") from None
    text = text.replace("\r\n", "\n")
    match = re.match(r"---\n(.*?)\n---\n?", text, re.S)
    if not match:
        raise LibraryError(where, "a clause file starts with a YAML header between '---' lines")
    header = yamlio.load_text(match.group(1), where)
    body_line = text[: match.end()].count("\n") + 1
    body = directives.expand(text[match.end():], where, body_line)
    if not isinstance(header, dict):
        raise LibraryError(where, "the header must be a mapping")
    unknown = set(header) - _HEADER_KEYS
    if unknown:
        raise LibraryError(where, f"unknown header key(s): {', '.join(sorted(unknown))}")
    for key in ("id", "title", "version", "part", "order"):
        if key not in header:
            raise LibraryError(where, f"the header needs '{key}'")
    cid = str(header["id"])
    if cid != path.stem or not _CLAUSE_ID.fullmatch(cid):
        raise LibraryError(where, f"id {cid!r} must equal the file name and use lower-case letters, digits and '-'")
    if header["part"] not in PARTS:
        raise LibraryError(where, f"part must be one of {', '.join(PARTS)}")
    positions = header.get("positions") or {}
    if positions and set(positions) != set(POSITIONS):
        raise LibraryError(where, f"positions needs a note for each of {', '.join(POSITIONS)}")
    if header.get("position") and not positions:
        raise LibraryError(where, "a clause with a 'position' topic needs 'positions' notes")
    overall = header.get("overall") or {}
    if overall and (not isinstance(overall, dict) or set(overall) != set(POSITIONS)):
        raise LibraryError(where, f"overall needs a note for each of {', '.join(POSITIONS)}")
    defines = []
    for term, value in (header.get("defines") or {}).items():
        if isinstance(value, dict):
            if "text" not in value:
                raise LibraryError(where, f"definition {term!r} needs 'text'")
            defines.append(Definition(str(term), str(value["text"]).strip(), _expr(value.get("when")), cid))
        else:
            defines.append(Definition(str(term), str(value).strip(), None, cid))
    return Clause(
        id=cid,
        title=str(header["title"]),
        version=str(header["version"]),
        part=str(header["part"]),
        order=int(header["order"]),
        body=body,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        when=_expr(header.get("when")),
        uses=[str(u) for u in header.get("uses") or []],
        position=header.get("position"),
        positions={str(k): str(v) for k, v in positions.items()},
        overall={str(k): str(v) for k, v in overall.items()},
        defines=defines,
        style=header.get("style"),
        toc=bool(header.get("toc", True)),
        form=_flag(header, "form", where),
        body_line=body_line,
        floors=_floors(header.get("floors"), where),
        position_when=_expr(header.get("position_when")),
        grants=_grants(header.get("grants"), where),
        types=_types(header.get("types"), where),
    )


def _types(raw: Any, where: str) -> tuple[str, ...] | None:
    """A clause's ``types``: a list of agreement type ids, or ``all``."""
    if raw is None:
        return None
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise LibraryError(where, f"types is a list of agreement type ids, or {ALL}")
    return tuple(names)


def _declarations(raw: Any, where: str, key: str, needed: tuple[str, ...], pattern_key: str) -> list[tuple[dict[str, Any], re.Pattern[str]]]:
    """A header list such as ``floors`` or ``grants``: mappings with the ``needed`` keys, one of
    which (``pattern_key``) is a regular expression, compiled here."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise LibraryError(where, f"{key} must be a list of {{{', '.join(needed)}}}")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not all(item.get(k) for k in needed):
            raise LibraryError(where, f"{key}[{i}] needs {', '.join(needed)}")
        try:
            out.append((item, re.compile(str(item[pattern_key]))))
        except re.error as exc:
            raise LibraryError(where, f"{key}[{i}] ({item['id']}): {pattern_key} is not a valid regular expression: {exc}") from None
    return out


def _rule(item: dict[str, Any]) -> str:
    return " ".join(str(item["rule"]).split())


def _grants(raw: Any, where: str) -> list[Grant]:
    declared = _declarations(raw, where, "grants", ("id", "position", "rule", "forbids"), "forbids")
    for i, (item, _) in enumerate(declared):
        if item["position"] not in POSITIONS:
            raise LibraryError(where, f"grants[{i}] ({item['id']}): position must be one of {', '.join(POSITIONS)}")
    return [Grant(str(item["id"]), str(item["position"]), _rule(item), pattern) for item, pattern in declared]


def _floors(raw: Any, where: str) -> list[Floor]:
    declared = _declarations(raw, where, "floors", ("id", "rule", "requires"), "requires")
    return [Floor(str(item["id"]), _rule(item), pattern, _expr(item.get("when"))) for item, pattern in declared]


def _note_arrangements(raw: Any, where: str) -> list[NoteArrangement]:
    declared = _declarations(raw, where, "note_arrangements", ("id", "what", "note", "draft"), "note")
    out = []
    for i, (item, note) in enumerate(declared):
        draft, denied = (_pattern(item.get(key), where, f"note_arrangements[{i}] ({item['id']}): {key}") for key in ("draft", "denied"))
        assert draft is not None  # a needed key
        out.append(NoteArrangement(str(item["id"]), " ".join(str(item["what"]).split()), note, draft, denied))
    return out


def _pattern(value: Any, where: str, what: str) -> re.Pattern[str] | None:
    """An optional regular expression of a header list, compiled (None when not given)."""
    if value is None:
        return None
    try:
        return re.compile(str(value))
    except re.error as exc:
        raise LibraryError(where, f"{what} is not a valid regular expression: {exc}") from None


def _expr(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
