"""Agreement types: the documents one library drafts (``clause_library/types/*.yaml``).

A type names its document (the title printed on the cover and in the parties clause), the
parameter sections and parameters it asks, the defaults it gives shared parameters, the
wording and rule-check subjects where it differs from ``library.yaml``, the facts about the deal
it drafts that shared clauses read to choose their wording (``drafting:``, as a profile's), and
its own names for the defined terms and the cross-references of shared clauses (``terms:`` and
``references:``, assembly/term_names.py), and the words its key terms use for what it does not
define (``key_term_words:``, docs/terms.md). Clauses say which types
use them (their ``types:`` header); a deal chooses its type with ``agreement.type``. A library
without a ``types`` folder drafts one document, a type made from ``library.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausewright import yamlio
from clausewright.errors import LibraryError
from clausewright.inputs.schema import Parameter, Schema

FOLDER = "types"
TYPE_PARAMETER = "agreement.type"  # the parameter that chooses the type
ALL = "all"  # a clause's ``types: all``: every type of the library
PARTIES = ("Buyer", "Supplier")  # the deal's parties (buyer.*, supplier.*), as the default type's clauses name them
_ID = re.compile(r"[a-z][a-z0-9_]*")
_KEYS = {"id", "title", "label", "help", "order", "asks", "defaults", "wording", "subjects", "terms", "references", "drafting", "in_pack", "key_term_words"}


@dataclass(frozen=True)
class AgreementType:
    id: str
    title: str  # the document's title: the cover page, the parties clause, the key terms
    label: str  # how the wizard and the bulk help name the choice
    help: str = ""
    order: int = 100  # the library's first type (lowest order) is its default
    asks: frozenset[str] | None = None  # the parameter ids this type asks (None: every one)
    defaults: dict[str, Any] = field(default_factory=dict)  # parameter id -> this type's default
    wording: dict[str, str] = field(default_factory=dict)  # over library.yaml ``wording``
    subjects: dict[str, str] = field(default_factory=dict)  # over library.yaml ``subjects``
    terms: dict[str, str] = field(default_factory=dict)  # a shared clause's defined term -> its name in this type
    plurals: dict[str, str] = field(default_factory=dict)  # a renamed term's plural ("Orders") -> the new one ("Statements of Work")
    references: dict[str, str] = field(default_factory=dict)  # a shared clause's reference target -> this type's
    drafting: dict[str, Any] = field(default_factory=dict)  # facts shared clauses read (agreement_type.drafting.<fact>)
    in_pack: dict[str, Any] = field(default_factory=dict)  # answers it gives the other documents of a pack that ask them
    key_term_words: dict[str, str] = field(default_factory=dict)  # a term the key terms name that this type does not define -> its words

    def asks_parameter(self, pid: str) -> bool:
        return self.asks is None or pid in self.asks or pid == TYPE_PARAMETER

    def default_of(self, param: Parameter) -> Any:
        """The parameter's default in agreements of this type."""
        return self.defaults.get(param.id, param.default)

    def name_of(self, term: str) -> str:
        """What this type calls a defined term of the shared clauses (the services type's
        Buyer is the Customer)."""
        return self.terms.get(term, term)

    def party(self, role: str) -> str:
        """How a message names a party of this type in running text: ``party("buyer")`` is
        "customer" in a services agreement, "buyer" in the others."""
        return self.name_of(role.capitalize()).lower()

    @property
    def renamed_parties(self) -> dict[str, str]:
        """The parties this type calls otherwise than the default type (services: Buyer -> Customer)."""
        return {p: self.terms[p] for p in PARTIES if p in self.terms}


def load_types(directory: Path, schema: Schema, *, title: str, library_id: str) -> dict[str, AgreementType]:
    """The types of the library in ``directory``, default type first; without a ``types``
    folder, the one type ``library.yaml`` describes (it asks every parameter)."""
    folder = Path(directory) / FOLDER
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        return {library_id: AgreementType(id=library_id, title=title, label=title)}
    types = [_read(path, schema) for path in files]
    types.sort(key=lambda t: (t.order, t.id))
    return {t.id: t for t in types}


def _read(path: Path, schema: Schema) -> AgreementType:
    where = str(path)
    raw = yamlio.load_file(path)
    if not isinstance(raw, dict):
        raise LibraryError(where, "an agreement type is a mapping with id, title and asks")
    unknown = set(raw) - _KEYS
    if unknown:
        raise LibraryError(where, f"unknown key(s): {', '.join(sorted(unknown))}")
    for key in ("id", "title", "asks"):
        if not raw.get(key):
            raise LibraryError(where, f"an agreement type needs '{key}'")
    tid = str(raw["id"])
    if tid != path.stem or not _ID.fullmatch(tid) or tid == ALL:
        raise LibraryError(where, f"id {tid!r} must equal the file name and use lower-case letters, digits and '_' (and not be {ALL!r})")
    return AgreementType(
        id=tid,
        title=str(raw["title"]),
        label=str(raw.get("label") or raw["title"]),
        help=str(raw.get("help") or ""),
        order=int(raw.get("order", 100)),
        asks=_asks(raw["asks"], schema, where),
        defaults=_defaults(raw.get("defaults"), schema, where),
        wording=_texts(raw, "wording", where),
        subjects=_texts(raw, "subjects", where),
        **_terms(raw.get("terms"), where),
        references=_texts(raw, "references", where),
        drafting=_facts(raw.get("drafting"), where),
        in_pack=_defaults(raw.get("in_pack"), schema, where, key="in_pack"),
        key_term_words=_texts(raw, "key_term_words", where),
    )


def _asks(raw: Any, schema: Schema, where: str) -> frozenset[str]:
    """Section ids (every parameter of the section) and parameter ids."""
    if not isinstance(raw, list):
        raise LibraryError(where, "'asks' is a list of parameter section ids and parameter ids")
    sections = {s.id: [p.id for p in s.parameters] for s in schema.sections}
    asked: set[str] = set()
    for item in raw:
        name = str(item)
        if name in sections:
            asked.update(sections[name])
        elif name in schema:
            asked.add(name)
        else:
            close = schema.suggest(name)
            raise LibraryError(where, f"asks: {name!r} is neither a parameter section ({', '.join(sections)}) nor a parameter"
                               + (f"; did you mean {close}?" if close else ""))
    return frozenset(asked)


def _defaults(raw: Any, schema: Schema, where: str, *, key: str = "defaults") -> dict[str, Any]:
    """A map of parameter ids to values (``defaults``, ``in_pack``)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise LibraryError(where, f"'{key}' maps parameter ids to values")
    for pid in raw:
        if str(pid) not in schema:
            close = schema.suggest(str(pid))
            raise LibraryError(where, f"{key}: {pid!r} is not a parameter" + (f"; did you mean {close}?" if close else ""))
    return {str(k): v for k, v in raw.items()}


def _texts(raw: dict[str, Any], key: str, where: str) -> dict[str, str]:
    own = raw.get(key) or {}
    if not isinstance(own, dict) or not all(isinstance(v, str) for v in own.values()):
        raise LibraryError(where, f"'{key}' must map names to texts")
    return {str(k): v for k, v in own.items()}


def _terms(raw: Any, where: str) -> dict[str, dict[str, str]]:
    """``terms:`` maps a shared clause's term to its name in this type, or to ``{name, plural}``
    when the plural is not the name with an s (Order: Statement of Work, Statements of Work)."""
    terms: dict[str, str] = {}
    plurals: dict[str, str] = {}
    for old, new in (raw or {}).items() if isinstance(raw, dict) else ():
        if isinstance(new, dict) and isinstance(new.get("name"), str) and isinstance(new.get("plural"), str) and set(new) == {"name", "plural"}:
            terms[str(old)], plurals[f"{old}s"] = new["name"], new["plural"]
        elif isinstance(new, str):
            terms[str(old)] = new
        else:
            raise LibraryError(where, f"terms: {old!r} maps to a name, or to {{name: ..., plural: ...}}")
    if raw is not None and not isinstance(raw, dict):
        raise LibraryError(where, "'terms' must map terms to their names in this type")
    return {"terms": terms, "plurals": plurals}


def _facts(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, (str, bool, int)) for v in raw.values()):
        raise LibraryError(where, "'drafting' maps fact names to values (a word, a text, true or a number)")
    return {str(k): v for k, v in raw.items()}
