"""What a generated document was made from, stamped into its custom properties (docs/qa.md).

``clausewright.tool_version``, ``clausewright.library`` (library id and version),
``clausewright.template_sha256``, ``clausewright.deal_sha256`` (the validated deal),
``clausewright.supplier`` (the supplier's name, for ``affected``), one
``clausewright.profile.<role>`` per profile role in play (id, version, file hash), one
``clausewright.note.<profile>.<note id>`` per counsel note that reaches the draft (its review
date), one ``clausewright.clause.<id>`` per clause (version, file hash, position) and one
``clausewright.bookmark.<id>`` per clause heading (where ``diff`` finds the clause).
docs/library-format.md §10 says what each covers.
"""

from __future__ import annotations

import hashlib

from clausewright import __version__
from clausewright.assembly.compose import Composition
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.library import Library
from clausewright.roles import ROLES

MAX_PROPERTY_CHARS = 255  # what Word shows and keeps of a custom property's text


def provenance(composition: Composition, deal: Deal, library: Library, jurisdictions: Jurisdictions, template_blob: bytes) -> dict[str, str]:
    props = {
        "clausewright.tool_version": __version__,
        "clausewright.library": f"{library.id} {library.version}",
        "clausewright.template_sha256": hashlib.sha256(template_blob).hexdigest(),
        "clausewright.deal_sha256": deal.fingerprint(),
    }
    for role in ROLES:
        pid = deal.get(role.parameter)
        if role.provenance and pid in jurisdictions.profiles:
            p = jurisdictions.profiles[pid]
            props[f"clausewright.profile.{role.provenance}"] = f"{p.id} {p.version} sha256:{p.sha256[:16]}"
    supplier = deal.get("supplier.name")
    if isinstance(supplier, str) and supplier.strip():
        props["clausewright.supplier"] = supplier[:MAX_PROPERTY_CHARS]
    for note in composition.notes:
        props[f"clausewright.note.{note.profile.id}.{note.id}"] = f"reviewed {note.data.get('last_reviewed')}"
    for section in composition.agreement.sections():
        props[f"clausewright.clause.{section.clause_id}"] = f"{section.version} sha256:{section.sha256[:16]}" + (
            f" position:{section.position}" if section.position else ""
        )
    for section in composition.agreement.sections():
        # where each clause starts in the document: the bookmark on its heading (read by `diff`)
        if section.paragraphs and section.paragraphs[0].bookmark:
            props[f"clausewright.bookmark.{section.clause_id}"] = section.paragraphs[0].bookmark
    return props
