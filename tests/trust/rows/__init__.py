"""Rows of the authorization matrix, one module per area; each module exports ROWS (see README.md)."""
