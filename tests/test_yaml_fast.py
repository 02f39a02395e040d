"""libyaml's parser reads what it may (``yamlio._fast_loader``) exactly as the pure-Python
loaders do: the same data, the same refusals in the same words."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clausewright import yamlio

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("clause_library/**/*.yaml"), *ROOT.glob("jurisdictions/**/*.yaml"), *ROOT.glob("samples/**/*.yaml")])

pytestmark = pytest.mark.skipif(not yamlio._FAST, reason="PyYAML without libyaml")


@pytest.mark.parametrize("loader", [yamlio.DataLoader, yamlio.AnswersLoader], ids=["data", "answers"])
def test_every_bundled_file_reads_the_same_through_libyaml(loader):
    fast_read = 0
    for path in FILES:
        text = path.read_text(encoding="utf-8-sig")
        fast = yamlio._fast_loader(text, loader)
        if fast is None:
            continue
        fast_read += 1
        assert yaml.load(text, Loader=fast) == yaml.load(text, Loader=loader), path  # noqa: S506
    assert fast_read >= len(FILES) * 3 // 4  # most files take the fast way


@pytest.mark.parametrize(
    "text",
    ["a: &x 1\nb: *x\n", "- *x\n", "a: [&x 1, *x]\n", "{a: &x 1}\n", "&x a: 1\n"],
)
def test_anything_that_may_be_an_anchor_or_alias_goes_the_bounded_way(text):
    assert yamlio._fast_loader(text, yamlio.AnswersLoader) is None


@pytest.mark.parametrize("text", ["name: R&D Vietnam Co., Ltd.\n", "name: Smith & Co\nnote: 5 * 3\n"])
def test_an_ampersand_or_star_in_plain_text_still_takes_the_fast_way(text):
    assert yamlio._fast_loader(text, yamlio.AnswersLoader) is not None
    assert yamlio.load_text(text, answers=True) == yaml.load(text, Loader=yamlio.AnswersLoader)  # noqa: S506


@pytest.mark.parametrize(
    "text",
    [
        "supplier:\n  name: A\n  name: B\n",  # a duplicate key
        "supplier:\n  name: A\n address: B\n",  # a line that does not line up
        'supplier: "Acme\n',  # a quote never closed
        "supplier:\n\tname: A\n",  # a tab
        "? [a]\n: 1\n",  # a key that is not a plain value
    ],
)
def test_errors_read_through_libyaml_are_reported_in_the_pure_loaders_words(text):
    with pytest.raises(yamlio.YamlError) as fast:
        yamlio.load_text(text, "deal.yaml", answers=True)
    with pytest.raises(yaml.YAMLError) as slow:
        yaml.load(text, Loader=yamlio.AnswersLoader)  # noqa: S506
    assert str(fast.value) == yamlio.describe(slow.value, "deal.yaml")
