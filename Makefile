# The two commands the README starts with. Each installs what it needs first.
.PHONY: demo test build deps lint

deps:
	@scripts/install-deps.sh

build: deps
	swift build -c release --product warden

demo: build
	@scripts/demo.sh

test: deps
	swift build --build-tests
	swift test --skip-build --parallel
	$(MAKE) --no-print-directory lint

lint:
	luacheck --quiet plugins
	swift format lint --strict --recursive Sources Tests Package.swift
	.build/debug/warden plugin check plugins/*.lua >/dev/null
