"""Browser UI (Solara). Built in a later issue; it only calls the engine API."""
