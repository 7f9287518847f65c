"""Build hooks: the wheel carries the compiled SBF programs and the IDL as package data.

Everything else is declared in pyproject.toml. `make build` compiles the programs to
target/deploy; building a wheel (or an sdist, which later builds the wheel) copies them into
`asdf_dat/_bundled/` so that an installed wheel runs without a checkout. The programs are
never compiled here: a tree without them fails with a message saying what to run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
# Source (relative to the project root) -> destination inside the asdf_dat package.
BUNDLED_FILES = {
    "target/deploy/asdf_dat.so": "_bundled/programs/asdf_dat.so",
    "target/deploy/pump_standin.so": "_bundled/programs/pump_standin.so",
    "idl/asdf_dat.json": "_bundled/idl/asdf_dat.json",
}


def _require_bundled_sources() -> None:
    missing = [source for source in BUNDLED_FILES if not (ROOT / source).is_file()]
    if missing:
        raise SystemExit(
            "error: the asdf-dat wheel carries the compiled SBF programs and the IDL, and "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing. Build them first with "
            "`make build` in a source checkout (it compiles programs/ to target/deploy), then `make wheel`."
        )


class BuildPyWithPrograms(build_py):
    def run(self) -> None:
        super().run()
        # An editable install (`pip install -e .`, what `make build` does before compiling the
        # programs) imports from the checkout, which finds target/deploy itself.
        if getattr(self, "editable_mode", False):
            return
        _require_bundled_sources()
        package_dir = Path(self.build_lib) / "asdf_dat"
        for source, destination in BUNDLED_FILES.items():
            target = package_dir / destination
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / source, target)


class SdistWithPrograms(sdist):
    def run(self) -> None:
        _require_bundled_sources()
        super().run()


setup(cmdclass={"build_py": BuildPyWithPrograms, "sdist": SdistWithPrograms})
