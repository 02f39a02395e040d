"""Bulk generation: one agreement per supplier row of a spreadsheet or list.

    layout      the columns of a bulk input, derived from the parameter schema
    reading     CSV, XLSX, YAML and JSON inputs, as rows of raw answers
    workbook    an XLSX input's sheet as Excel shows it (merged cells, number formats, formulas)
    spreadsheet the ready-to-fill input (``bulk template``)
    naming      output file names: patterns, safe names, collisions, no escape from --out
    manifest    manifest.jsonl, errors.csv and the hash of a row's inputs
    worker      what runs for one row, in a worker process that loads the sources once
    progress    a progress bar on a terminal, plain lines otherwise
    runner      plan every row, then write them: the ``bulk validate`` and ``bulk run`` logic

Every row goes through the same pipeline functions as ``clausewright generate``:
``validate_deal``, ``assemble``, ``build_docx`` and ``write_atomic``.
"""
