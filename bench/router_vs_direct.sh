#!/usr/bin/env bash
# Requests per second of a bare Beast server (the web container's HTTP layer with nothing
# behind it), directly and through the router, in the same run and alternating, so that
# both see the same machine: the router's own cost. Prints each
# repetition, the medians and the routed/direct ratio.
# Usage: bench/router_vs_direct.sh [BUILD_DIR (default build)] [REPETITIONS (default 3)]
# Needs wrk (Debian package `wrk`) and a build with MEPSIM_BUILD_BENCH=ON.
set -euo pipefail

build=${1:-build}
repetitions=${2:-3}
router_threads=${ROUTER_THREADS:-2}
web=$build/bench/mepsim-hello-bench
router=$build/bench/mepsim-router-bench
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
for program in "$web" "$router"; do
  [[ -x $program ]] || { echo "$program is missing: build with -DMEPSIM_BUILD_BENCH=ON" >&2; exit 2; }
done

. "$(dirname "$0")/ports.sh"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT

web_port=$(free_port)
"$web" "$web_port" 2 >/dev/null &
pids+=($!)
router_port=$(free_port)
"$router" "$router_port" "$router_threads" "127.0.0.1:$web_port" >/dev/null &
router_pid=$!
pids+=($router_pid)
wait_for_port "$web_port"
wait_for_port "$router_port"

rate() {
  wrk -t2 -c64 -d5s "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

direct=() routed=()
for i in $(seq "$repetitions"); do
  direct+=("$(rate "$web_port")")
  routed+=("$(rate "$router_port")")
  echo "repetition $i: direct ${direct[-1]} req/s, routed ${routed[-1]} req/s"
done
direct_median=$(printf '%s\n' "${direct[@]}" | median)
routed_median=$(printf '%s\n' "${routed[@]}" | median)
echo "median direct: $direct_median req/s (min $(printf '%s\n' "${direct[@]}" | sort -g | head -1), max $(printf '%s\n' "${direct[@]}" | sort -g | tail -1))"
echo "median routed: $routed_median req/s (min $(printf '%s\n' "${routed[@]}" | sort -g | head -1), max $(printf '%s\n' "${routed[@]}" | sort -g | tail -1))"
awk -v r="$routed_median" -v d="$direct_median" 'BEGIN {printf "routed/direct: %.2f\n", r/d}'
echo "router resident memory after the load: $(awk '/VmRSS/ {print $2}' "/proc/$router_pid/status") kB"
