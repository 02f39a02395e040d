"""The autosaved session of an interview: the answers so far and where the lawyer was.

Saved atomically after every answer, so Ctrl-C, a closed terminal or tab, a stopped server or
"quit" loses nothing; ``clausewright wizard --resume`` and ``clausewright serve`` read it back.
The wizard's session lives beside its output
(``.clausewright-session.<name>.yaml``), or in the current folder as ``.clausewright-session.yaml``
when no output was named, and is deleted once the agreement has been written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausewright import yamlio
from clausewright.errors import ClausewrightError
from clausewright.files import write_atomic

FORMAT = "clausewright wizard session 1"
HEADER = (
    "# Unfinished answers of a clausewright wizard session.\n"
    "# Continue with: clausewright wizard --resume{output} (and the same library options)\n"
)


def session_path(output: Path | None) -> Path:
    if output is None:
        return Path(".clausewright-session.yaml")
    output = Path(output)
    return output.parent / f".clausewright-session.{output.stem}.yaml"


@dataclass
class Session:
    path: Path
    output: Path | None = None
    answers: dict[str, Any] = field(default_factory=dict)  # nested, as typed (a deal file's form)
    done: list[str] = field(default_factory=list)  # steps completed
    history: list[str] = field(default_factory=list)  # steps asked, in order (for "back")
    kept: list[str] = field(default_factory=list)  # sections whose defaults the lawyer kept
    quick: bool = False  # quick mode: only the questions without a default are asked

    def save(self) -> None:
        data = {
            "format": FORMAT,
            "output": str(self.output) if self.output else None,
            "done": list(self.done),
            "history": list(self.history),
            "kept": list(self.kept),
            "quick": self.quick,
            "answers": self.answers,
        }
        hint = f" -o {self.output}" if self.output else ""
        text = HEADER.format(output=hint) + yamlio.dump(data)
        write_atomic(self.path, text.encode("utf-8"), force=True)

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> Session:
        if not path.is_file():
            raise ClausewrightError(f"no saved wizard session at {path}; start the wizard without --resume")
        data = yamlio.load_file(path, answers=True)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ClausewrightError(f"{path} is not a clausewright wizard session")
        answers = data.get("answers") or {}
        if not isinstance(answers, dict):
            raise ClausewrightError(f"{path}: the saved answers are not a mapping")
        output = data.get("output")
        return cls(
            path=path,
            output=Path(output) if output and output != "null" else None,
            answers=answers,
            done=[str(s) for s in data.get("done") or []],
            history=[str(s) for s in data.get("history") or []],
            kept=[str(s) for s in data.get("kept") or []],
            quick=str(data.get("quick")).lower() in ("true", "yes"),
        )
