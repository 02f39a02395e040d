"""The Office Open XML namespaces clausewright reads and writes, and the one XML parser it reads
them with (no entity resolution, no network, large documents allowed)."""

from __future__ import annotations

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP = {"w": W, "r": R}  # for find()/findall() paths such as "w:pPr/w:pStyle"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"  # a Word document, as served for download
DECLARATIONS = f'xmlns:w="{W}" xmlns:r="{R}"'  # for the root element of a part written as text

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML tag or attribute: ``w("p")`` is ``{...main}p``."""
    return f"{{{W}}}{tag}"
