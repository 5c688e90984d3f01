#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Warden builds and tests with, when missing.
set -euo pipefail

packages=(liblua5.4-dev libhiredis-dev libssl-dev openssl redis-server pkg-config lua-check)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The package starts a system-wide redis-server; Warden's tests and demo start their own.
$sudo systemctl disable --now redis-server >/dev/null 2>&1 || true

command -v swift >/dev/null || { echo "swift not found: install Swift 6 from swift.org" >&2; exit 1; }
