"""Scan evidence: collectors that write evidence bundles, and the metrics and rules that read them.

- :mod:`assess.evidence.interface`: the collector interface, the importer registry, the error base.
- :mod:`assess.evidence.tls`, :mod:`assess.evidence.filescan`: our own scanners.
- :mod:`assess.evidence.sslyze`, :mod:`~assess.evidence.testssl`, :mod:`~assess.evidence.crtsh`,
  :mod:`~assess.evidence.inventory`: third-party outputs and exports.
- :mod:`assess.evidence.bundles`: reading and (streamed) writing of bundle files.
- :mod:`assess.evidence.metrics`, :mod:`assess.evidence.rules`: metrics at the evaluation date and
  the questionnaire's evidence rules evaluated on them.
"""
