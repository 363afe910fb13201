"""Domain and storage code shared by the Chalice API and the `portal` CLI."""

__version__ = "0.1.0"
