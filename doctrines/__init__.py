"""Bundled doctrine rule files (data): found with importlib.resources."""
