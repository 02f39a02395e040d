"""Directive lines of a clause body: the positions written as separate precedents, and conditions
on whole paragraphs, so the prose carries no logic (docs/library-format.md §3.2).

```
::position buyer        the text drafted at the buyer position, up to the next ::position or ::end
::position balanced
::position supplier     (or several sharing one text: ::position buyer, balanced)
::end
::when included('tooling')      the next paragraph (up to a blank line) only when this holds
```

A body is turned into the Jinja it stands for line for line (each directive line becomes one line
of tags), so a line of the Jinja is the same line of the file and errors keep their line numbers.
"""

from __future__ import annotations

import re

from clausewright.errors import LibraryError

POSITIONS = ("buyer", "balanced", "supplier")
_DIRECTIVE = re.compile(r"::(position|when|end)\b[ \t]*(.*?)[ \t]*$")
_CLOSE_WHEN_AT_BLANK = "{% endif +%}"  # keeps the blank line that ends the paragraph ("+%}": not trimmed)


def expand(body: str, where: str, first_line: int = 1) -> str:
    """The Jinja a body with directive lines stands for; ``where`` and ``first_line`` (the file
    line of the body's first line) name a bad directive."""
    lines = body.split("\n")
    out: list[str] = []
    group: list[str] | None = None  # the positions of the group of ::position blocks being read
    opened = 0  # the line of its last ::position
    when_open = False

    def fail(n: int, message: str) -> LibraryError:
        return LibraryError(f"{where}, line {first_line + n}", message)

    for n, line in enumerate(lines):
        match = _DIRECTIVE.fullmatch(line)
        if match is None:
            if when_open and not line.strip():
                out.append(_CLOSE_WHEN_AT_BLANK)
                when_open = False
            else:
                out.append(line)
            continue
        keyword, argument = match.groups()
        tags = "{% endif %}" if when_open else ""
        when_open = False
        if keyword == "when":
            if not argument:
                raise fail(n, "::when needs a condition, e.g. ::when included('tooling')")
            tags += "{% if " + argument + " %}"
            when_open = True
        elif keyword == "position":
            named = [p for p in re.split(r"[\s,]+", argument) if p]
            unknown = [p for p in named if p not in POSITIONS]
            if not named or unknown:
                raise fail(n, f"::position {argument!r}: name one or more of the positions {', '.join(POSITIONS)}")
            twice = [p for p in named if p in (group or []) or named.count(p) > 1]
            if twice:
                raise fail(n, f"::position {twice[0]} comes twice before ::end")
            test = f"position == '{named[0]}'" if len(named) == 1 else f"position in {tuple(named)!r}"
            tags += "{% " + ("el" if group else "") + f"if {test} %}}"
            group, opened = (group or []) + named, n
        else:  # end
            if argument:
                raise fail(n, f"::end takes nothing after it (found {argument!r})")
            if group is None:
                raise fail(n, "::end without a ::position before it")
            tags += "{% endif %}"
            group = None
        out.append(tags)
    if group is not None:
        raise fail(opened, f"::position {group[-1]} is not closed by ::end")
    if when_open:
        out[-1] += "{% endif %}"
    return "\n".join(out)
