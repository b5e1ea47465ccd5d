"""What makes a report trustworthy: manifest, signing and verification, redaction."""
