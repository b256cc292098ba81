#!/usr/bin/env bash
# Requests per second of redis-benchmark (GET and SET, 50 clients) against a Redis directly
# and through a pass-through fault proxy (sim/net/fault_proxy.h, what `network_faults` puts
# between the web containers and their datastores), in the same run and alternating, so that
# both see the same machine: the proxy's own cost on the data plane. Prints each repetition,
# the medians and the proxied/direct ratio.
# Usage: bench/fault_proxy_vs_direct.sh [BUILD_DIR (default build)] [REPETITIONS (default 3)]
# Needs redis-server and redis-benchmark (Debian packages `redis-server`, `redis-tools`) and a
# build with MEPSIM_BUILD_BENCH=ON.
set -euo pipefail

build=${1:-build}
repetitions=${2:-3}
proxy_threads=${PROXY_THREADS:-1}
requests=${REQUESTS:-100000}
proxy=$build/bench/mepsim-fault-proxy-bench
for tool in redis-server redis-benchmark; do
  command -v $tool >/dev/null || { echo "$tool is missing: scripts/install-deps" >&2; exit 2; }
done
[[ -x $proxy ]] || { echo "$proxy is missing: build with -DMEPSIM_BUILD_BENCH=ON" >&2; exit 2; }

. "$(dirname "$0")/ports.sh"

work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  >"$work/redis.log" 2>&1 &
pids+=($!)
proxy_port=$(free_port)
"$proxy" "$proxy_port" "$proxy_threads" "127.0.0.1:$redis_port" >/dev/null &
proxy_pid=$!
pids+=($proxy_pid)
wait_for_port "$redis_port"
wait_for_port "$proxy_port"

# "GET SET" requests per second on `port`, from redis-benchmark's CSV.
rates() {
  redis-benchmark -h 127.0.0.1 -p "$1" -c 50 -n "$requests" -t get,set --csv |
    awk -F'"' '$2 == "GET" {get = $4} $2 == "SET" {set = $4} END {print get, set}'
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR==1 {min=$1} {max=$1} END {printf "min %s, max %s", min, max}'; }

direct_get=() direct_set=() proxied_get=() proxied_set=()
for i in $(seq "$repetitions"); do
  read -r get set < <(rates "$redis_port")
  direct_get+=("$get") direct_set+=("$set")
  read -r get set < <(rates "$proxy_port")
  proxied_get+=("$get") proxied_set+=("$set")
  echo "repetition $i: direct GET ${direct_get[-1]} SET ${direct_set[-1]} req/s," \
    "proxied GET ${proxied_get[-1]} SET ${proxied_set[-1]} req/s"
done
for op in get set; do
  declare -n direct="direct_$op" proxied="proxied_$op"
  d=$(printf '%s\n' "${direct[@]}" | median)
  p=$(printf '%s\n' "${proxied[@]}" | median)
  echo "median direct ${op^^}: $d req/s ($(spread "${direct[@]}"))"
  echo "median proxied ${op^^}: $p req/s ($(spread "${proxied[@]}"))"
  awk -v p="$p" -v d="$d" -v op="${op^^}" 'BEGIN {printf "proxied/direct %s: %.2f\n", op, p/d}'
  unset -n direct proxied
done
echo "proxy resident memory after the load: $(awk '/VmRSS/ {print $2}' "/proc/$proxy_pid/status") kB"
