"""The workshop web app (``assess serve``): pages and a JSON API over one workspace.

The app writes answers and overrides only through :func:`assess.inputs.changes.apply_changes`,
scores through :mod:`assess.engine.score`, draws the report's charts and writes the report's
formats through :mod:`assess.publish.report`: the browser and the command line read and write
the same files the same way.
"""
