"""`assess scan files`: certificates and private keys in files, folders and Kubernetes secrets.

- :mod:`~assess.evidence.filescan.scanner`: the collector (:class:`FileScanner`).
- :mod:`~assess.evidence.filescan.walk`: the folder walk and the reading of one file (regular
  files only, no pseudo-filesystem unless named); :mod:`~assess.evidence.filescan.deadline`:
  reads given up when late; :mod:`~assess.evidence.filescan.pool`: the worker processes the
  files are parsed in.
- :mod:`~assess.evidence.filescan.content`: which reader a file's content goes to;
  :mod:`~assess.evidence.filescan.formats`: the readers of PEM, DER, PKCS#7, PKCS#12 and Java
  keystores; :mod:`~assess.evidence.filescan.pkcs12`: PKCS#12, the work it asks for counted
  first; :mod:`~assess.evidence.filescan.kubernetes`: Kubernetes secrets.
- :mod:`~assess.evidence.filescan.pem`: the PEM tokenizer; :mod:`~assess.support.der`:
  DER lengths; :mod:`~assess.evidence.filescan.keystore`: the JKS and JCEKS reader;
  :mod:`~assess.evidence.filescan.keys`: private keys described without being kept;
  :mod:`~assess.evidence.filescan.items`: the observations a scan yields, made alike.
"""
