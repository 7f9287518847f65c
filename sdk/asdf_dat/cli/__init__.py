"""The `asdf-dat` command line, one module per command group (`cli/app.py` lists them)."""

from asdf_dat.cli.app import app

__all__ = ["app"]
