"""Stage 2: composing the agreement as data (select, render fragments, number, resolve).

    context       the Jinja context a clause sees (the deal, and the profiles of roles.py)
    compose       select clauses, render them, number paragraphs, resolve terms and references
    markup        the clause markup (levels, [[Term]], <<ref>>, [? placeholder ?]) as model objects
    model         the agreement as data: sections, paragraphs, inline pieces, comments
    kinds         the finding kinds compose raises (undefined term, missing reference, ...)
    notes         which counsel notes of the profiles in play reach the draft, and their wording
    front_matter  cover lines, header and signature blocks, as plain text from the library's wording
    render_cache  fragment renders remembered across documents by the values they read
"""
