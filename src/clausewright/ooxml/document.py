"""Build the agreement's DOCX: the composed agreement written as WordprocessingML, rendered once
into the master template with the cover, header and signature blocks, then packaged with its
comments and custom properties."""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict

from markupsafe import Markup

from clausewright.assembly.front_matter import Cover, SignatureBlock
from clausewright.assembly.model import Agreement
from clausewright.ooxml import comments, package, styles, writer
from clausewright.ooxml.comments import Author
from clausewright.ooxml.languages import Languages
from clausewright.ooxml.template import MasterTemplate, markup
from clausewright.ooxml.xml import inline_text, tagged_inline_text


def text(value: str, languages: Languages) -> Markup:
    """Plain text as a template value: escaped, with line breaks and tabs as Word's, and text in
    other scripts in runs with its language (the template's run formatting does not reach them)."""
    return markup("".join(tagged_inline_text(piece, fonts=tag.fonts, lang=tag.lang) if tag.lang else inline_text(piece) for piece, tag in languages.segments(str(value))))


def build(
    agreement: Agreement,
    template: MasterTemplate,
    *,
    cover: Cover,
    signatures: list[SignatureBlock],
    properties: dict[str, str],
    dated: _dt.date | None,
    author: Author,
    language: str,
    with_comments: bool = True,
    pages: dict[str, str] | None = None,
) -> bytes:
    """The DOCX. ``dated`` is the agreement's date (the comments' date unless
    ``SOURCE_DATE_EPOCH`` is set), ``author`` the comments' and the document's author, and
    ``language`` its BCP 47 tag for the core properties (en-GB). ``pages`` gives the page of each
    contents entry (``layout.contents_pages``): the contents is then complete and Word is not
    asked to update fields on opening; without it, the contents is marked for updating."""
    languages = template.languages
    parts = writer.write(agreement, comments=with_comments, languages=languages, pages=pages)
    context = {
        "title": text(cover.title, languages),
        "date_line": text(cover.date_line, languages),
        "buyer_name": text(cover.buyer_name, languages),
        "supplier_name": text(cover.supplier_name, languages),
        "cover_note": text(cover.note, languages),
        "header_text": text(cover.header, languages),
        "footer_text": text(cover.title, languages),
        "attestation": text(cover.attestation, languages),
        "toc": markup(parts.toc),
        "front": markup(parts.front),
        "body": markup(parts.body),
        "schedules": markup(parts.schedules),
        "signatories": [{key: value if isinstance(value, bool) else text(value, languages) for key, value in asdict(block).items()} for block in signatures],
    }
    rendered = template.render_parts(context, schedule_count=parts.schedule_count)
    if pages is not None and package.SETTINGS in rendered:
        rendered[package.SETTINGS] = package.without_update_fields(rendered[package.SETTINGS])
    extra = {}
    if parts.comments:
        written = comments.parts(parts.comments, author, package.comment_date(dated), styles.COMMENT_TEXT, styles.COMMENT_REFERENCE)
        extra = {name: (xml, *comments.PARTS[name]) for name, xml in written.items()}
    return package.finish_parts(
        rendered, title=agreement.title, author=author.name, language=language, template=template.path.name, properties=properties, extra_parts=extra
    )
