"""Jurisdiction profiles, arbitration institutions and seats (docs/library-format.md §6-7)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2.exceptions import TemplateSyntaxError

from clausewright import jinja, yamlio
from clausewright.errors import ClausewrightError, LibraryError
from clausewright.inputs.types import OtherNames
from clausewright.roles import NOTE_ROLES

# Keys every profile must have; rule checks, clauses and signature blocks read them.
PROFILE_KEYS = (
    "id", "name", "version", "last_reviewed", "country", "locale", "currency", "governing_law",
    "penalty", "non_compete", "arbitration", "courts", "formalities", "defaults", "notes",
)
DEFAULT_KEYS = ("governing_law", "institution", "seat", "language", "arbitrators")
OTHER_TYPES = "default"  # in a text given per agreement type: the text for the types it does not name


def for_type(text: Any, type_id: str) -> str:
    """A profile's text as a draft of type ``type_id`` reads it: the text itself, or, where the
    profile says per type what differs (``{supply: ..., services: ..., default: ...}``), the
    text for that type (else the default; none: empty)."""
    if isinstance(text, dict):
        text = text.get(type_id, text.get(OTHER_TYPES))
    return " ".join(str(text or "").split())


@dataclass(frozen=True)
class Profile:
    id: str
    version: str
    data: dict[str, Any]
    sha256: str
    path: Path

    @property
    def name(self) -> str:
        return str(self.data["name"])


@dataclass
class Jurisdictions:
    profiles: dict[str, Profile]
    institutions: dict[str, dict[str, Any]]
    seats: dict[str, dict[str, Any]]
    directory: Path
    # Profiles that cannot be used, by the id their file names, with what is wrong: a deal that
    # chooses one is refused with that error; the others never notice it.
    broken: dict[str, ClausewrightError] = field(default_factory=dict)

    def catalogues(self) -> dict[str, dict[str, str]]:
        """Choices for the schema's jurisdiction, institution and seat types (id -> label). A
        broken profile stays a choice, so a deal that names it hears what is wrong with it."""
        return {
            "jurisdiction": {pid: p.name for pid, p in sorted(self.profiles.items())} | {pid: pid for pid in sorted(self.broken)},
            "institution": {iid: str(i.get("name", iid)) for iid, i in self.institutions.items()},
            "seat": {sid: str(s.get("name", sid)) for sid, s in self.seats.items()},
        }

    def other_names(self) -> dict[str, OtherNames]:
        """The other names of the catalogues' entries (``aliases`` and ``suggest_for``)."""
        return {
            "jurisdiction": _other_names({pid: p.data for pid, p in self.profiles.items()}),
            "institution": _other_names(self.institutions),
            "seat": _other_names(self.seats),
        }

    @cached_property
    def fingerprint(self) -> str:
        """A digest of everything loaded: the profiles, institutions and seats."""
        content = {
            "profiles": sorted((pid, p.sha256) for pid, p in self.profiles.items()),
            "institutions": self.institutions,
            "seats": self.seats,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode("utf-8")).hexdigest()

    def profile(self, pid: str) -> Profile:
        self.refuse_broken(pid)
        try:
            return self.profiles[pid]
        except KeyError:
            raise LibraryError(str(self.directory), f"no jurisdiction profile {pid!r}") from None

    def refuse_broken(self, pid: object) -> None:
        """Raise what is wrong with profile ``pid`` when it is broken."""
        if isinstance(pid, str) and pid in self.broken:
            raise self.broken[pid]


def load_jurisdictions(directory: Path) -> Jurisdictions:
    directory = Path(directory)
    profiles_dir = directory / "profiles"
    if not profiles_dir.is_dir():
        raise LibraryError(str(directory), "expected a 'profiles' folder of <id>.yaml files")
    institutions = _mapping(directory / "institutions.yaml")
    seats = _mapping(directory / "seats.yaml")
    profiles: dict[str, Profile] = {}
    broken: dict[str, ClausewrightError] = {}
    for path in sorted(profiles_dir.glob("*.yaml")):
        try:
            profiles[path.stem] = _load_profile(path, institutions, seats)
        except (LibraryError, yamlio.LibraryYamlError) as exc:  # kept aside: only the deals that use it are refused
            broken[path.stem] = exc
    for pid, profile in list(profiles.items()):
        law = profile.data["defaults"]["governing_law"]
        if law not in profiles and law not in broken:
            broken[pid] = LibraryError(str(profile.path), f"defaults.governing_law {law!r} is not a profile")
            del profiles[pid]
    if not profiles:
        raise next(iter(broken.values()), LibraryError(str(profiles_dir), "no jurisdiction profiles found"))
    for where, entries in ((str(profiles_dir), {pid: p.data for pid, p in profiles.items()}), (str(directory / "institutions.yaml"), institutions), (str(directory / "seats.yaml"), seats)):
        _check_other_names(entries, where)
    return Jurisdictions(profiles=profiles, institutions=institutions, seats=seats, directory=directory, broken=broken)


def _load_profile(path: Path, institutions: dict, seats: dict) -> Profile:
    raw = path.read_bytes()
    data = yamlio.load_file(path)
    profile = _check_profile(data, path, institutions, seats)
    return Profile(id=profile.id, version=str(data["version"]), data=data, sha256=hashlib.sha256(raw).hexdigest(), path=path)


OTHER_NAMES = ("aliases", "suggest_for")  # accepted as the entry; only suggested for it


def _other_names(entries: dict[str, dict[str, Any]]) -> OtherNames:
    names: dict[str, dict[str, str]] = {key: {} for key in OTHER_NAMES}
    for eid, data in entries.items():
        for key in OTHER_NAMES:
            for name in data.get(key) or []:
                names[key][str(name).casefold()] = eid
    return OtherNames(aliases=names["aliases"], suggested=names["suggest_for"])


def _check_other_names(entries: dict[str, dict[str, Any]], where: str) -> None:
    """Each name is text and names one entry only, and none is another entry's id or name."""
    taken = {str(eid).casefold(): eid for eid in entries} | {str(data.get("name", eid)).casefold(): eid for eid, data in entries.items()}
    for eid, data in entries.items():
        for key in OTHER_NAMES:
            names = data.get(key)
            if names is None:
                continue
            if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
                raise LibraryError(f"{where}: {eid}", f"{key} must be a list of names, e.g. [Viet Nam]")
            for name in names:
                other = taken.setdefault(name.casefold(), eid)
                if other != eid:
                    raise LibraryError(f"{where}: {eid}", f"{key}: {name!r} also names {other!r}; a name may lead to one entry only")


def _mapping(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        raise LibraryError(str(path), "missing")
    data = yamlio.load_file(path)
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise LibraryError(str(path), "expected a mapping of id -> entry")
    return {str(k): v for k, v in data.items()}


_PARAGRAPH = re.compile(r"[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*")


def _check_note_applies(note: dict[str, Any], where: str) -> None:
    """A note's ``roles`` name roles that carry notes; its ``when`` compiles; its ``paragraph``, if
    any, is a paragraph of its own clause."""
    paragraph = note.get("paragraph")
    if paragraph is not None and (not isinstance(paragraph, str) or not _PARAGRAPH.fullmatch(paragraph) or paragraph.split(".")[0] != str(note.get("clause"))):
        raise LibraryError(where, f"paragraph must name the paragraph of its clause that the note speaks of, as {note.get('clause')}.<anchor> (got {paragraph!r})")
    roles = note.get("roles")
    if roles is not None:
        known = [role.id for role in NOTE_ROLES]
        if not isinstance(roles, list) or not roles or any(r not in known for r in roles):
            raise LibraryError(where, f"roles must list one or more of: {', '.join(known)} (got {roles!r})")
    when = note.get("when")
    if when is not None:
        if not isinstance(when, str) or not when.strip():
            raise LibraryError(where, "when must be a condition, e.g. \"deal.liquidated_damages.applies\"")
        try:
            jinja.compile_expression(when)
        except TemplateSyntaxError as exc:
            raise LibraryError(where, f"when {when!r} is not a valid condition: {exc.message}") from None


def _misplaced(data: dict[str, Any], key: str, path: Path) -> str:
    """Where a missing top-level key went, when it is in the file one level too deep (its block
    indented under the key above it): ``; non_compete is at line 68, indented under penalty ...``."""
    for parent, value in data.items():
        if isinstance(value, dict) and key in value:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
            line = next((n for n, text in enumerate(lines, start=1) if re.match(rf"\s+{re.escape(key)}\s*:", text)), None)
            at = f" at line {line}" if line else ""
            return (f"; {key} is{at}, indented under {parent} (so it reads as {parent}.{key}): "
                    f"move its block back to the left margin, level with {parent}")
    return ""


def _check_profile(data: Any, path: Path, institutions: dict, seats: dict) -> Profile:
    where = str(path)
    if not isinstance(data, dict):
        raise LibraryError(where, "a profile is a mapping")
    missing = [k for k in PROFILE_KEYS if k not in data]
    if missing:
        raise LibraryError(where, f"missing key(s): {', '.join(missing)}" + "".join(_misplaced(data, key, path) for key in missing))
    drafting = data.setdefault("drafting", {})  # the facts clauses read; a profile may have none
    if not isinstance(drafting, dict):
        raise LibraryError(where, "drafting must map fact names to values, e.g. drafting: {business_scope: true}")
    if str(data["id"]) != path.stem:
        raise LibraryError(where, f"id {data['id']!r} does not match the file name {path.stem!r}")
    defaults = data["defaults"]
    if not isinstance(defaults, dict) or any(k not in defaults for k in DEFAULT_KEYS):
        raise LibraryError(where, f"defaults needs {', '.join(DEFAULT_KEYS)}")
    if defaults["institution"] not in institutions:
        raise LibraryError(where, f"defaults.institution {defaults['institution']!r} is not in institutions.yaml")
    if defaults["seat"] not in seats:
        raise LibraryError(where, f"defaults.seat {defaults['seat']!r} is not in seats.yaml")
    for i, note in enumerate(data.get("notes") or []):
        for key in ("id", "clause", "text", "last_reviewed"):
            if key not in note:
                raise LibraryError(where, f"notes[{i}] needs '{key}'")
        _check_note_applies(note, f"{where}: notes[{i}] ({note['id']})")
    return Profile(id=str(data["id"]), version=str(data["version"]), data=data, sha256="", path=path)
