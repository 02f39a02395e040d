"""Quality checks on a deal and its assembled agreement, and tools for reviewing lawyers.

    drafting       drafting QA of the assembled text (unmarked terms, placeholders, currency, names)
    rules          jurisdiction rule checks driven by the profiles
    review         every check on one deal (what generate, check, the wizard and bulk run)
    explain        why each clause is in or out, with the values that decided it
    library_check  the library and its profiles over every law x country x position combination
    library_drafting  library check rules on drafting: unmarked terms, uses: lists, bulk: row
    library_versions  library check rule on versions: a clause changed without a version bump
    affected       the generated drafts a clause or profile change, or a stale review date, concerns
    preview        one clause as it reads in a deal (clauses render)
    diff           clause-by-clause comparison of two agreements (read with ooxml.reader)
    memo           what the drafting memo says (written by ooxml.memo)
    terms          the key terms of an agreement with their clause numbers (docs/terms.md)

Finding kinds and the Jinja read analysis these checks share with the assembly stage live below
the stages, in ``clausewright.findings`` and ``clausewright.reads``.
"""
