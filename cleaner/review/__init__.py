"""Reviewing proposed changes: decisions store, change queue, terminal and HTML views."""
