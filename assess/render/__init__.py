"""Presenting a result: terminal text, HTML, PDF and exports."""
