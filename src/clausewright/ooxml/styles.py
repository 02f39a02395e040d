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

REQUIRED_STYLES = {
    "paragraph": [HEADING, *CLAUSE.values(), *BODY.values(), DEFINITION, FRONT_TITLE, FRONT_TEXT, PARTIES, RECITAL, SCHEDULE_HEADING, *SCHEDULE.values(), TABLE_TEXT, TOC1, COMMENT_TEXT],
    "character": [DEFINED_TERM, COMMENT_REFERENCE],
    "table": [TABLE],
}

# Numbering: the house template's numbering.xml defines these w:num ids.
NUM_CLAUSES = 1
NUM_PARTIES = 2
NUM_RECITALS = 3
NUM_SCHEDULES = 4
NUM_SCHEDULE_PARAGRAPHS = 5
ABSTRACT_SCHEDULE_PARAGRAPHS = 5  # each schedule gets its own w:num on this list, restarting at 1
FIRST_SCHEDULE_NUM_ID = 100
