"""The one interview a server holds: the answers (autosaved after every change), what followed
the last edit made from the review, and the files made by the last generation."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausewright import pipeline
from clausewright.errors import Problem
from clausewright.interview.answers import Answers, Change
from clausewright.interview.session import Session

SESSION_FILE = ".clausewright-serve.yaml"  # in the folder the server was started in


@dataclass
class Download:
    name: str  # the file name offered to the browser
    data: bytes
    media_type: str


@dataclass
class Interview:
    sources: pipeline.Sources
    session: Session
    answers: Answers = field(init=False)
    followed: list[Change] = field(default_factory=list)  # what followed the last edit made from the review
    edit_base: tuple[dict[str, Any], dict[str, Any]] | None = None  # values and given answers when a section was opened from the review
    downloads: dict[str, Download] = field(default_factory=dict)  # by the key in its address
    notices: list[str] = field(default_factory=list)  # shown once, on the next page
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.answers, unknown = Answers.from_file_data(self.session.answers, self.sources.schema, self.sources.jurisdictions)
        self.notices += [f"Ignored {p.field} in the saved answers: {p.message}" for p in unknown]

    @classmethod
    def open(cls, sources: pipeline.Sources, path: Path) -> Interview:
        """The interview saved at ``path`` (autosaved by an earlier run), or a new one."""
        session = Session.load(path) if path.exists() else Session(path)
        return cls(sources, session)

    def save(self) -> None:
        self.session.answers = self.answers.tree()
        self.session.save()

    def restart(self, raw: dict[str, Any]) -> list[Problem]:
        """Start again from ``raw`` (a deal or answers file's contents; {} for nothing); returns
        its unknown fields. The files made before are dropped: they no longer match."""
        self.answers, unknown = Answers.from_file_data(raw, self.sources.schema, self.sources.jurisdictions)
        self.followed, self.edit_base, self.downloads = [], None, {}
        self.save()
        return unknown
