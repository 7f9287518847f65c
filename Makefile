# Entry points. README.md shows the two a user needs: `make demo` and `make test`.
.PHONY: build demo test bench bench-dashboard idl clean-deploy validator anchor wheel

build:            ## install what is missing, build programs to target/deploy, regenerate the IDL
	bash scripts/build.sh

demo: build       ## build, then run the main job on the embedded localnet
	.venv/bin/asdf-dat demo

test:             ## build (IDL must be committed and fresh), then every test
	bash scripts/test.sh

bench: build      ## CU per instruction, cost per cycle for 1-100 tokens, daemon RPC load, demo time -> docs/BENCHMARKS.md
	.venv/bin/python -m bench

bench-dashboard: build  ## the dashboard's page load in headless Chromium (100 tokens, 1,000 cycles) -> docs/BENCHMARKS.md
	.venv/bin/python -m bench.dashboard_load

idl:              ## regenerate idl/asdf_dat.json only
	.venv/bin/python scripts/idl_build.py --crate asdf_dat --out idl/asdf_dat.json --write

validator:        ## find or build (once, ~40 min) solana-test-validator into ~/.cache/asdf-dat
	bash scripts/validator.sh

anchor:           ## find or build (once, ~15-30 min) anchor-cli 2.0.0-rc.2 into ~/.cache/asdf-dat (`anchor deploy`)
	bash scripts/anchor.sh

wheel: build      ## sdist + wheel in dist/ (python -m build); the wheel carries target/deploy/*.so and the IDL
	rm -rf dist
	.venv/bin/python -m build --outdir dist .
	.venv/bin/python scripts/wheel_check.py dist
