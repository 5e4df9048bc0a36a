"""Fuzzing of every parser, of `normalise` and of the HTML that reaches emails (see conftest.py to run it)."""
