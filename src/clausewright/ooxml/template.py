"""The master template: read once, checked once, rendered once per document with docxtpl.

docxtpl re-reads, re-patches and re-compiles a template on every render. A ``MasterTemplate``
does that work once (``_Compiled``, a ``DocxTemplate`` subclass) and then, per document, only
renders the compiled Jinja templates and runs docxtpl's own post-processing, so the output is
byte for byte what a fresh ``DocxTemplate`` would produce.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from clausewright import cache, jinja, zipcheck
from clausewright.errors import TemplateError
from clausewright.ooxml import contract, styles
from clausewright.ooxml.languages import Languages, script_fonts
from clausewright.ooxml.namespaces import w
from clausewright.ooxml.package import MAX_PART_BYTES, MAX_PARTS

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
LIMITS = zipcheck.Limits(parts=MAX_PARTS, part_bytes=MAX_PART_BYTES, total_bytes=100 * 1024 * 1024)
THEME_PART = "word/theme/theme1.xml"  # where Word keeps a document's theme
REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml", "word/styles.xml", "word/numbering.xml")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_LISTING_CHARS = ("\t", "\a", "\n", "\f")  # what docxtpl's resolve_listing rewrites inside <w:t>
_PARAGRAPH_MARK = re.compile(r"<w:p([ >])")
# The compiled code of the template's parts, kept in the cache (cache.py): it depends on the
# patched XML (the key), on this module (the environment's settings) and on Jinja's version.
_bytecode = cache.Store("master-template", f"jinja2 {jinja2.__version__}", (__file__,))


class MasterTemplate:
    """A house template. Construct it once and render any number of documents from it (one at a
    time: a process renders its documents in turn; bulk runs use one process per worker)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.blob = _read(self.path)
        self.styles = _inspect(self.blob, self.path)
        missing = [f"{sid} ({kind})" for kind, ids in styles.REQUIRED_STYLES.items() for sid in ids if sid not in self.styles.get(kind, set())]
        if missing:
            raise TemplateError(f"{self.path}: the template lacks {len(missing)} required style(s): {', '.join(missing)}")
        unsupported = contract.numbering_problems(*_parts(self.blob, "word/styles.xml", "word/numbering.xml"))
        if unsupported:
            raise TemplateError(f"{self.path}: the template numbers clauses in a way clausewright cannot follow: " + "; ".join(unsupported)
                                + " (clausewright template check FILE lists every problem)")
        self.languages = Languages(script_fonts(_read_part(self.blob, THEME_PART)))
        self._env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
        self._compiled: _Compiled | None = None

    def render(self, context: dict[str, Any], *, schedule_count: int) -> bytes:
        """Render the template with ``context`` (trusted XML values are ``Markup``) into a DOCX."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.render_parts(context, schedule_count=schedule_count).items():
                z.writestr(name, data)
        return out.getvalue()

    def compile(self) -> _Compiled:
        """Open, patch and compile the template now (else on the first render)."""
        if self._compiled is None:
            with self._tags_checked():
                self._compiled = _Compiled(self.blob, self._env)
        return self._compiled

    @property
    def compiled(self) -> bool:
        """Whether the template has been compiled (``compile()``) in this process."""
        return self._compiled is not None

    def render_parts(self, context: dict[str, Any], *, schedule_count: int) -> dict[str, bytes]:
        """Render into the package's parts: {part name: bytes}, as docxtpl would save them."""
        compiled = self.compile()
        with self._tags_checked():
            return compiled.render_parts(context, schedule_count)

    @contextmanager
    def _tags_checked(self) -> Iterator[None]:
        """A tag that does not compile, or that clausewright does not fill (``{{ date_lin }}``),
        is a broken template, said as ``template check`` says it, with the tag it probably meant.
        The tags are checked only when compiling or rendering fails, so a good template costs nothing."""
        try:
            yield
        except (TemplateSyntaxError, UndefinedError) as exc:
            problems = contract.tag_problems(self.blob) or [f"a tag does not work: {exc}"]
            raise TemplateError(f"{self.path}: the template's tags are broken: " + "; ".join(problems)
                                + " (clausewright template check FILE lists every problem)") from None


class _Compiled(DocxTemplate):
    """The template opened, patched and compiled once; rendered any number of times.

    Per document it does what ``DocxTemplate.render`` followed by ``save`` does, in the same
    order and with docxtpl's own functions, minus the work whose result never changes: opening
    the package, serialising and patching each part's XML, compiling it with Jinja, and
    serialising the parts that are not rendered. ``render_properties`` is skipped because
    ``package.finish`` replaces the core properties it writes; ``resolve_listing`` is skipped
    when the rendered XML holds none of the characters it rewrites, where it changes nothing.
    A template with footnotes (which docxtpl renders in an unusual way) takes docxtpl's own path.

    The agreement's own XML (contents, front matter, articles, schedules: nearly all of the
    document) is not parsed and re-serialised with the rest. The template is rendered with a
    marker in place of each, the small result goes through docxtpl's steps, and each marker is
    then replaced by its XML, which ``xml.py`` writes exactly as lxml would serialise it (with
    ``{`` and ``}`` restored). Where that cannot give the same bytes (the marker is not a paragraph
    of the body, or the XML holds something docxtpl would rewrite), the whole document is rendered
    and re-serialised as docxtpl does.
    """

    def __init__(self, blob: bytes, env: SandboxedEnvironment):
        super().__init__(io.BytesIO(blob))
        self.blob = blob
        self.env = env
        docx = self.get_docx()
        docx.core_properties  # noqa: B018 - docxtpl's render creates this part when it is missing
        self.classic = any(part.content_type == _FOOTNOTES for part in docx.part.package.parts)
        if self.classic:
            return
        saved = io.BytesIO()
        docx.save(saved)
        with zipfile.ZipFile(saved) as z:
            self.static = {info.filename: z.read(info) for info in z.infolist()}
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            self.originals = {name: z.read(name) for name in z.namelist()}
        main = docx.part
        self.document_name = main.partname.lstrip("/")
        self.numbering_name = main.numbering_part.partname.lstrip("/")
        self.body = self._compile(self.get_xml())
        self.headers_footers = []  # (part name, encoding, compiled template), in docxtpl's order
        for uri in (self.HEADER_URI, self.FOOTER_URI):
            for _, part in self.get_headers_footers(uri):
                xml = self.get_part_xml(part)
                self.headers_footers.append((part.partname.lstrip("/"), self.get_headers_footers_encoding(xml), self._compile(xml)))
        self._numbering: dict[int, bytes] = {}

    def _compile(self, xml: str):
        source = _PARAGRAPH_MARK.sub(r"\n<w:p\1", self.patch_xml(xml))
        return jinja.from_cached_code(self.env, _bytecode, _bytecode.key(source), lambda: self.env.compile(source))

    def _finish_xml(self, template, context: dict[str, Any]) -> str:
        """docxtpl's ``render_xml_part``, after the compile."""
        xml = template.render(context)
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(ch in xml for ch in _LISTING_CHARS):
            xml = self.resolve_listing(xml)
        return xml

    def render_parts(self, context: dict[str, Any], schedule_count: int) -> dict[str, bytes]:
        if self.classic:
            return self._render_classic(context, schedule_count)
        parts = dict(self.static)
        spliced = {key: str(context[key]) for key in SPLICED if key in context}
        document = None
        if all(_spliceable(value) for value in spliced.values()):
            document = self._document_xml({**context, **{key: Markup(_marker(key)) for key in spliced}}, spliced)
        parts[self.document_name] = document if document is not None else self._whole_document_xml(context)
        for name, encoding, template in self.headers_footers:
            parts[name] = serialize_part_xml(parse_xml(self._finish_xml(template, context).encode(encoding)))
        parts[self.numbering_name] = self._numbering_xml(schedule_count)
        return parts

    def _whole_document_xml(self, context: dict[str, Any]) -> bytes:
        """word/document.xml rendered whole, exactly as docxtpl does."""
        out = self._document_xml(context, {})
        assert out is not None  # only a splice can fail
        return out

    def _document_xml(self, context: dict[str, Any], spliced: dict[str, str]) -> bytes | None:
        """word/document.xml, rendered and re-serialised as docxtpl does; with ``spliced``, each
        of those values is rendered as a marker and put in place of it afterwards (None when the
        markers are not where that gives the same bytes)."""
        self.docx_ids_index = 1000
        xml = self._finish_xml(self.body, context)
        if spliced and any(ch in xml for ch in _LISTING_CHARS):
            return None
        tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))  # as fix_tables parses it
        if spliced and not _markers_in_body(tree, spliced):
            return None
        if not _tables_need_no_fix(tree, xml):
            if spliced:
                return None
            tree = self.fix_tables(xml)
        self.fix_docpr_ids(tree)
        document = parse_xml(self.originals[self.document_name])
        document.replace(document.find(w("body")), tree)
        out = serialize_part_xml(document)
        for key, value in spliced.items():
            before, marker, after = out.partition(_marker(key).encode("utf-8"))
            if not marker:
                return None
            out = before + _as_serialised(value).encode("utf-8") + after
        return out

    def _numbering_xml(self, schedule_count: int) -> bytes:
        if schedule_count not in self._numbering:
            numbering = parse_xml(self.originals[self.numbering_name])
            _append_schedule_lists(numbering, schedule_count)
            self._numbering[schedule_count] = serialize_part_xml(numbering)
        return self._numbering[schedule_count]

    def _render_classic(self, context: dict[str, Any], schedule_count: int) -> dict[str, bytes]:
        tpl = DocxTemplate(io.BytesIO(self.blob))
        _append_schedule_lists(tpl.get_docx().part.numbering_part.element, schedule_count)
        tpl.render(context, jinja_env=self.env, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
        with zipfile.ZipFile(out) as z:
            return {info.filename: z.read(info) for info in z.infolist()}


SPLICED = ("toc", "front", "body", "schedules")  # context values written by ooxml.writer
_SPLICE_TARGET = "clausewright-splice"
# What docxtpl's post-processing would rewrite or renumber in rendered XML: then no splicing.
_NOT_SPLICEABLE = (*_LISTING_CHARS, "\r", "{", "}", "docPr", "gridSpan", "<?")


def _marker(key: str) -> str:
    return f"<?{_SPLICE_TARGET} {key}?>"


def _spliceable(value: str) -> bool:
    return not any(token in value for token in _NOT_SPLICEABLE)


def _markers_in_body(tree, spliced: dict[str, str]) -> bool:
    """Each marker once, as a child of the body (where a ``{{p ...}}`` tag puts paragraphs)."""
    found = [pi.text for pi in tree.iter(etree.ProcessingInstruction) if pi.target == _SPLICE_TARGET]
    if sorted(found) != sorted(spliced):
        return False
    return all(pi.getparent() is tree for pi in tree.iter(etree.ProcessingInstruction) if pi.target == _SPLICE_TARGET)


def _as_serialised(xml: str) -> str:
    """Writer XML as lxml serialises it once parsed: the escaped braces become braces again."""
    return xml.replace("&#123;", "{").replace("&#125;", "}") if "&#12" in xml else xml


def _tables_need_no_fix(tree, xml: str) -> bool:
    """True when docxtpl's ``fix_tables`` would leave every table as it is: without merged cells
    (``gridSpan``), when each table has as many grid columns as its widest row has cells."""
    if "gridSpan" in xml:
        return False
    tbl, tr, tc, grid, col = (w(tag) for tag in ("tbl", "tr", "tc", "tblGrid", "gridCol"))
    for table in tree.iter(tbl):
        tbl_grid = table.find(grid)
        if tbl_grid is None:
            return False
        widest = max((len(row.findall(tc)) for row in table.iter(tr)), default=0)
        if widest != len(tbl_grid.findall(col)):
            return False
    return True


def _append_schedule_lists(numbering, count: int) -> None:
    """One list instance per schedule, restarting its paragraph numbering at 1."""
    for index in range(count):
        num_id = styles.FIRST_SCHEDULE_NUM_ID + index
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{styles.ABSTRACT_SCHEDULE_PARAGRAPHS}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )


def check(path: Path) -> list[str]:
    """Every way the file breaks the house template contract (``contract.py``), at once; an
    empty list when it keeps it. A file that is not a usable Word package gives that one problem."""
    try:
        blob = _read(Path(path))
        found = _inspect(blob, Path(path))
    except TemplateError as exc:
        return [str(exc).removeprefix(f"{path}: ")]
    styles_xml, numbering_xml = _parts(blob, "word/styles.xml", "word/numbering.xml")
    return [*contract.style_problems(found, contract.style_names(styles_xml)), *contract.numbering_problems(styles_xml, numbering_xml),
            *contract.tag_problems(blob)]


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"{path}: template is {size:,} bytes; the limit is {MAX_TEMPLATE_BYTES:,}")
        return path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read the template: {exc.strerror or exc}") from None


def _parts(blob: bytes, *names: str) -> list[bytes]:
    """Parts of a package ``_inspect`` has checked."""
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return [z.read(name) for name in names]


def _inspect(blob: bytes, path: Path) -> dict[str, set[str]]:
    """Check the package is a sane DOCX and return its style IDs by type."""
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            infos = zipcheck.check_sizes(z, str(path), LIMITS, TemplateError)
            names = {i.filename for i in infos}
            missing = [n for n in REQUIRED_PARTS if n not in names]
            if missing:
                raise TemplateError(f"{path}: not a usable Word document: missing {', '.join(missing)}")
            for info in infos:  # each part read once here, so a lying or damaged part fails now
                data = zipcheck.read_part(z, info, str(path), TemplateError)
                if info.filename == "word/styles.xml":
                    styles_xml = data
    except zipfile.BadZipFile:
        raise TemplateError(f"{path}: not a DOCX file (it is not a zip package)") from None
    try:
        root = etree.fromstring(styles_xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{path}: word/styles.xml is not well-formed XML: {exc}") from None
    found: dict[str, set[str]] = {}
    for style in root.iter(w("style")):
        found.setdefault(style.get(w("type")), set()).add(style.get(w("styleId")))
    return found


def _read_part(blob: bytes, name: str) -> bytes | None:
    """One part of a package ``_inspect`` has checked, or None when it has none by that name."""
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return z.read(name) if name in z.namelist() else None


def markup(xml: str) -> Markup:
    return Markup(xml)  # noqa: S704 - built by clausewright.ooxml.xml, which escapes all text
