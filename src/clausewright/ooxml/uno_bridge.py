"""Convert documents to PDF through a running LibreOffice, one request per line of stdin.

Run by ``ooxml.pdf`` under a Python that has LibreOffice's ``uno`` module (often not the one
clausewright runs in), so it imports nothing of clausewright. Argument: the UNO connection string
of the LibreOffice to use. Prints ``{"ready": true}`` once connected, then for each request
``{"docx": path, "pdf": path, "options": {name: [type, value]}}`` (the PDF export filter's
options) one reply ``{"ok": true}`` or ``{"ok": false, "error": "..."}``. The reply goes out as
soon as the PDF is written; the document is closed after it, while the caller takes the PDF.
When stdin ends (the caller is done, or gone), it ends LibreOffice.
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


def _filter(options):
    """The store arguments of a PDF export with ``options`` ({name: [type, value]})."""
    arguments = [_property("FilterName", "writer_pdf_Export")]
    if options:
        data = tuple(_property(name, value) for name, (_, value) in options.items())
        arguments.append(_property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)))
    return tuple(arguments)


def _convert(desktop, request):
    """Load and export one document; returns it, still open."""
    options = (_property("Hidden", True),)  # not ReadOnly: its info bar needs a window LibreOffice without a GUI lacks
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(request["docx"]), "_blank", 0, options)
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(request["pdf"]), _filter(request.get("options"))))
    except Exception:
        _close(document)
        raise
    return document


def _close(document):
    try:
        document.close(True)
    except Exception:
        pass


def _disposed(exc):
    return "Disposed" in type(exc).__name__ or "disposed" in str(getattr(exc, "Message", ""))


def main():
    connection = sys.argv[1]
    desktop = _connect(connection)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        document = None
        try:
            try:
                document = _convert(desktop, request)
            except Exception as exc:  # LibreOffice restarts itself once after making a new profile
                if not _disposed(exc):
                    raise
                desktop = _connect(connection)
                document = _convert(desktop, request)
            reply = {"ok": True}
        except Exception as exc:
            reply = {"ok": False, "error": str(getattr(exc, "Message", "") or exc)}
        print(json.dumps(reply), flush=True)
        if document is not None:
            _close(document)
    try:
        desktop.terminate()
    except Exception:
        pass


if __name__ == "__main__":
    main()
