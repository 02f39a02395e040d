"""Convert documents to PDF through a running LibreOffice, one request per line of stdin.

Run by ``ooxml.pdf`` under a Python that has LibreOffice's ``uno`` module (often not the one
clausewright runs in), so it imports nothing of clausewright. Argument: the UNO connection string
of the LibreOffice to use. Prints ``{"ready": true}`` once connected, then for each request
``{"docx": path, "pdf": path}`` one reply ``{"ok": true}`` or ``{"ok": false, "error": "..."}``.
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

CONNECT_SECONDS = 60


def _property(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(connection):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:{connection};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _convert(desktop, docx, pdf):
    options = (_property("Hidden", True),)  # not ReadOnly: its info bar needs a window LibreOffice without a GUI lacks
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0, options)
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        document.storeToURL(uno.systemPathToFileUrl(pdf), (_property("FilterName", "writer_pdf_Export"),))
    finally:
        document.close(True)


def main():
    connection = sys.argv[1]
    desktop = _connect(connection)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            try:
                _convert(desktop, request["docx"], request["pdf"])
            except Exception as exc:  # LibreOffice restarts itself once after making a new profile
                if "Disposed" not in type(exc).__name__ and "disposed" not in str(getattr(exc, "Message", "")):
                    raise
                desktop = _connect(connection)
                _convert(desktop, request["docx"], request["pdf"])
            reply = {"ok": True}
        except Exception as exc:
            reply = {"ok": False, "error": str(getattr(exc, "Message", "") or exc)}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
