"""The light markup of clause bodies."""

from __future__ import annotations

import pytest

from clausewright.assembly.markup import MarkupError, parse


def test_levels_anchors_and_continuation_text():
    paras = parse("+ {#a} First:\n++ one;\n++ two,\n= after the list.\n+ Second.", "c", [])
    assert [(p.kind, p.level, p.anchor) for p in paras] == [
        ("numbered", 1, "c.a"), ("numbered", 2, None), ("numbered", 2, None), ("text", 1, None), ("numbered", 1, None)]
    assert paras[3].inlines[0].text == "after the list."


def test_continuation_deeper_than_the_list_is_an_error():
    with pytest.raises(MarkupError, match="no numbered paragraph of that level"):
        parse("+ One.\n== too deep", "c", [])


def test_skipping_a_level_is_an_error():
    with pytest.raises(MarkupError, match=r"a \+\+ paragraph must follow a \+ paragraph"):
        parse("++ orphan", "c", [])


def test_literal_values_are_never_markup():
    values = ["+ [[Fake]] <<ref>> \"\"Def\"\" **b** [? p ?] | cell"]
    paras = parse("+ Name: \ufdd00\ufdd1.", "c", values)
    assert [(i.text, i.literal) for i in paras[0].inlines] == [("Name: ", False), (values[0], True), (".", False)]


def test_escapes_make_markup_characters_literal():
    paras = parse(r"Use \[\[ and \<\< and \*\* literally.", "c", [])
    assert paras[0].inlines[0].text == "Use [[ and << and ** literally."
