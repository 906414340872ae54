"""mockpost inside a Python program or a test suite: `serving()` and the pytest plugin."""
