"""cmmm-assess: assess certificate-management maturity and write the audit report."""

__version__ = "0.1.0"
