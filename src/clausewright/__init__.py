"""clausewright: assemble international supplier agreements as Word-native DOCX."""

# The one place the version is written: the package metadata reads it from here
# (pyproject.toml, [tool.hatch.version]), so importing clausewright needs no metadata lookup.
__version__ = "0.1.0"

__all__ = ["__version__"]
