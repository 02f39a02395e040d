"""Stage 3: everything that touches Office Open XML lives in this package, and only here."""
