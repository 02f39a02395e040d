"""An answer the schema makes optional may be left blank: every sample of every type still drafts
with any one of its optional answers taken out (the clauses read an optional answer guarded,
`deal.x.get('y')` or `is defined`), or is refused as bad input naming the field, never with an
error in the library's own text."""

from __future__ import annotations

import copy

import pytest
from conftest import SAMPLES

from clausewright import pipeline
from clausewright.errors import InputError
from clausewright.findings import FindingsError
from clausewright.inputs.deal import flatten

SAMPLE_OF_TYPE = ["vietnam-supplier.yaml", "india-software-services.yaml", "shenzhen-nnn.yaml"]


def _without(raw: dict, pid: str) -> dict:
    out = copy.deepcopy(raw)
    node = out
    *parents, leaf = pid.split(".")
    for part in parents:
        node = node[part]
    del node[leaf]
    return out


@pytest.mark.parametrize("sample", SAMPLE_OF_TYPE)
def test_each_optional_answer_of_a_sample_may_be_left_out(bundled_sources, sample):
    raw = pipeline.read_answers(SAMPLES / sample)
    flat, _ = flatten(raw, bundled_sources.schema)
    optional = [pid for pid in flat if pid in bundled_sources.schema and not bundled_sources.schema[pid].required and "." in pid]
    assert len(optional) >= 10
    for pid in optional:
        try:
            _without(raw, pid)
        except (KeyError, TypeError):
            continue  # a list entry's field, not an answer of its own
        try:
            pipeline.draft(_without(raw, pid), bundled_sources)
        except (InputError, FindingsError):
            continue  # refused as input, or by a check: the user's to fix
