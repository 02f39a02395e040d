"""What a generated document was made from, stamped into its custom properties (docs/qa.md).

``clausewright.tool_version``, ``clausewright.library`` (library id and version),
``clausewright.template_sha256``, ``clausewright.deal_sha256`` (the validated deal), one
``clausewright.profile.<role>`` per profile role in play (id, version, file hash), one
``clausewright.clause.<id>`` per clause (version, file hash, position) and one
``clausewright.bookmark.<id>`` per clause heading (where ``diff`` finds the clause).
"""

from __future__ import annotations

import hashlib

from clausewright import __version__
from clausewright.assembly.compose import Composition
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.library import Library
from clausewright.roles import ROLES


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
    for section in composition.agreement.sections():
        props[f"clausewright.clause.{section.clause_id}"] = f"{section.version} sha256:{section.sha256[:16]}" + (
            f" position:{section.position}" if section.position else ""
        )
    for section in composition.agreement.sections():
        # where each clause starts in the document: the bookmark on its heading (read by `diff`)
        if section.paragraphs and section.paragraphs[0].bookmark:
            props[f"clausewright.bookmark.{section.clause_id}"] = section.paragraphs[0].bookmark
    return props
