"""Compute units per program, from a transaction's logs.

The runtime logs `Program X invoke [d]` when an invocation starts, `Program X consumed N of M
compute units` when a BPF program returns (N includes everything its CPIs consumed) and
`Program X success` / `failed`. Builtins (System, ComputeBudget) log no `consumed` line; they
cost a fixed amount each (`BUILTIN_CU`, measured by `calibrate_builtin_cu`).

A program's *own* work is N minus what its direct children consumed. The cost of making a CPI
(the invoke syscall, account serialization) is charged to the caller while it runs, so it is
part of the caller's own work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, PUMP_AMM_PROGRAM_ID, PUMP_PROGRAM_ID
from asdf_dat.pump.addresses import ASSOCIATED_TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID

SYSTEM_PROGRAM = "11111111111111111111111111111111"
COMPUTE_BUDGET_PROGRAM = "ComputeBudget111111111111111111111111111111"

BUILTIN_CU = 150
"""CU of one builtin invocation (System, ComputeBudget) in this runtime."""

OURS = "asdf_dat (ours)"
PUMP = "pump curve"
AMM = "PumpSwap"
SPL = "SPL Token"
T22 = "Token-2022"
ATA = "ATA program"
SYSTEM = "System (builtin)"
BUDGET = "ComputeBudget (builtin)"
OTHER = "other"

CATEGORIES: tuple[str, ...] = (OURS, PUMP, AMM, SPL, T22, ATA, SYSTEM, BUDGET, OTHER)
POOL_CATEGORIES: tuple[str, ...] = (PUMP, AMM)
TOKEN_CATEGORIES: tuple[str, ...] = (SPL, T22, ATA)

_NAMES: dict[str, str] = {
    str(ASDF_DAT_PROGRAM_ID): OURS,
    str(PUMP_PROGRAM_ID): PUMP,
    str(PUMP_AMM_PROGRAM_ID): AMM,
    str(TOKEN_PROGRAM_ID): SPL,
    str(TOKEN_2022_PROGRAM_ID): T22,
    str(ASSOCIATED_TOKEN_PROGRAM_ID): ATA,
    SYSTEM_PROGRAM: SYSTEM,
    COMPUTE_BUDGET_PROGRAM: BUDGET,
}
_BUILTINS = {SYSTEM_PROGRAM, COMPUTE_BUDGET_PROGRAM}


def category(program_id: str) -> str:
    return _NAMES.get(program_id, OTHER)


@dataclass
class _Frame:
    program: str
    consumed: int | None = None
    children: int = 0


@dataclass
class CuBreakdown:
    """Own compute units per program category for one transaction (or a sum of several)."""

    own: dict[str, int] = field(default_factory=dict)
    invocations: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.own.values())

    def get(self, name: str) -> int:
        return self.own.get(name, 0)

    @property
    def ours(self) -> int:
        return self.get(OURS)

    @property
    def pool(self) -> int:
        return sum(self.get(c) for c in POOL_CATEGORIES)

    @property
    def tokens(self) -> int:
        return sum(self.get(c) for c in TOKEN_CATEGORIES)

    @property
    def builtins(self) -> int:
        return self.get(SYSTEM) + self.get(BUDGET)

    def without_budget(self) -> CuBreakdown:
        """Only the instruction's work: drops the ComputeBudget instructions of the transaction."""
        return CuBreakdown(
            {k: v for k, v in self.own.items() if k != BUDGET},
            {k: v for k, v in self.invocations.items() if k != BUDGET},
        )

    def __add__(self, other: CuBreakdown) -> CuBreakdown:
        own = dict(self.own)
        calls = dict(self.invocations)
        for k, v in other.own.items():
            own[k] = own.get(k, 0) + v
        for k, v in other.invocations.items():
            calls[k] = calls.get(k, 0) + v
        return CuBreakdown(own, calls)


def breakdown(logs: Iterable[str], builtin_cu: int = BUILTIN_CU) -> CuBreakdown:
    """Own CU per program category (see the module docstring)."""
    out = CuBreakdown()
    stack: list[_Frame] = []
    for line in logs:
        parts = line.split()
        if len(parts) < 3 or parts[0] != "Program":
            continue
        program, verb = parts[1], parts[2]
        if verb == "invoke":
            stack.append(_Frame(program))
        elif verb == "consumed" and stack and stack[-1].program == program and len(parts) >= 4:
            stack[-1].consumed = int(parts[3])
        elif verb in ("success", "failed", "failed:") and stack:
            frame = stack.pop()
            if frame.consumed is None:
                total = builtin_cu if frame.program in _BUILTINS else frame.children
            else:
                total = frame.consumed
            name = category(frame.program)
            out.own[name] = out.own.get(name, 0) + max(total - frame.children, 0)
            out.invocations[name] = out.invocations.get(name, 0) + 1
            if stack:
                stack[-1].children += total
    return out


def trace_entries(logs: Sequence[str]) -> int:
    """Instruction trace entries of a transaction's work, ComputeBudget instructions excluded."""
    return sum(
        1
        for line in logs
        if line.startswith("Program ")
        and " invoke [" in line
        and not line.startswith(f"Program {COMPUTE_BUDGET_PROGRAM} ")
    )
