"""DryRunReport: the seed's schema (OPERATIONS.md, transcribed below as JSON Schema), key for key."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from asdf_dat.dat.cycle import (
    CycleState,
    DatParams,
    TokenInput,
    plan_cycle,
)
from asdf_dat.orchestrator.report import DryRunReport, build_report, iso_timestamp, write_report

NOW = 1_800_000_000
MOMENT = datetime(2025, 1, 15, 14, 30, tzinfo=UTC)

_SOL = {"type": "string", "pattern": r"^-?\d+(\.\d+)? SOL$"}
_INT = {"type": "integer"}


def _obj(props: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": props,
        "required": [k for k in props if k not in optional],
        "additionalProperties": False,
    }


# interface DryRunReport (OPERATIONS.md "JSON Output Schema"); network also allows our localnet.
SEED_SCHEMA: dict[str, Any] = _obj(
    {
        "timestamp": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"},
        "network": {"enum": ["devnet", "mainnet", "localnet"]},
        # the seed's four, plus PAUSED and SIMULATION_FAILED (README "Dry-run statuses")
        "status": {
            "enum": ["READY", "INSUFFICIENT_FEES", "COOLDOWN_ACTIVE", "NO_TOKENS", "PAUSED", "SIMULATION_FAILED"]
        },
        "ecosystem": _obj(
            {
                "totalPendingFees": _INT,
                "totalPendingFeesSOL": _SOL,
                "tokensTotal": _INT,
                "tokensEligible": _INT,
                "tokensDeferred": _INT,
            }
        ),
        "tokens": {
            "type": "array",
            "items": _obj(
                {
                    "symbol": {"type": "string"},
                    "mint": {"type": "string"},
                    "isRoot": {"type": "boolean"},
                    "pendingFees": _INT,
                    "pendingFeesSOL": _SOL,
                    "allocation": _INT,
                    "allocationSOL": _SOL,
                    "willProcess": {"type": "boolean"},
                    "deferReason": {"type": "string"},
                    # our extension (issue 15): how the token's fees are attributed
                    "attribution": {"enum": ["keeper", "fee-sharing"]},
                },
                optional=("deferReason", "attribution"),
            ),
        },
        "thresholds": _obj(
            {
                "minAllocationSecondary": _INT,
                "minAllocationSecondarySOL": _SOL,
                "minAllocationRoot": _INT,
                "minAllocationRootSOL": _SOL,
            }
        ),
        "costs": _obj(
            {
                "estimatedTxFeesPerToken": _INT,
                "estimatedTxFeesPerTokenSOL": _SOL,
                "totalEstimatedCost": _INT,
                "totalEstimatedCostSOL": _SOL,
            }
        ),
        "warnings": {"type": "array", "items": {"type": "string"}},
        "recommendations": {"type": "array", "items": {"type": "string"}},
    }
)


def validate(value: Any, schema: dict[str, Any], where: str = "$") -> None:
    """The JSON Schema subset used above (type, enum, pattern, properties, required,
    additionalProperties, items); raises AssertionError naming the path."""
    import re

    kind = schema.get("type")
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
    }
    if kind is not None:
        assert checks[kind](value), f"{where}: expected {kind}, got {value!r}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if "pattern" in schema:
        assert re.match(schema["pattern"], value), f"{where}: {value!r} does not match {schema['pattern']}"
    if kind == "object":
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key}"
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(schema["properties"])
            assert not extra, f"{where}: unexpected keys {extra}"
        for key, sub in schema["properties"].items():
            if key in value:
                validate(value[key], sub, f"{where}.{key}")
    if kind == "array":
        for i, item in enumerate(value):
            validate(item, schema["items"], f"{where}[{i}]")


def tok(symbol: str, pending: int, root: bool = False, last: int = 0) -> TokenInput:
    return TokenInput(mint=f"{symbol}Mint", symbol=symbol, is_root=root, pending_fees=pending, last_cycle_id=last)


def _report(tokens: list[TokenInput], state: CycleState | None = None, cost: int = 14_000_000) -> dict[str, Any]:
    plan = plan_cycle(DatParams(), state or CycleState(), tokens, NOW)
    report = build_report(plan, network="devnet", total_cost_lamports=cost, moment=MOMENT)
    data: dict[str, Any] = json.loads(report.to_json())
    validate(data, SEED_SCHEMA)
    return data


def test_seed_example_shape_and_values() -> None:
    data = _report([tok("DATSPL", 10_000_000, root=True), tok("DATS2", 12_000_000), tok("DATM", 3_000_000)])
    assert data["timestamp"] == "2025-01-15T14:30:00.000Z"
    assert data["status"] == "READY"
    assert data["ecosystem"] == {
        "totalPendingFees": 25_000_000,
        "totalPendingFeesSOL": "0.025 SOL",
        "tokensTotal": 3,
        "tokensEligible": 2,
        "tokensDeferred": 1,
    }
    assert data["thresholds"] == {
        "minAllocationSecondary": 5_690_000,
        "minAllocationSecondarySOL": "0.00569 SOL",
        "minAllocationRoot": 2_000_000,
        "minAllocationRootSOL": "0.002 SOL",
    }
    assert data["costs"] == {
        "estimatedTxFeesPerToken": 7_000_000,
        "estimatedTxFeesPerTokenSOL": "0.007 SOL",
        "totalEstimatedCost": 14_000_000,
        "totalEstimatedCostSOL": "0.014 SOL",
    }
    by_symbol = {t["symbol"]: t for t in data["tokens"]}
    assert "deferReason" not in by_symbol["DATSPL"]
    root = by_symbol["DATSPL"]
    # root allocation = its pending + 44.8 % of the secondary that executes (12,000,000 - 6,624,000)
    assert root["allocation"] == 10_000_000 + 5_376_000 and root["allocationSOL"] == "0.015376 SOL"
    datm = by_symbol["DATM"]
    assert datm["willProcess"] is False and "below minimum" in datm["deferReason"]
    assert any("DATM" in w and "below minimum threshold" in w for w in data["warnings"])
    # 0.003 SOL short -> 0.003 / 0.003 = 1 SOL of volume
    assert "Generate 1 SOL more volume for DATM" in " ".join(data["recommendations"])


def test_every_status_validates() -> None:
    assert _report([])["status"] == "NO_TOKENS"
    insufficient = _report([tok("A", 0), tok("R", 0, root=True)], cost=0)
    assert insufficient["status"] == "INSUFFICIENT_FEES"
    assert any("No pending fees" in w for w in insufficient["warnings"])
    cooling = _report(
        [tok("A", 9_000_000, last=1), tok("R", 0, root=True, last=1)],
        CycleState(cycle_id=1, cycle_started_at=NOW - 10),
        cost=0,
    )
    assert cooling["status"] == "COOLDOWN_ACTIVE"
    assert any("Wait 50 s" in r for r in cooling["recommendations"])
    assert _report([tok("A", 9_000_000), tok("R", 0, root=True)])["status"] == "READY"


def test_pydantic_model_refuses_unknown_fields_and_roundtrips() -> None:
    data = _report([tok("A", 9_000_000), tok("R", 0, root=True)])
    again = DryRunReport.model_validate(data)
    assert json.loads(again.to_json()) == data
    with pytest.raises(ValueError):
        DryRunReport.model_validate(data | {"extra": 1})


def test_written_to_reports_dir(tmp_path: Path) -> None:
    plan = plan_cycle(DatParams(), CycleState(), [tok("R", 0, root=True)], NOW)
    report = build_report(plan, network="localnet", total_cost_lamports=0, moment=MOMENT)
    first = write_report(report, tmp_path / "reports", MOMENT)
    second = write_report(report, tmp_path / "reports", MOMENT)
    assert first.name == f"dry-run-{int(MOMENT.timestamp() * 1000)}.json" and first != second
    validate(json.loads(first.read_text()), SEED_SCHEMA)
    assert iso_timestamp(datetime(2025, 1, 1, 0, 0, 0, 123_456, tzinfo=UTC)) == "2025-01-01T00:00:00.123Z"
