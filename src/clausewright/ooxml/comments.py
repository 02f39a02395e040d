"""The comment parts: ``comments.xml`` and the parts Word 2016 and later keep beside it
(``commentsExtended.xml``: each comment open, not resolved; ``commentsIds.xml``: durable ids;
``people.xml``: the author).

Every comment carries the configured author, initials and one date, so the same inputs give the
same bytes. Paragraph and durable ids are derived from the comment's number.
"""

from __future__ import annotations

from dataclasses import dataclass

from clausewright.ooxml.namespaces import W
from clausewright.ooxml.xml import attr, rpr, run

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_DECLARATIONS = f'xmlns:mc="{MC}" xmlns:w="{W}" xmlns:w14="{W14}" xmlns:w15="{W15}" xmlns:w16cid="{W16CID}" mc:Ignorable="w14 w15 w16cid"'
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

# part name in word/ -> (content type, relationship type, relationship id)
PARTS = {
    "comments.xml": (_CT + "comments+xml", _REL + "comments", "rIdComments"),
    "commentsExtended.xml": (_CT + "commentsExtended+xml", "http://schemas.microsoft.com/office/2011/relationships/commentsExtended", "rIdCommentsExtended"),
    "commentsIds.xml": (_CT + "commentsIds+xml", "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds", "rIdCommentsIds"),
    "people.xml": (_CT + "people+xml", "http://schemas.microsoft.com/office/2011/relationships/people", "rIdPeople"),
}


@dataclass(frozen=True)
class Author:
    """Who the comments are by, as Word shows it in each comment's balloon."""

    name: str
    initials: str = ""

    @property
    def shown_initials(self) -> str:
        return self.initials or initials_of(self.name)


def initials_of(name: str) -> str:
    """The first letter of each word, up to four: "Knowledge Management Team" gives "KMT"."""
    return "".join(word[0] for word in name.split() if word[:1].isalnum())[:4].upper()


def _para_id(cid: int) -> str:
    # w14:paraId values are below 0x80000000; an offset keeps them clear of 0
    return f"{0x10000000 + cid:08X}"


def _durable_id(cid: int) -> str:
    return f"{0x20000000 + cid:08X}"


def parts(texts: list[str], author: Author, date: str, text_style: str, reference_style: str) -> dict[str, str]:
    """The four parts (by name under ``word/``) for the comments ``texts``, numbered from 0 as
    the document's ``commentReference`` elements number them."""
    name, initials = attr(author.name), attr(author.shown_initials)
    comments = "".join(
        f'<w:comment w:id="{cid}" w:author="{name}" w:date="{date}" w:initials="{initials}">'
        f'<w:p w14:paraId="{_para_id(cid)}" w14:textId="{_para_id(cid)}"><w:pPr><w:pStyle w:val="{text_style}"/></w:pPr>'
        f"<w:r>{rpr(style=reference_style)}<w:annotationRef/></w:r>{run(text)}</w:p></w:comment>"
        for cid, text in enumerate(texts)
    )
    extended = "".join(f'<w15:commentEx w15:paraId="{_para_id(cid)}" w15:done="0"/>' for cid in range(len(texts)))
    ids = "".join(f'<w16cid:commentId w16cid:paraId="{_para_id(cid)}" w16cid:durableId="{_durable_id(cid)}"/>' for cid in range(len(texts)))
    person = f'<w15:person w15:author="{name}"><w15:presenceInfo w15:providerId="None" w15:userId="{name}"/></w15:person>'
    return {
        "comments.xml": f"{_XML}<w:comments {_DECLARATIONS}>{comments}</w:comments>",
        "commentsExtended.xml": f"{_XML}<w15:commentsEx {_DECLARATIONS}>{extended}</w15:commentsEx>",
        "commentsIds.xml": f"{_XML}<w16cid:commentsIds {_DECLARATIONS}>{ids}</w16cid:commentsIds>",
        "people.xml": f"{_XML}<w15:people {_DECLARATIONS}>{person}</w15:people>",
    }
