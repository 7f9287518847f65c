from .dat_state import DatState, DatStateJSON
