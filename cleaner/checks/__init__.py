"""Python entry points of rules whose logic does not fit a regex or a word list.

Each function is called as ``fn(text, ctx, rule)`` and yields findings made
with ``rule.finding(...)``; the rule's TOML file holds its metadata, docs and
examples.
"""
