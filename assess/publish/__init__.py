"""Writes the deliverables: the report in every format, and the demo."""
