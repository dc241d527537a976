"""What the Airbyte side needs: the record output, saved state and its shapes, and how a failure reads."""
