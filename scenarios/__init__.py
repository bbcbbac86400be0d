"""Bundled scenario files (data, not code): found with importlib.resources."""
