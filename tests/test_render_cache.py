"""Remembered fragment renders (assembly/render_cache.py): a render is reused only when rendering again
would give the same text, whatever the fragment reads and however it reads it."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from qa_helpers import mini_copy, tooling_optional

from clausewright import pipeline
from clausewright.assembly import render_cache

BASE = {
    "agreement": {"date": "2026-12-01"},
    "buyer": {"name": "Acme", "signatory": {"name": "Ann"}},
    "supplier": {"name": "Sup Co", "address": "Hanoi", "country": "vietnam", "signatory": {"name": "Bob"}},
    "commercial": {"price": "1000"},
    "products": [{"name": "Widget", "price": "2.50"}],
}

# Each changes one thing a fragment can see, directly, through a filter, or through the clauses
# the deal includes.
VARIANTS = [
    {},
    {"supplier": {"name": "Other Co"}},
    {"commercial": {"currency": "EUR"}},  # read by `money` without being named
    {"commercial": {"price": "1000.50"}},
    {"confidentiality": {"years": "7"}},
    {"positions": {"overall": "buyer"}},
    {"positions": {"overall": "supplier", "confidentiality_duration": "balanced"}},
    {"tooling": {"applies": "yes"}},
    {"disputes": {"method": "courts"}},
    {"agreement": {"locale": "de_DE"}},
    {"supplier": {"country": "singapore"}},
    {"products": [{"name": "Gadget", "price": "3"}, {"name": "Widget", "price": "2.50"}]},
    {"supplier": {"signatory": {"name": "Bea", "title": "Director"}}},
    {},
]

# Ways a fragment can read the deal that a walk of its syntax tree sees only in part: each in a
# clause of its own, so that no other read widens its key.
TRICKY = {
    "alias": "{% set d = deal %}\n+ Alias: {{ d.supplier.name }}.\n",
    "method": "{% for key, value in deal.supplier.items() %}{% if key == 'signatory' %}\n+ Method: {{ value.name }}.\n{% endif %}{% endfor %}\n",
    "filters": "{% set names = deal.products | map(attribute='name') | list %}\n+ Products: {{ names | join_and }}.\n",
    "included": "{% if included('schedule-tooling') %}\n+ Tooling applies.\n{% else %}\n+ No tooling.\n{% endif %}\n",
    "dynamic": "{% for cid in ['schedule-tooling'] %}{% if included(cid) %}\n+ Dynamic inclusion.\n{% endif %}{% endfor %}\n+ Dynamic check.\n",
    "implicit": "+ Amount: {{ deal.commercial.price | money }}.\n",
}


def _merged(variant: dict) -> dict:
    out = copy.deepcopy(BASE)
    for key, value in variant.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
            if key == "supplier" and "signatory" in value:
                out[key]["signatory"] = value["signatory"]
        else:
            out[key] = value
    return out


@pytest.fixture
def tricky_sources(tmp_path):
    mini = mini_copy(tmp_path)
    tooling_optional(mini)  # the tooling schedule is in only when tooling.applies
    for order, (name, body) in enumerate(TRICKY.items(), start=30):
        header = f"---\nid: tricky-{name}\ntitle: Tricky {name}\nversion: 0.1.0\npart: body\norder: {order}\n---\n"
        (mini.library / "clauses" / f"tricky-{name}.clause").write_text(header + body, encoding="utf-8")
    return mini.sources()


def _docx(raw: dict, sources) -> bytes:
    return pipeline.draft(copy.deepcopy(raw), sources, allow=("ref-excluded",)).docx  # the mini definitions refer to the tooling schedule


def test_remembered_renders_give_the_documents_fresh_renders_give(tricky_sources, monkeypatch):
    """Deals that differ in one value each, generated in turn with the memory kept, are byte for
    byte the documents generated with the memory emptied first; and the memory was used."""
    from clausewright import jinja

    renders = []
    real = jinja.render_fragment
    monkeypatch.setattr(jinja, "render_fragment", lambda *args: renders.append(1) or real(*args))
    render_cache.clear()
    kept = [_docx(_merged(v), tricky_sources) for v in VARIANTS]
    kept_renders = len(renders)
    fresh = []
    for variant in VARIANTS:
        render_cache.clear()
        fresh.append(_docx(_merged(variant), tricky_sources))
    assert kept == fresh
    assert kept[0] == kept[-1] and len(set(kept)) == len(VARIANTS) - 1  # each change shows
    assert kept_renders < 0.6 * (len(renders) - kept_renders)  # most renders came from memory


def test_a_render_is_kept_when_its_key_comes_up_again():
    render_cache.clear()
    calls = []

    def render(text):
        return lambda: calls.append(text) or text

    for _ in range(3):
        assert render_cache.remembered("template", "{{ deal.a }}", (), {"a": "shared"}, frozenset(), render("shared")) == "shared"
    for n in range(5):
        assert render_cache.remembered("template", "{{ deal.a }}", (), {"a": f"row {n}"}, frozenset(), render(f"row {n}")) == f"row {n}"
    assert calls.count("shared") == 2  # seen, then kept, then taken from memory
    assert len(render_cache._renders) == 1  # a key seen once is not kept


def test_what_the_fragment_reads_shows_in_the_document(tricky_sources):
    from clausewright.ooxml import reader

    render_cache.clear()
    for name, signatory in (("First Co", "Ann Lee"), ("Second Co", "Bo Chen"), ("First Co", "Cy Diaz")):
        raw = _merged({"supplier": {"name": name, "signatory": {"name": signatory}}})
        text = reader.read(_docx(raw, tricky_sources)).text()
        assert f"Alias: {name}." in text and f"Method: {signatory}." in text


def test_frozen_values_tell_apart_values_that_print_differently():
    import datetime as dt

    frozen = render_cache._frozen
    assert frozen(1) != frozen(True) and frozen(0) != frozen(False) and frozen(1) != frozen(1.0)
    assert frozen(Decimal("1.0")) != frozen(Decimal("1.00"))
    assert frozen(dt.date(2026, 1, 1)) != frozen(dt.datetime(2026, 1, 1))
    assert frozen({"a": 1, "b": 2}) != frozen({"b": 2, "a": 1})  # order can show in a loop
    assert frozen(["x"]) == frozen(["x"]) and frozen(None) != frozen("None")


def test_reads_that_cannot_be_narrowed_key_on_everything():
    assert render_cache._make_plan("template", "{% set d = deal %}{{ d.x }}").deal_paths is None  # the alias reads all of it
    assert render_cache._make_plan("template", "{% set deal = law %}{{ deal.x }}").deal_paths is None  # `deal` rebound
    assert render_cache._make_plan("template", "{{ deal.supplier.name }}").deal_paths == (("commercial", "currency"), ("supplier", "name"))
    assert render_cache._make_plan("template", "{% for c in ['a'] %}{{ included(c) }}{% endfor %}").included is None
    assert render_cache._make_plan("template", "{{ included('a') }}").included == ("a",)
    values = {"supplier": {"name": "A", "items": "x"}}
    assert render_cache._at(values, ("supplier", "items")) == (1, render_cache._frozen(values["supplier"]))  # dict method: all of it
    assert render_cache._at(values, ("supplier", "fax")) == (1, render_cache._ABSENT)
    assert render_cache._at(values, ("supplier", "name")) == (2, "A")


def test_remembered_runs_give_the_documents_fresh_runs_give(tricky_sources, monkeypatch):
    """The OOXML writer's remembered runs (ooxml/writer.py ``_RUNS``): deals generated in turn
    with the memory kept are byte for byte the documents generated with it emptied first, and
    most paragraphs' runs came from memory."""
    from clausewright.ooxml import writer

    made = []
    real = writer._Writer._inlines
    monkeypatch.setattr(writer._Writer, "_inlines", lambda self, items: made.append(1) or real(self, items))
    writer._RUNS.clear()
    writer._SEEN.clear()
    kept = [_docx(_merged(v), tricky_sources) for v in VARIANTS]
    kept_made = len(made)
    fresh = []
    for variant in VARIANTS:
        writer._RUNS.clear()
        writer._SEEN.clear()
        fresh.append(_docx(_merged(variant), tricky_sources))
    assert kept == fresh
    assert kept[0] == kept[-1] and len(set(kept)) == len(VARIANTS) - 1
    assert kept_made < 0.4 * (len(made) - kept_made)  # most runs came from memory


def test_the_runs_memory_is_bounded(monkeypatch):
    from clausewright.assembly.model import Text
    from clausewright.ooxml import writer
    from clausewright.ooxml.languages import Languages

    monkeypatch.setattr(writer, "MAX_REMEMBERED_RUNS", 10)
    monkeypatch.setattr(writer, "MAX_SEEN_ONCE", 10)
    w = writer._Writer(True, Languages())
    for n in range(25):
        assert w.inlines([Text(f"once {n} & more")]) == w._inlines([Text(f"once {n} & more")])
        assert len(w.remembered) == 0 and len(w.seen_once) <= 10  # met once: not kept
    for n in range(25):
        for _ in range(2):
            assert w.inlines([Text(f"twice {n} & more")]) == w._inlines([Text(f"twice {n} & more")])
        assert 0 < len(w.remembered) <= 10
