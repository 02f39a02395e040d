"""Copies of the miniature library that the QA tests change, one file at a time."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from conftest import MINI

from clausewright import pipeline


@dataclass
class MiniCopy:
    root: Path

    @property
    def library(self) -> Path:
        return self.root / "library"

    @property
    def jurisdictions(self) -> Path:
        return self.root / "jurisdictions"

    @property
    def deal(self) -> Path:
        return self.root / "deal.yaml"

    def clause(self, cid: str) -> Path:
        return self.library / "clauses" / f"{cid}.clause"

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def append(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    def sources(self):
        return pipeline.load_sources(self.library, self.jurisdictions)


def mini_copy(tmp_path: Path) -> MiniCopy:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    return MiniCopy(root)


def tooling_optional(copy: MiniCopy) -> None:
    """Make the tooling schedule conditional on tooling.applies (default: false)."""
    copy.edit("library/clauses/schedule-tooling.clause", "order: 10\n", 'order: 10\nwhen: "deal.tooling.applies"\n')
