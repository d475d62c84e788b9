"""Use cases of the core app, one module per mechanism."""
