"""Stage 2: composing the agreement as data (select, render fragments, number, resolve)."""
