"""The audit trail, by format."""
