"""Pure functions from Gong's JSON to records: one module per record kind, and what they share; no I/O."""
