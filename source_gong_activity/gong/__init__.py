"""What talking to Gong takes: the base stream, authentication, the error table, the limits, the one body decoder,
and the sync's one users lookup."""
