"""asdf-dat: Python SDK for the asdf-dat buyback-and-burn program."""

__version__ = "0.1.0"
