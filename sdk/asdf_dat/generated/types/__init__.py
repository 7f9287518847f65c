import typing
from . import dat_state
from .dat_state import DatState, DatStateJSON
