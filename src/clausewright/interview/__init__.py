"""The interview: what the terminal wizard and the web interview (``clausewright serve``) share.

``answers``: the lawyer's answers, evaluated after every change exactly as a deal file is (which
questions apply, their defaults, their problems, what a change made follow it); ``questions``:
how a question reads whatever asks it; ``session``: the autosaved answers of an unfinished
interview.
"""
