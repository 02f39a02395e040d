"""Build the agreement's DOCX: the composed agreement written as WordprocessingML, rendered once
into the master template with the cover, header and signature blocks, then packaged with its
comments and custom properties."""

from __future__ import annotations

from dataclasses import asdict

from markupsafe import Markup

from clausewright.assembly.front_matter import Cover, SignatureBlock
from clausewright.assembly.model import Agreement
from clausewright.ooxml import package, styles, writer
from clausewright.ooxml.template import MasterTemplate, markup
from clausewright.ooxml.xml import comments_part, inline_text


def text(value: str) -> Markup:
    """Plain text as a template value: escaped, with line breaks and tabs as Word's."""
    return markup(inline_text(str(value)))


def build(
    agreement: Agreement,
    template: MasterTemplate,
    *,
    cover: Cover,
    signatures: list[SignatureBlock],
    properties: dict[str, str],
    created: str,
    comments: bool = True,
) -> bytes:
    parts = writer.write(agreement, comments=comments)
    context = {
        "title": text(cover.title),
        "date_line": text(cover.date_line),
        "buyer_name": text(cover.buyer_name),
        "supplier_name": text(cover.supplier_name),
        "cover_note": text(cover.note),
        "header_text": text(cover.header),
        "footer_text": text(cover.title),
        "attestation": text(cover.attestation),
        "toc": markup(parts.toc),
        "front": markup(parts.front),
        "body": markup(parts.body),
        "schedules": markup(parts.schedules),
        "signatories": [{key: value if isinstance(value, bool) else text(value) for key, value in asdict(block).items()} for block in signatures],
    }
    rendered = template.render_parts(context, schedule_count=parts.schedule_count)
    comments_xml = comments_part(parts.comments, styles.COMMENT_TEXT, styles.COMMENT_REFERENCE) if parts.comments else None
    return package.finish_parts(rendered, title=agreement.title, created=created, properties=properties, comments_xml=comments_xml)
