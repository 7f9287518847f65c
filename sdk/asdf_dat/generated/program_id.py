"""The asdf_dat program id: `asdf_dat.programs.ASDF_DAT_PROGRAM_ID` (--program-id,
ASDF_DAT_PROGRAM_ID, Anchor.toml, else the built-in id). Written by scripts/gen_client.py."""

from asdf_dat.programs import ASDF_DAT_PROGRAM_ID as PROGRAM_ID

__all__ = ["PROGRAM_ID"]
