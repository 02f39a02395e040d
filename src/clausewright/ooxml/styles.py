"""Style and numbering identifiers shared by the house template and the document writer.

A house template (``--template``) must define every style in ``REQUIRED_STYLES``; the clause
numbering comes from its styles, which are linked to one multi-level list.
"""

from __future__ import annotations

# Paragraph styles by the role they play. Values are style IDs (not display names).
HEADING = "Heading1"  # article heading, list level 0
CLAUSE = {1: "Clause2", 2: "Clause3", 3: "Clause4", 4: "Clause5"}  # numbered levels below it
BODY = {0: "Body1", 1: "Body2", 2: "Body3", 3: "Body4", 4: "Body5"}  # unnumbered text per indent
DEFINITION = "Definition"
FRONT_TITLE = "FrontTitle"
FRONT_TEXT = "FrontText"
PARTIES = "Parties"
RECITAL = "Recital"
SCHEDULE_HEADING = "ScheduleHeading"
SCHEDULE = {1: "Schedule1", 2: "Schedule2", 3: "Schedule3", 4: "Schedule4"}
TABLE_TEXT = "TableText"
TOC1 = "TOC1"
COMMENT_TEXT = "CommentText"

DEFINED_TERM = "DefinedTerm"  # character style
COMMENT_REFERENCE = "CommentReference"  # character style
TABLE = "ClauseTable"  # table style

# The drafting memo's blocks (ooxml/memo.py), in the template's required styles.
# A memo block uses the style in MEMO_PREFERRED when the template has it (the bundled one does).
MEMO_PREFERRED = {"title": "AgreementTitle"}
MEMO = {"title": FRONT_TITLE, "heading": FRONT_TITLE, "subheading": FRONT_TEXT, "paragraph": FRONT_TEXT, "note": FRONT_TEXT, "bullet": BODY[1], "table": TABLE}

REQUIRED_STYLES = {
    "paragraph": [HEADING, *CLAUSE.values(), *BODY.values(), DEFINITION, FRONT_TITLE, FRONT_TEXT, PARTIES, RECITAL, SCHEDULE_HEADING, *SCHEDULE.values(), TABLE_TEXT, TOC1, COMMENT_TEXT],
    "character": [DEFINED_TERM, COMMENT_REFERENCE],
    "table": [TABLE],
}

# The names Word shows for the required styles (a style is found by its ID; Word makes the ID
# from the name when a style is created, e.g. "toc 1" -> TOC1, "annotation text" -> CommentText).
NAMES = {
    HEADING: "heading 1",
    **{sid: f"Clause {level + 1}" for level, sid in CLAUSE.items()},
    **{sid: f"Body {level + 1}" for level, sid in BODY.items()},
    DEFINITION: "Definition",
    FRONT_TITLE: "Front Title",
    FRONT_TEXT: "Front Text",
    PARTIES: "Parties",
    RECITAL: "Recital",
    SCHEDULE_HEADING: "Schedule Heading",
    **{sid: f"Schedule {level}" for level, sid in SCHEDULE.items()},
    TABLE_TEXT: "Table Text",
    TOC1: "toc 1",
    COMMENT_TEXT: "annotation text",
    DEFINED_TERM: "Defined Term",
    COMMENT_REFERENCE: "annotation reference",
    TABLE: "Clause Table",
}

# Numbering: the house template's numbering.xml defines these w:num ids.
NUM_CLAUSES = 1
NUM_PARTIES = 2
NUM_RECITALS = 3
NUM_SCHEDULES = 4
NUM_SCHEDULE_PARAGRAPHS = 5
ABSTRACT_SCHEDULE_PARAGRAPHS = 5  # each schedule gets its own w:num on this list, restarting at 1
FIRST_SCHEDULE_NUM_ID = 100
