"""Forms of the ateliers app, one module per area."""
