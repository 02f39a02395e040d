"""Stage 1 of the pipeline: reading and validating what the user and the library provide."""
