"""Turn an assembled ``Agreement`` into the WordprocessingML the master template receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from clausewright.assembly.model import (
    Agreement,
    Inline,
    Paragraph,
    Placeholder,
    Ref,
    Section,
    TermDef,
    TermUse,
    Text,
    plain_text_of,
)
from clausewright.ooxml import styles, xml
from clausewright.ooxml.languages import Languages

FIRST_BOOKMARK_ID = 1000
TEXT_WIDTH = 9026
OPEN_QUOTE, CLOSE_QUOTE = "\u201c", "\u201d"


@dataclass
class Parts:
    toc: str
    front: str
    body: str
    schedules: str
    comments: list[str] = field(default_factory=list)  # the text of each comment, by id
    schedule_count: int = 0


# The runs of a paragraph, remembered by what they print: most paragraphs are the same in every
# agreement a library drafts (bulk runs), so their XML is made once. Kept per ``Languages`` (the
# master template's script fonts), which the runs depend on. Only runs met a second time are kept
# (a paragraph with one supplier's name in it never comes again), so the memory stays flat over a
# run; it is emptied if it ever grows too large.
_RUNS: WeakKeyDictionary[Languages, dict[tuple, str]] = WeakKeyDictionary()
_SEEN: WeakKeyDictionary[Languages, set[int]] = WeakKeyDictionary()  # hashes of runs met once
MAX_REMEMBERED_RUNS = 20_000
MAX_SEEN_ONCE = 8_192


def _printed(items: list[Inline]) -> tuple | None:
    """What decides the runs of ``items``, as a key (None: a piece this does not know)."""
    key: list[tuple] = []
    piece: Any
    for piece in items:
        i, kind = piece, type(piece)
        if kind is Text:
            key.append((i.text, i.bold))
        elif kind is TermUse:
            key.append((1, i.display, i.bold))
        elif kind is Ref:
            key.append((2, i.bookmark, i.text, i.bold))
        elif kind is TermDef:
            key.append((3, i.term))
        elif kind is Placeholder:
            key.append((4, i.text))
        else:
            return None
    return tuple(key)


class _Writer:
    def __init__(self, comments: bool, languages: Languages):
        self.languages = languages
        self.bookmark_id = FIRST_BOOKMARK_ID
        self.with_comments = comments
        self.comments: list[str] = []
        self.remembered = _RUNS.setdefault(languages, {})
        self.seen_once = _SEEN.setdefault(languages, set())

    def inlines(self, items: list[Inline]) -> str:
        """The runs of some inline pieces (made once for the same pieces, see ``_RUNS``)."""
        key = _printed(items)
        if key is None:
            return self._inlines(items)
        runs = self.remembered.get(key)
        if runs is not None:
            return runs
        runs = self._inlines(items)
        digest = hash(key)
        if digest in self.seen_once:  # met before: keep it
            if len(self.remembered) >= MAX_REMEMBERED_RUNS:
                self.remembered.clear()
            self.remembered[key] = runs
        else:
            if len(self.seen_once) >= MAX_SEEN_ONCE:
                self.seen_once.clear()
            self.seen_once.add(digest)
        return runs

    def _inlines(self, items: list[Inline]) -> str:
        """The runs of some inline pieces. Neighbouring text in the same formatting (plain text,
        term uses, the quotes around a term defined in place) shares one run, as Word writes it."""
        out: list[str] = []
        needs_tag = self.languages.needs_tag
        pending: list[str] = []  # plain text waiting for its run
        pending_bold = False

        def text(value: str, bold: bool = False) -> None:
            nonlocal pending_bold
            if pending and bold != pending_bold:
                flush()
            pending.append(value)
            pending_bold = bold

        def flush() -> None:
            tagged("".join(pending), bold=pending_bold)
            pending.clear()

        def tagged(value: str, **props) -> None:
            if value.isascii() or not needs_tag(value):  # most runs
                out.append(xml.run(value, **props))
                return
            for piece, tag in self.languages.segments(value):
                out.append(xml.run(piece, fonts=tag.fonts, lang=tag.lang, **props))

        for item in items:
            if isinstance(item, Text):
                text(item.text, item.bold)
                continue
            if isinstance(item, TermUse):
                text(item.display, item.bold)
                continue
            if isinstance(item, TermDef):
                text(OPEN_QUOTE)
                flush()
                tagged(item.term, style=styles.DEFINED_TERM)
                text(CLOSE_QUOTE)
                continue
            if pending:
                flush()
            if isinstance(item, Ref) and not item.bookmark:  # unresolved, generated under --allow
                out.append(xml.run(item.text, bold=item.bold, highlight="yellow"))
            elif isinstance(item, Ref):
                out.append(xml.field(f"REF {item.bookmark} \\w \\h", item.text, bold=item.bold))
            elif isinstance(item, Placeholder):
                out.append(xml.run(f"[{item.text}]", highlight="yellow"))
        if pending:
            flush()
        return "".join(out)

    def content(self, p: Paragraph, *, in_contents: bool = False) -> str:
        """A paragraph's runs in its bookmark and comments; ``in_contents``: a heading the
        contents lists, which also carries the bookmark its contents entry points to."""
        runs = self.inlines(p.inlines)
        if in_contents:
            runs = xml.bookmark(self.bookmark_id, contents_bookmark(p.bookmark), runs)
            self.bookmark_id += 1
        if p.bookmark:
            runs = xml.bookmark(self.bookmark_id, p.bookmark, runs)
            self.bookmark_id += 1
        if self.with_comments:
            for comment in p.comments:
                cid = len(self.comments)
                self.comments.append(comment.text)
                runs = xml.comment_anchor(cid, runs, styles.COMMENT_REFERENCE)
        return runs

    def table(self, p: Paragraph, indent: int) -> str:
        rows = [[self.inlines(cell) for cell in row] for row in p.rows]
        widths = column_widths([[plain_text_of(cell) for cell in row] for row in p.rows], TEXT_WIDTH - indent)
        # An empty small paragraph after the table keeps the next paragraph off its bottom border.
        return xml.table(styles.TABLE, styles.TABLE_TEXT, rows, indent=indent, widths=widths) + xml.paragraph(styles.TABLE_TEXT, "")

    def front(self, section: Section) -> str:
        out = []
        numbered_style = styles.PARTIES if section.style == "parties" else styles.RECITAL
        for p in section.paragraphs:
            if p.kind == "title":
                out.append(xml.paragraph(styles.FRONT_TITLE, self.content(p)))
            elif p.kind == "numbered":
                out.append(xml.paragraph(numbered_style, self.content(p)))
            elif p.kind == "table":
                out.append(self.table(p, 0))
            else:
                out.append(xml.paragraph(styles.FRONT_TEXT if p.level == 0 else styles.BODY[p.level], self.content(p)))
        return "".join(out)

    def article(self, section: Section) -> str:
        out = []
        for p in section.paragraphs:
            if p.kind == "heading":
                out.append(xml.paragraph(styles.HEADING, self.content(p, in_contents=section.toc)))
            elif p.kind == "numbered":
                out.append(xml.paragraph(styles.CLAUSE[p.level], self.content(p)))
            elif p.kind == "definition":
                out.append(xml.paragraph(styles.DEFINITION, self.content(p)))
            elif p.kind == "table":
                out.append(self.table(p, 720 * max(p.level, 1)))
            else:
                out.append(xml.paragraph(styles.BODY[p.level], self.content(p)))
        return "".join(out)

    def schedule(self, section: Section, index: int) -> str:
        num_id = styles.FIRST_SCHEDULE_NUM_ID + index
        out = []
        for p in section.paragraphs:
            if p.kind == "heading":
                out.append(xml.paragraph(styles.SCHEDULE_HEADING, self.content(p, in_contents=section.toc)))
            elif p.kind == "numbered":
                out.append(xml.paragraph(styles.SCHEDULE[p.level], self.content(p), num=(num_id, p.level - 1)))
            elif p.kind == "definition":
                out.append(xml.paragraph(styles.DEFINITION, self.content(p)))
            elif p.kind == "table":
                out.append(self.table(p, 720 * max(p.level - 1, 1)))
            else:
                out.append(xml.paragraph(styles.BODY[max(p.level - 1, 0)], self.content(p)))
        return "".join(out)


# Table columns: each at least as wide as its longest word or number, the width left over shared
# by how much text each holds. A number (an amount such as "THB 3,200,000.00", a part number) or
# a word of the heading row must never break; where they do not all fit, the columns whose longest
# piece is another word give way (a word can still wrap at a hyphen), and only then the rest.
CELL_PADDING = 280  # twips: a cell's left and right margins (108 each) and some room to spare
MIN_COLUMN = 400
MAX_TEXT = 120  # characters of a cell that count towards its column's share


def _width(word: str) -> int:
    """A word's width in twips in the table text style (Arial 9 pt), erring on the wide side."""
    return sum(130 if c.isupper() else 60 if c in ".,;:'()-/" else 100 for c in word)


def column_widths(texts: list[list[str]], total: int) -> list[int]:
    """The widths of a table's columns (twips, adding up to ``total``) for the cells' ``texts``."""
    columns = max((len(row) for row in texts), default=1)
    if columns * MIN_COLUMN >= total:  # too many columns for any to be wider than the least
        return [max(total // columns, 1)] * columns
    floor = [MIN_COLUMN] * columns
    numeric = [False] * columns
    volume = [1] * columns
    for index, row in enumerate(texts):
        for c, text in enumerate(row):
            for word in text.split():
                need = _width(word) + CELL_PADDING
                if need > floor[c]:  # a heading's word holds like a number: it labels the column
                    floor[c], numeric[c] = need, index == 0 or any(ch.isdigit() for ch in word)
            volume[c] = max(volume[c], min(len(text), MAX_TEXT))
    over = sum(floor) - total
    if over > 0:  # the word columns give way first, down to MIN_COLUMN
        give = [floor[c] - MIN_COLUMN if not numeric[c] else 0 for c in range(columns)]
        if sum(give) < over:
            give = [f - MIN_COLUMN for f in floor]
        room = sum(give) or 1
        floor = [floor[c] - min(give[c], over * give[c] // room + 1) for c in range(columns)]
    spare = max(total - sum(floor), 0)
    share = sum(volume)
    widths = [floor[c] + spare * volume[c] // share for c in range(columns)]
    widths[-1] += total - sum(widths)
    return widths


def contents_bookmark(heading_bookmark: str) -> str:
    """The bookmark a contents entry points to (``_Toc...``, as Word names those), made from the
    heading's own cross-reference bookmark (``_Ref_...``): as unique, and as short."""
    return "_Toc" + heading_bookmark.removeprefix("_Ref")


def contents_entries(agreement: Agreement) -> list[tuple[str, str, str]]:
    """What the contents lists: (number, title, bookmark) of each article and schedule it names."""
    return [
        (section.paragraphs[0].label, section.title, contents_bookmark(section.paragraphs[0].bookmark))
        for section in [*agreement.body, *agreement.schedules]
        if section.toc
    ]


def toc(agreement: Agreement, pages: dict[str, str] | None = None) -> str:
    """The contents, as a TOC field with its entries cached.

    With ``pages`` ({contents bookmark: the page number printed on its heading's page}), each
    entry is complete, as Word writes it: a link to its heading, a dot leader (the toc 1 style's
    right tab) and a PAGEREF field holding the page number, so no update is needed. Without, the
    field is marked dirty, so Word rebuilds it with page numbers when fields are updated; the
    entries list every article and schedule without page numbers, which only a layout knows."""
    entries = []
    for label, title, bookmark in contents_entries(agreement):
        entry = xml.run(label) + xml.TAB + xml.run(title)
        if pages is not None:
            entry = xml.hyperlink(bookmark, entry + xml.TAB + xml.field(f"PAGEREF {bookmark} \\h", pages[bookmark]))
        entries.append(entry)
    if not entries:
        entries = [xml.run("")]
    entries[0] = xml.field_begin('TOC \\o "1-1" \\h \\z \\u', dirty=pages is None) + entries[0]
    entries[-1] += xml.FIELD_END
    return "".join(xml.paragraph(styles.TOC1, e) for e in entries)


def write(agreement: Agreement, *, comments: bool = True, languages: Languages | None = None, pages: dict[str, str] | None = None) -> Parts:
    """The agreement's parts; ``languages`` tags text in other scripts (none: no tags);
    ``pages`` numbers the contents (``toc``)."""
    w = _Writer(comments, languages or Languages())
    front = "".join(w.front(s) for s in agreement.front)
    body = "".join(w.article(s) for s in agreement.body)
    schedules = "".join(w.schedule(s, i) for i, s in enumerate(agreement.schedules))
    return Parts(toc=toc(agreement, pages), front=front, body=body, schedules=schedules, comments=w.comments, schedule_count=len(agreement.schedules))
