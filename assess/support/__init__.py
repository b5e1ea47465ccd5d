"""Foundations every layer may use: errors, atomic files, YAML, words, bundled data."""
