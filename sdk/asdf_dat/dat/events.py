"""The program's events, decoded from `Program data:` log lines.

Anchor's `emit!` logs `Program data: base64(discriminator ‖ borsh fields)`. Only lines logged
while our program is the innermost running program count: a CPI'd program (pump, PumpSwap,
SPL Token) could log `Program data:` lines too, and a look-alike discriminator there must not be
taken for one of ours.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar, get_args

from solders.pubkey import Pubkey

from asdf_dat.generated import types as gen_types
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID

__all__ = [
    "EVENT_TYPES",
    "CycleCompleted",
    "CycleDeferred",
    "CycleFailed",
    "DatEvent",
    "DecodedEvent",
    "decode_event_data",
    "decode_events",
    "event_discriminator",
    "events_of_type",
]

DatEvent = (
    gen_types.AdminTransferCancelled
    | gen_types.AdminTransferProposed
    | gen_types.AdminTransferred
    | gen_types.CycleCompleted
    | gen_types.CycleDeferred
    | gen_types.CycleFailed
    | gen_types.DatInitialized
    | gen_types.FeeSharingEnabled
    | gen_types.FeeSplitCancelled
    | gen_types.FeeSplitProposed
    | gen_types.FeeSplitUpdated
    | gen_types.FeesCollected
    | gen_types.KeeperSet
    | gen_types.ParametersUpdated
    | gen_types.PendingFeesUpdated
    | gen_types.PermissionlessCyclesSet
    | gen_types.PriceReferenceRecorded
    | gen_types.RootTokenSet
    | gen_types.StatusChanged
    | gen_types.TokenPoolUpdated
    | gen_types.TokenRegistered
    | gen_types.WsolUnwrapped
    | gen_types.WsolWrapped
)

EVENT_TYPES: tuple[type[DatEvent], ...] = get_args(DatEvent)

# The event types read by applications (daemon, orchestrator, demo), so that they import `dat/`
# rather than the generated client.
CycleCompleted = gen_types.CycleCompleted
CycleDeferred = gen_types.CycleDeferred
CycleFailed = gen_types.CycleFailed

E = TypeVar("E", bound=DatEvent)


def event_discriminator(name: str) -> bytes:
    """Anchor's event discriminator: sha256("event:<Name>")[:8]."""
    return hashlib.sha256(f"event:{name}".encode()).digest()[:8]


_BY_DISCRIMINATOR: dict[bytes, type[DatEvent]] = {event_discriminator(t.__name__): t for t in EVENT_TYPES}


@dataclass(frozen=True)
class DecodedEvent:
    """One event: its name, its typed value (a generated class), and its place in the logs."""

    name: str
    data: DatEvent
    log_index: int


def decode_event_data(raw: bytes) -> DatEvent | None:
    """The event encoded in `raw` (discriminator ‖ borsh), None if it is not one of ours."""
    event_type = _BY_DISCRIMINATOR.get(raw[:8])
    if event_type is None:
        return None
    decoded: DatEvent = event_type.from_decoded(event_type.layout.parse(raw[8:]))
    return decoded


def _invoked(parts: list[str]) -> bool:
    return len(parts) >= 4 and parts[0] == "Program" and parts[2] == "invoke"


def _returned(parts: list[str]) -> bool:
    return len(parts) >= 3 and parts[0] == "Program" and parts[2] in ("success", "failed", "failed:")


def decode_events(logs: Iterable[str], *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> list[DecodedEvent]:
    """Every event our program logged, in order. Undecodable data lines are skipped."""
    ours = str(program_id)
    stack: list[str] = []
    events: list[DecodedEvent] = []
    for index, line in enumerate(logs):
        parts = line.split()
        if _invoked(parts):
            stack.append(parts[1])
        elif _returned(parts):
            if stack:
                stack.pop()
        elif line.startswith("Program data: ") and stack and stack[-1] == ours:
            payload = line[len("Program data: ") :].split()
            if not payload:
                continue
            try:
                raw = base64.b64decode(payload[0], validate=True)
                event = decode_event_data(raw)
            except Exception:  # noqa: BLE001 - corrupt or truncated data is not an event of ours
                continue
            if event is not None:
                events.append(DecodedEvent(type(event).__name__, event, index))
    return events


def events_of_type(events: Sequence[DecodedEvent], event_type: type[E]) -> list[E]:
    """The values of the events of one type, e.g. `events_of_type(evs, CycleCompleted)`."""
    return [e.data for e in events if isinstance(e.data, event_type)]
