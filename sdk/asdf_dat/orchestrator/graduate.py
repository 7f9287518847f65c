"""The orchestrator's graduation step, run before a cycle is planned: tokens whose coin migrated
to PumpSwap are moved there on-chain and in their config files (`asdf_dat.dat.graduation`, the
detector shared with the fee daemon), and the ecosystem is re-read. A dry run only reports them."""

from __future__ import annotations

from dataclasses import dataclass, field

from solders.keypair import Keypair

from asdf_dat.config.ecosystem import Ecosystem, graduated_changes, load_ecosystem_dir, rewrite_token_file
from asdf_dat.dat.accounts import fetch_dat_state
from asdf_dat.dat.graduation import Graduation, GraduationOutcome, apply_graduations, find_graduations
from asdf_dat.network.protocol import Transport


@dataclass
class GraduationStep:
    ecosystem: Ecosystem
    """The ecosystem to plan with: re-read when a file changed, without the graduated tokens
    not moved yet (their curve is closed: a cycle there would fail and count as a failure)."""
    outcomes: list[GraduationOutcome] = field(default_factory=list)
    pending: list[Graduation] = field(default_factory=list)
    """Dry run: graduations found, not applied."""

    def messages(self) -> list[str]:
        lines = [o.describe() for o in self.outcomes]
        lines += [
            f"{g.symbol} ({g.mint}) graduated to PumpSwap pool {g.pool}: a live run moves it there first"
            for g in self.pending
        ]
        return lines


async def graduate(
    transport: Transport, wallet: Keypair, ecosystem: Ecosystem, *, apply: bool = True
) -> GraduationStep:
    found = await find_graduations(transport, ecosystem.tokens)
    if not found:
        return GraduationStep(ecosystem)
    if not apply:
        return GraduationStep(_without(ecosystem, found), pending=found)
    by_mint = {t.mint: t for t in ecosystem.tokens}
    network = ecosystem.tokens[0].network

    def rewrite(graduation: Graduation) -> None:
        rewrite_token_file(by_mint[graduation.mint].path, network, graduated_changes(graduation.pool))

    state = await fetch_dat_state(transport)
    outcomes = await apply_graduations(transport, wallet, state.admin, found, rewrite)
    if any(o.done for o in outcomes):
        ecosystem = load_ecosystem_dir(ecosystem.directory, network)
    return GraduationStep(_without(ecosystem, [o.graduation for o in outcomes if not o.done]), outcomes)


def _without(ecosystem: Ecosystem, graduations: list[Graduation]) -> Ecosystem:
    left_out = {g.mint for g in graduations}
    return Ecosystem(ecosystem.directory, tuple(t for t in ecosystem.tokens if t.mint not in left_out))
