"""Wall time of the embedded demo, `asdf-dat demo`, as a user runs it (a subprocess).

Measured with `time.perf_counter` from just before the process starts to the moment its stdout
shows the end of the cycle table (the `total` row after "5. Cycle"), and to its exit. The demo
builds its own world in-process; the program binaries must already be built (`make build`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class DemoTiming:
    to_table: float | None
    to_exit: float
    ok: bool


def demo_command() -> list[str]:
    script = Path(sys.executable).with_name("asdf-dat")
    if script.is_file():
        return [str(script), "demo"]
    found = shutil.which("asdf-dat")
    return [found, "demo"] if found else [sys.executable, "-c", "from asdf_dat.cli import app; app()", "demo"]


def time_demo() -> DemoTiming:
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="160")
    started = time.perf_counter()
    proc = subprocess.Popen(
        demo_command(), cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None
    to_table: float | None = None
    in_cycle = False
    for line in proc.stdout:
        if "5. Cycle" in line:
            in_cycle = True
        elif in_cycle and to_table is None and line.strip().startswith("total"):
            to_table = time.perf_counter() - started
    code = proc.wait()
    return DemoTiming(to_table, time.perf_counter() - started, code == 0)
