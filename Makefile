# The two commands the README starts with. Each installs what it needs first.
.PHONY: demo test build deps lint spec

deps:
	@scripts/install-deps.sh

build: deps
	swift build -c release --product warden

# The simulator and a private redis-server, the shipped plugins, and data/demo/scenario.lua (docs/demo.md).
demo: build
	.build/release/warden demo

test: deps
	swift build --build-tests
	swift test --skip-build --parallel
	$(MAKE) --no-print-directory spec lint

# Every plugins/spec/*_spec.lua against the simulator and a private redis-server (docs/plugin-testing.md).
spec:
	.build/debug/warden plugin test

lint:
	luacheck --quiet plugins
	swift format lint --strict --recursive Sources Tests Package.swift
	.build/debug/warden plugin check plugins/*.lua >/dev/null
