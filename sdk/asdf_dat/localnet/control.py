"""Client side of the localnet's test controls (`asdf_*` JSON-RPC methods), for tests that run the
endpoint as a separate process."""

from __future__ import annotations

from typing import Any

import httpx

from asdf_dat.localnet.faults import FaultConfig


class LocalnetControlError(Exception):
    pass


async def call_control(url: str, method: str, params: list[Any], *, timeout: float = 10.0) -> Any:
    async with httpx.AsyncClient(timeout=timeout) as client:
        response = await client.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
    response.raise_for_status()
    payload = response.json()
    if not isinstance(payload, dict):
        raise LocalnetControlError(f"{method}: unexpected reply")
    if "error" in payload:
        raise LocalnetControlError(f"{method}: {payload['error'].get('message', payload['error'])}")
    return payload.get("result")


async def set_faults(url: str, faults: FaultConfig) -> None:
    """Replace the endpoint's fault injection (`FaultConfig()` switches it off)."""
    await call_control(url, "asdf_setFaults", [faults.model_dump(mode="json")])


async def advance_clock(url: str, seconds: int) -> int:
    """Move the on-chain clock forward; returns the new unix timestamp."""
    result = await call_control(url, "asdf_advanceClock", [seconds])
    return int(result)


async def get_stats(url: str) -> dict[str, Any]:
    """Calls per method, `sendTransaction` requests per signature, faults injected, slot."""
    result = await call_control(url, "asdf_getStats", [])
    if not isinstance(result, dict):
        raise LocalnetControlError("asdf_getStats: unexpected reply")
    return result
