"""Zip packages (DOCX templates, XLSX workbooks) opened without trusting them.

The sizes a package declares are checked against limits before anything is unpacked, and a part
is never read beyond its declared size: a part that holds more than its header says (a zip bomb)
or is damaged fails with its checksum, as a clear error rather than gigabytes of memory.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

# what unpacking a damaged or lying part raises (zipfile stops at the declared size and checks the CRC)
UNPACK_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)


@dataclass(frozen=True)
class Limits:
    parts: int  # entries in the package
    part_bytes: int  # one part, unpacked
    total_bytes: int  # all parts together, unpacked


def check_sizes(archive: zipfile.ZipFile, where: str, limits: Limits, error: Callable[[str], Exception]) -> list[zipfile.ZipInfo]:
    """The package's entries, once their count and declared unpacked sizes are within ``limits``."""
    infos = archive.infolist()
    if len(infos) > limits.parts:
        raise error(f"{where}: {len(infos):,} parts in the package; the limit is {limits.parts:,}")
    for info in infos:
        if info.file_size > limits.part_bytes:
            raise error(f"{where}: part {info.filename} unpacks to {info.file_size:,} bytes; the limit is {limits.part_bytes:,}")
    total = sum(info.file_size for info in infos)
    if total > limits.total_bytes:
        raise error(f"{where}: the package unpacks to {total:,} bytes; the limit is {limits.total_bytes:,}")
    return infos


def damaged(where: str, name: str, exc: BaseException) -> str:
    """The message for a part that failed while unpacking."""
    return f"{where}: part {name} is damaged or larger than its header says ({exc})"


def read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo | str, where: str, error: Callable[[str], Exception]) -> bytes:
    """One part, unpacked (at most its declared size, checksum verified)."""
    try:
        return archive.read(info)
    except UNPACK_ERRORS as exc:
        raise error(damaged(where, info if isinstance(info, str) else info.filename, exc)) from None
