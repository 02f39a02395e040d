"""What a reader reads about one draft besides its clauses, and whether it speaks of that draft in
the draft's own words.

Besides the agreement itself, a lawyer reads the counsel notes on it (comments, memo, explain),
its parties' countries' notes on the formalities (the memo) and the rule checks' messages (check,
the memo, a bulk run's warnings). All of it is written once, in the default type's words, for
every type of agreement; a draft of another type must still read as itself:

- no profile text names another kind of agreement ("None identified for a supply agreement" in
  the memo of a services agreement): a profile says per type what differs (docs/library-format.md §6);
- no text names a party by a name the draft does not use (the buyer, in a services agreement
  whose parties are the Customer and the Supplier).

``library check`` runs this over its whole matrix (docs/qa.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clausewright.assembly.compose import Composition
from clausewright.assembly.front_matter import FORMALITIES
from clausewright.assembly.notes import profiles_in_play
from clausewright.assembly.term_names import profile_words
from clausewright.inputs.agreement_types import AgreementType
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.library import Library
from clausewright.qa import rules


@dataclass(frozen=True)
class Text:
    source: str  # where it comes from: "india profile, note in-trade-secrets", "rule stamp-duty"
    text: str
    clause: str | None = None  # the clause it is about, if any
    profile: bool = True  # a profile's text (a rule's message is the library's own)


def texts_about(deal: Deal, jurisdictions: Jurisdictions, composition: Composition) -> list[Text]:
    """What a reader reads about this draft outside its clauses, as the draft's type reads it: the
    counsel notes on it, the formalities of every profile in play (the memo gives the parties',
    the stamp-duty check the governing law's too) and the rule checks' messages."""
    kind = composition.kind
    assert kind is not None  # compose() records the type drafted
    out = [Text(f"{n.profile.id} profile, note {n.id}", n.text(kind), n.clause) for n in composition.notes]
    for profile, _ in profiles_in_play(deal, jurisdictions):
        entries = profile.data.get("formalities") or {}
        out += [Text(f"{profile.id} profile, formalities.{key}.note", profile_words((entries.get(key) or {}).get("note"), kind)) for key, _ in FORMALITIES]
    out += [Text(f"rule {f.id}", f.message, f.clause, profile=False) for f in rules.check(deal, jurisdictions, composition)]
    return out


def other_agreements(texts: list[Text], library: Library, kind: AgreementType) -> list[tuple[Text, str]]:
    """Each profile text that names another type of the library's agreements ("a supply
    agreement", "NNN contracts") in a draft of type ``kind``: (the text, the words). (A rule may
    name another type: "use a services agreement" is advice, not a description of the draft.)"""
    others = [t for t in library.types if t != kind.id]
    if not others:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in others) + r")\s+(?:agreement|contract)s?\b", re.I)
    return [(t, m.group(0)) for t in texts if t.profile for m in pattern.finditer(t.text)]


def other_party_names(texts: list[Text], kind: AgreementType) -> list[tuple[Text, str]]:
    """Each text that names a party by the default type's name where ``kind`` calls it otherwise
    (the buyer, in a services agreement): (the text, the word)."""
    if not kind.renamed_parties:
        return []
    words = [w for old in kind.renamed_parties for w in (old, old.lower())]
    pattern = re.compile(r"(?<![\w.])(" + "|".join(words) + r")s?(?!\w|\.\w)")
    return [(t, m.group(0)) for t in texts for m in pattern.finditer(t.text)]
