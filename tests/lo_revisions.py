"""Drive LibreOffice over UNO for the review tests (run by a Python that has ``uno``).

    python3 lo_revisions.py accept IN.docx OUT.docx    accept every tracked change
    python3 lo_revisions.py reject IN.docx OUT.docx    reject every tracked change
    python3 lo_revisions.py edit IN.docx OUT.docx EDITS.json   make edits with record-changes on

EDITS.json is a list of {"replace": OLD, "with": NEW} (first occurrence), {"delete_paragraph": TEXT}
(the first paragraph containing TEXT) and {"author": NAME} (who the following edits are by).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _office():
    work = tempfile.mkdtemp(prefix="lo-rev-")
    pipe = f"lo-rev-{uuid.uuid4().hex}"
    proc = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--invisible", "--norestore",
                             "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 90
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    smgr = ctx.ServiceManager
    return proc, smgr, ctx


def main():
    action, source, target = sys.argv[1:4]
    proc, smgr, ctx = _office()
    try:
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (_prop("Hidden", True),))
        if action in ("accept", "reject"):
            dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
            frame = doc.getCurrentController().getFrame()
            command = ".uno:AcceptAllTrackedChanges" if action == "accept" else ".uno:RejectAllTrackedChanges"
            dispatcher.executeDispatch(frame, command, "", 0, ())
        else:
            edits = json.load(open(sys.argv[4], encoding="utf-8"))
            doc.RecordChanges = True
            for edit in edits:
                if "author" in edit:
                    # the author LibreOffice records is the user's name in its profile
                    settings = smgr.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
                    node = settings.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                                (_prop("nodepath", "/org.openoffice.UserProfile/Data"),))
                    node.setPropertyValue("givenname", edit["author"])
                    node.setPropertyValue("sn", "")
                    node.commitChanges()
                elif "replace" in edit:
                    search = doc.createSearchDescriptor()
                    search.SearchString = edit["replace"]
                    search.SearchCaseSensitive = True
                    found = doc.findFirst(search)
                    if found is None:
                        raise SystemExit(f"not found: {edit['replace']!r}")
                    found.setString(edit["with"])
                elif "delete_paragraph" in edit:
                    search = doc.createSearchDescriptor()
                    search.SearchString = edit["delete_paragraph"]
                    found = doc.findFirst(search)
                    if found is None:
                        raise SystemExit(f"not found: {edit['delete_paragraph']!r}")
                    cursor = found.getText().createTextCursorByRange(found.getStart())
                    cursor.gotoStartOfParagraph(False)
                    cursor.gotoEndOfParagraph(True)
                    cursor.goRight(1, True)  # and its paragraph mark
                    cursor.setString("")
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)), (_prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
