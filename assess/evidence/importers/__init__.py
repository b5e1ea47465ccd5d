"""`assess evidence import`: third-party scanner output and inventory exports read as evidence.

- :mod:`~assess.evidence.importers.interface`: the import formats and the importer base class;
  :mod:`~assess.evidence.importers.registry`: each format mapped to its importer.
- One module per format: :mod:`~assess.evidence.importers.sslyze`,
  :mod:`~assess.evidence.importers.testssl`, :mod:`~assess.evidence.importers.crtsh`,
  :mod:`~assess.evidence.importers.inventory` (CSV).
- :mod:`~assess.evidence.importers.reading`: what they share in reading tool output.
"""
