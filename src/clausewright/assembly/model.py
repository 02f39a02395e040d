"""The assembled agreement as plain data: no XML here.

Inline pieces make up paragraphs; paragraphs make up clauses; the agreement lists its front
matter, numbered articles and schedules. The OOXML writer turns this into Word XML.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, field


@dataclass
class Text:
    text: str
    bold: bool = False
    literal: bool = False  # a value from the deal or a profile, printed exactly, never drafting


@dataclass
class TermUse:
    term: str
    display: str
    bold: bool = False


@dataclass
class TermDef:
    """A term defined in place: prints as “**Term**”."""

    term: str


@dataclass
class Ref:
    target: str  # global anchor id: clause id or clause-id.anchor
    text: str = ""  # the number, filled in when the agreement is numbered
    bookmark: str = ""
    bold: bool = False


@dataclass
class Placeholder:
    text: str


Inline = Text | TermUse | TermDef | Ref | Placeholder


def plain_text_of(items: list[Inline] | tuple[Inline, ...]) -> str:
    """What a reader sees of some inline pieces."""
    out = []
    for item in items:
        if isinstance(item, Text):
            out.append(item.text)
        elif isinstance(item, TermUse):
            out.append(item.display)
        elif isinstance(item, TermDef):
            out.append(f"“{item.term}”")
        elif isinstance(item, Ref):
            out.append(item.text)
        elif isinstance(item, Placeholder):
            out.append(f"[{item.text}]")
    return "".join(out)


@dataclass
class Paragraph:
    """One paragraph. ``kind`` says what it is:

    - ``heading``: an article heading (numbered "1") or a schedule heading ("Schedule 1")
    - ``numbered``: a numbered paragraph at ``level`` (1 = 1.1, 2 = (a), 3 = (i), 4 = (A))
    - ``text``: unnumbered text indented to ``level`` (0 = article level)
    - ``definition``: an entry of the definitions list
    - ``title``: a schedule's title line, or a front-matter heading
    - ``table``: a table; ``rows`` holds its cells
    """

    kind: str
    level: int = 0
    inlines: list[Inline] = field(default_factory=list)
    anchor: str | None = None  # global id when the paragraph can be referenced
    label: str = ""  # the number shown in the margin: "7.2", "(a)"
    ref_text: str = ""  # what a cross-reference to it prints: "7.2(a)"
    bookmark: str = ""
    rows: list[list[list[Inline]]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    line: int = 0  # line in the rendered fragment, for error messages

    def clone(self) -> Paragraph:
        """A copy that composition may change (numbers, bookmarks, comments, resolved
        references) without touching the original; unchanged pieces are shared. (A field-by-field
        copy: ``dataclasses.replace`` is several times slower, and every paragraph of every
        document is cloned.)"""
        new = object.__new__(Paragraph)
        new.__dict__.update(self.__dict__)
        new.inlines = [copy(i) if type(i) is Ref else i for i in self.inlines]
        new.rows = [[[copy(i) if type(i) is Ref else i for i in cell] for cell in row] for row in self.rows] if self.rows else []
        new.comments = []
        return new

    def all_inlines(self) -> list[Inline]:
        """Every inline piece: the paragraph's own, then each table cell's (to read, not to
        change: without a table this is the paragraph's own list)."""
        if not self.rows:
            return self.inlines
        return [*self.inlines, *(item for row in self.rows for cell in row for item in cell)]


@dataclass
class Comment:
    """A note anchored on a paragraph (a Word comment). Who signs the comments is one choice for
    the whole document (``--comment-author``), made when the document is written."""

    text: str


@dataclass
class Definition:
    term: str
    inlines: list[Inline]
    clause_id: str


@dataclass
class Section:
    """One assembled clause of the library: a front block, an article or a schedule."""

    clause_id: str
    version: str
    sha256: str
    part: str  # front | body | schedule
    title: str
    paragraphs: list[Paragraph]
    number: str = ""  # "7" for an article, "2" for Schedule 2, "" for front matter
    style: str | None = None  # front: parties | recitals
    position: str | None = None
    toc: bool = True
    form: bool = False  # a form completed later (clause ``form: true``): its blanks are the form's, not the agreement's
    rendered: str = ""  # the clause body as Jinja rendered it, markup still in place (floors are checked on it)


@dataclass
class Agreement:
    title: str
    front: list[Section]
    body: list[Section]
    schedules: list[Section]
    definitions: list[Definition]
    pruned_definitions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def sections(self):
        yield from self.front
        yield from self.body
        yield from self.schedules

    def paragraphs(self):
        for section in self.sections():
            yield from section.paragraphs
