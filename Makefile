# The two commands the README starts with. Each installs what it needs first.
.PHONY: demo test build deps lint spec bench-short bench soak-short faults soak

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
	$(MAKE) --no-print-directory spec lint bench-short soak-short

# Every plugins/spec/*_spec.lua against the simulator and a private redis-server (docs/plugin-testing.md).
spec:
	.build/debug/warden plugin test

lint:
	luacheck --quiet plugins
	swift format lint --strict --recursive Sources Tests Package.swift
	.build/debug/warden plugin check plugins/*.lua >/dev/null

# A few seconds of each benchmark on the debug build, so `warden bench` cannot rot (figures: `make bench`).
bench-short:
	.build/debug/warden bench --updates 3000 --groups 100 --users 1000
	.build/debug/warden bench --updates 1000 --groups 100 --users 1000 --rate 500
	.build/debug/warden bench --raid
	.build/debug/warden bench --raid --no-antiraid

# The figures of docs/performance.md (release build).
bench: build
	.build/release/warden bench
	.build/release/warden bench --raid
	.build/release/warden bench --raid --no-antiraid

# A few seconds of the soak on the debug build (the fault run's short version is in `swift test`).
soak-short:
	.build/debug/warden soak --seconds 15 --rate 300 --sample-every 5

# The figures of docs/reliability.md (release build): 10,000 updates through 5 SIGKILLs, a Redis
# restart and Telegram errors; then 10 minutes at 2,000 updates/s.
faults: build
	.build/release/warden faults

soak: build
	.build/release/warden soak
