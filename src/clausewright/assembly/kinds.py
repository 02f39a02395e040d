"""The kinds of finding the assembly engine raises while resolving terms and references
(``compose.py``): a term used but never defined, a term defined twice, an unused definition it
pruned, an anchor used twice, and a reference to a clause or anchor that is not in the agreement.
"""

from __future__ import annotations

from clausewright.findings import kind

TERM_UNDEFINED = kind("term-undefined", "error", "a defined term is used ([[Term]]) but no clause in the agreement defines it", "drafting")
TERM_TWICE = kind("term-defined-twice", "error", "a term is defined more than once in the agreement", "drafting")
DEFINITION_UNUSED = kind("definition-unused", "info", "a definition is never used in this agreement, so it was left out of the definitions list", "drafting")
ANCHOR_TWICE = kind("anchor-duplicate", "error", "two paragraphs carry the same cross-reference anchor", "drafting")
REF_EXCLUDED = kind("ref-excluded", "error", "a cross-reference points to a clause whose condition left it out of this agreement", "drafting")
REF_MISSING = kind("ref-missing", "error", "a cross-reference points to a clause or anchor that does not exist in the library", "drafting")
