"""Linkers: document structure, tasks and subsidies built on top of the mentions."""
