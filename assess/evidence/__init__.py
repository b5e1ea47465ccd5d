"""Scan evidence: collectors that write evidence bundles, and the metrics and rules that read them.

- :mod:`assess.evidence.interface`: what a collector is, its error base, its sink and ticker;
  :mod:`assess.evidence.observations`: observations made alike by every collector.
- Our own scanners: :mod:`assess.evidence.tls` (TLS endpoints, named and matched in
  :mod:`assess.evidence.endpoints`) and :mod:`assess.evidence.filescan` (files, folders,
  keystores, Kubernetes secrets); :mod:`assess.evidence.certs`: a certificate as a record.
- :mod:`assess.evidence.importers`: third-party outputs and exports (sslyze, testssl.sh, crt.sh,
  inventory CSV), one module each, listed in :mod:`~assess.evidence.importers.registry`.
- :mod:`assess.evidence.bundles`: reading and (streamed) writing of bundle files.
- :mod:`assess.evidence.metrics`, :mod:`assess.evidence.rules`: metrics at the evaluation date and
  the questionnaire's evidence rules evaluated on them.
"""
