#!/usr/bin/env bash
# Replays data/demo/updates.jsonl through the shipped plugins with a private
# redis-server, printing what the bot does. No token, no network.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v redis-server >/dev/null || { echo "redis-server not found: apt-get install redis-server" >&2; exit 1; }
workdir=$(mktemp -d)
redis_pid=""
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  rm -rf "$workdir"
}
trap cleanup EXIT

# A unix socket in a temp dir: no port to find, nothing reachable from outside.
redis-server --port 0 --unixsocket "$workdir/redis.sock" --save "" --appendonly no --dir "$workdir" \
  --daemonize no >"$workdir/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 50); do [ -S "$workdir/redis.sock" ] && break; sleep 0.1; done

cat >"$workdir/config.toml" <<TOML
sudo_users = [1000]
[redis]
url = "unix://$workdir/redis.sock"
[plugins]
enabled = ["plugins", "help", "id"]
[runtime]
# The recorded updates are dated in the past; replaying them should still run their commands.
old_update_age = 3153600000
[bot]
username = "WardenBot"
id = 7000000001
TOML

echo "Replaying data/demo/updates.jsonl (a group, its admin, a member) through the shipped plugins:"
echo
.build/release/warden run --stdin --actions text --config "$workdir/config.toml" --log-level warning \
  <data/demo/updates.jsonl
