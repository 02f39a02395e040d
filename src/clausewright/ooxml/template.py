"""The master template: read once, checked once, rendered once per document with docxtpl."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from clausewright.errors import TemplateError
from clausewright.ooxml import styles as S
from clausewright.ooxml.package import MAX_PART_BYTES, MAX_PARTS

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml", "word/styles.xml", "word/numbering.xml")


class MasterTemplate:
    """A house template. Construct it once and render any number of documents from it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            size = self.path.stat().st_size
            if size > MAX_TEMPLATE_BYTES:
                raise TemplateError(f"{self.path}: template is {size:,} bytes; the limit is {MAX_TEMPLATE_BYTES:,}")
            self.blob = self.path.read_bytes()
        except OSError as exc:
            raise TemplateError(f"{self.path}: cannot read the template: {exc.strerror or exc}") from None
        self.styles = _inspect(self.blob, self.path)
        missing = [f"{sid} ({kind})" for kind, ids in S.REQUIRED_STYLES.items() for sid in ids if sid not in self.styles.get(kind, set())]
        if missing:
            raise TemplateError(f"{self.path}: the template lacks {len(missing)} required style(s): {', '.join(missing)}")
        self._env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)

    def render(self, context: dict[str, Any], *, schedule_count: int) -> bytes:
        """Render the template with ``context`` (trusted XML values are ``Markup``)."""
        tpl = DocxTemplate(io.BytesIO(self.blob))
        _add_schedule_lists(tpl, schedule_count)
        tpl.render(context, jinja_env=self._env, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()


def _add_schedule_lists(tpl: DocxTemplate, count: int) -> None:
    """One list instance per schedule, restarting its paragraph numbering at 1."""
    numbering = tpl.get_docx().part.numbering_part.element
    for index in range(count):
        num_id = S.FIRST_SCHEDULE_NUM_ID + index
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{S.ABSTRACT_SCHEDULE_PARAGRAPHS}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )


def _inspect(blob: bytes, path: Path) -> dict[str, set[str]]:
    """Check the package is a sane DOCX and return its style IDs by type."""
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            infos = z.infolist()
            if len(infos) > MAX_PARTS:
                raise TemplateError(f"{path}: {len(infos)} parts in the package; a template has far fewer")
            names = {i.filename for i in infos}
            for info in infos:
                if info.file_size > MAX_PART_BYTES:
                    raise TemplateError(f"{path}: part {info.filename} unpacks to {info.file_size:,} bytes; refusing it")
            missing = [n for n in REQUIRED_PARTS if n not in names]
            if missing:
                raise TemplateError(f"{path}: not a usable Word document: missing {', '.join(missing)}")
            styles_xml = z.read("word/styles.xml")
            z.read("word/document.xml")
    except zipfile.BadZipFile:
        raise TemplateError(f"{path}: not a DOCX file (it is not a zip package)") from None
    try:
        root = etree.fromstring(styles_xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{path}: word/styles.xml is not well-formed XML: {exc}") from None
    found: dict[str, set[str]] = {}
    for style in root.iter(f"{{{W_NS}}}style"):
        found.setdefault(style.get(f"{{{W_NS}}}type"), set()).add(style.get(f"{{{W_NS}}}styleId"))
    return found


def markup(xml: str) -> Markup:
    return Markup(xml)  # noqa: S704 - built by clausewright.ooxml.xml, which escapes all text
