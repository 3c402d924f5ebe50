# ldyn: the two entry points of the README, plus the pieces they are made of.
#   make demo   installs what is missing, builds, and runs the main job on embedded data
#   make test   builds and runs every test, in release and under the sanitizers
.PHONY: demo test build build-debug test-release test-debug bench fixture clean

LDYN := build/release/apps/ldyn/ldyn

demo:
	@scripts/install-deps.sh demo
	@$(MAKE) --no-print-directory build
	@mkdir -p out
	$(LDYN) water fit --config examples/water-fit.toml
	$(LDYN) water run --config examples/water-run.toml
	$(LDYN) water compare --config examples/water-compare.toml
	$(LDYN) optimize --config examples/demo-rotated-quadratic.toml
	$(LDYN) train --config examples/train-compare-multiplication.toml
	$(LDYN) thermo --config examples/thermo-multiplication.toml
	$(LDYN) particles run --config examples/particles-run.toml
	$(LDYN) particles run --config examples/particles-run.toml --boost 3,-2 --json out/particles-eval-boosted.json
	$(LDYN) particles run --config examples/particles-run.toml --policy random --json out/particles-eval-random.json
	$(LDYN) particles render --config examples/particles-render.toml $$(command -v ffmpeg >/dev/null || echo --out out/particles-frames/)

build:
	@scripts/install-deps.sh build
	cmake --preset release
	cmake --build --preset release

build-debug:
	@scripts/install-deps.sh build
	cmake --preset debug
	cmake --build --preset debug

test-release: build
	ctest --preset release

test-debug: build-debug
	ctest --preset debug

test: test-release test-debug

bench:
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory build
	/usr/bin/python3 bench/run_benchmarks.py

fixture:
	/usr/bin/python3 tests/reference/make_torch_fixture.py --out tests/reference/torch_optim_fixture.txt

clean:
	rm -rf build
