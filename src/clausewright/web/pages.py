"""The order of the interview's pages: a first page, then one page per section of the schema.

The first page asks the questions that decide everything else (``FIRST``, asked there when the
schema declares them; the agreement type is the first of them) and offers to load an answers
file; a section is a page when one of its questions applies as the answers stand.
"""

from __future__ import annotations

from dataclasses import dataclass

from clausewright.inputs.schema import Section
from clausewright.interview.answers import Answers

FIRST = ("agreement.type",)  # parameter ids asked on the first page, before the sections, when declared


@dataclass
class Page:
    id: str
    title: str
    problems: int  # answers of the page still to give or to correct


def first_questions(answers: Answers) -> list[str]:
    return [pid for pid in FIRST if pid in answers.schema]


def section_questions(answers: Answers, section: Section) -> list[str]:
    """The questions of ``section`` its page asks (every one, shown or hidden by its condition)."""
    return [p.id for p in section.parameters if p.id not in FIRST]


def sections(answers: Answers) -> list[Page]:
    first = set(FIRST)
    out = []
    for section in answers.schema.sections:
        asked = [pid for pid in answers.in_section(section) if pid not in first]
        if asked:
            out.append(Page(section.id, section.title, sum(1 for pid in asked if answers.problems(pid) and pid in answers.given)))
    return out


def neighbours(answers: Answers, section_id: str) -> tuple[str | None, str | None]:
    """The pages before and after ``section_id`` (None: the first page, or the review)."""
    ids = [p.id for p in sections(answers)]
    if section_id not in ids:
        return None, ids[0] if ids else None
    i = ids.index(section_id)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)
