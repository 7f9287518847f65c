"""The program's IDL (idl/asdf_dat.json), adapted for anchorpy3.

Anchor v2 emits its Pod wrappers (`PodU64`, ...) as type aliases
(`{"kind": "type", "alias": ...}`), which anchorpy3-core's parser rejects. Aliases
carry no layout of their own, so they are inlined wherever referenced and dropped.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from anchorpy.idl_adapter import Idl

from asdf_dat.programs import bundled_path, checkout_root


def idl_path() -> Path:
    """A checkout's `idl/asdf_dat.json`, else the copy an installed wheel carries."""
    root = checkout_root()
    if root is not None:
        return root / "idl" / "asdf_dat.json"
    return bundled_path("idl", "asdf_dat.json")


IDL_PATH = idl_path()


def inline_type_aliases(raw_idl: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of `raw_idl` with every alias type definition inlined."""
    aliases = {
        type_def["name"]: type_def["type"]["alias"]
        for type_def in raw_idl.get("types", [])
        if type_def.get("type", {}).get("kind") == "type"
    }

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            defined = node.get("defined")
            if isinstance(defined, dict) and defined.get("name") in aliases and len(node) == 1:
                return resolve(aliases[defined["name"]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    adapted: dict[str, Any] = resolve(raw_idl)
    adapted["types"] = [t for t in adapted.get("types", []) if t["name"] not in aliases]
    return adapted


@cache
def load_raw_idl(path: Path = IDL_PATH) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(path.read_text())
    return raw


def load_idl(path: Path = IDL_PATH) -> Idl:
    """The IDL as an anchorpy `Idl`, aliases inlined."""
    return Idl.from_json(json.dumps(inline_type_aliases(load_raw_idl(path))))
