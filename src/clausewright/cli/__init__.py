"""The command line: thin click commands over clausewright.pipeline."""
