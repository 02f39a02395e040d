"""Quality checks: drafting QA and jurisdiction rule checks on an assembled agreement, ``explain``,
the library check for maintainers, clause-by-clause diff and the drafting memo."""
