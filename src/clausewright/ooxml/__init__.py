"""Stage 3: everything that touches Office Open XML lives in this package, and only here.

    namespaces      the namespace table and the one XML parser
    xml             WordprocessingML fragments as text: runs, fields, bookmarks, tables, comments
    writer          the composed agreement (assembly.model) written as WordprocessingML
    template        the master template: checked, compiled once, rendered with the body spliced in
    document        one agreement's DOCX: writer + template + cover/signatures + package
    package         finishing the package: fixed timestamps, core and custom properties, comments
    styles          the style ids the writer and the template share
    house_template  builds the bundled master template (scripts/build_master_template.py)
    contract        what any house template must keep: styles, tags, numbering formats
    reader          reads a generated DOCX back (numbers, references, comments, clause texts)
                    and checks its structure; used by diff, QA and the tests
    memo            writes the drafting memo that qa/memo.py composes
"""
