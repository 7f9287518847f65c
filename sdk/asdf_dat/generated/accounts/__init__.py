from .dat_state import DatState, DatStateJSON
from .token_stats import TokenStats, TokenStatsJSON
