"""Progress of a bulk run on stderr: a rich progress bar on a terminal; otherwise (CI, a log file)
a plain line every ``every`` rows and at the end of each pass."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


class Progress:
    def __init__(self, *, enabled: bool = True, every: int = 100, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.every = max(1, every)
        self.terminal = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self._bar: Any = None  # a rich progress bar while one is shown
        self._task: Any = None

    def start(self, label: str, total: int | None) -> None:
        """``total`` None: not known in advance (rows are counted as they are read)."""
        self.label, self.total, self.done, self.started = label, total, 0, time.perf_counter()
        if not self.enabled or total == 0:
            return
        if self.terminal:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                console=Console(file=self.stream), transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(label, total=total)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled or self.total == 0:
            return
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)
        elif self.done // self.every > (self.done - count) // self.every and (self.total is None or self.done < self.total):
            self._line()

    def finish(self) -> None:
        if not self.enabled or self.total == 0:
            return
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        else:
            self._line()

    def _line(self) -> None:
        elapsed = time.perf_counter() - self.started
        rate = f", {self.done / elapsed:.1f}/s" if elapsed > 0 else ""
        of = f"/{self.total}" if self.total is not None else ""
        print(f"{self.label}: {self.done}{of} rows ({elapsed:.1f} s{rate})", file=self.stream, flush=True)
