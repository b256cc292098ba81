#!/usr/bin/env bash
# The load generator's memory does not grow with a run's length: the same open-loop load
# (a fixed arrival rate on one route of `mepsim up`'s histologe, through its router) for a
# short and a long run, and the peak resident memory of `mepsim load` in each (GNU time's
# %M), their ratio, and the long run's resident memory sampled along the way. Its
# histograms are fixed-size and its per-second series bounded, so the ratio should stay
# near 1.
# Usage: bench/load_memory.sh [BUILD_DIR (default build)] [SHORT_S (default 10)] [LONG_S (default 120)]
# Environment: RATE (arrivals per second, default 1000), ROUTE (default /_mepsim/health),
# CONNECTIONS (default 16), SAMPLE_S (the long run's sampling period, default 10).
set -euo pipefail

build=${1:-build}
short_s=${2:-10}
long_s=${3:-120}
rate=${RATE:-1000}
route=${ROUTE:-/_mepsim/health}
connections=${CONNECTIONS:-16}
sample_s=${SAMPLE_S:-10}
mepsim=$build/harness/mepsim
gnu_time=/usr/bin/time
for tool in curl python3 "$gnu_time"; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: make deps" >&2; exit 2; }
done
[[ -x $mepsim ]] || { echo "$mepsim is missing: make build" >&2; exit 2; }


. "$(dirname "$0")/start_up.sh"
app=$APP_URL_HISTOLOGE
status=$(curl -s -o /dev/null -w '%{http_code}' "$app$route")
[[ $status == 200 ]] || { echo "GET $route answered $status" >&2; exit 1; }

# Runs the load for $1 seconds under GNU time; prints the peak RSS in kB. With $2 set,
# samples the generator's VmRSS every $2 seconds into $work/samples.
run() {
  "$gnu_time" -f %M -o "$work/peak" \
    "$mepsim" load --target "$app" --rate "$rate" --connections "$connections" \
    --duration "${1}s" --path "$route" --json "$work/load.json" >/dev/null &
  local time_pid=$!
  pids+=($time_pid)
  : >"$work/samples"
  if [[ -n ${2:-} ]]; then
    local load_pid=""
    for _ in $(seq 100); do
      load_pid=$(pgrep -P "$time_pid" || true)
      [[ -n $load_pid ]] && break
      sleep 0.01
    done
    local t=0
    while [[ -n $load_pid ]] && kill -0 "$load_pid" 2>/dev/null; do
      sleep "$2"
      t=$((t + $2))
      rss=$(awk '/VmRSS/ {print $2}' "/proc/$load_pid/status" 2>/dev/null || true)
      [[ -n $rss ]] && echo "$t s: $rss kB" >>"$work/samples"
    done
  fi
  wait "$time_pid"
  python3 - "$work/load.json" >&2 <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
lat = r["latency_ms"]
print(f"  {r['requests']} requests in {r['duration_s']:.1f} s ({r['rps']:.0f} req/s), "
      f"p50 {lat['p50']} ms, p99 {lat['p99']} ms, max {lat['max']} ms, status {r['status']}, "
      f"errors {r['errors'] or 0}, backlog max {r['backlog_max']}, series of {len(r.get('series', []))} seconds")
EOF
  cat "$work/peak"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "open loop, $rate arrivals/s, $connections connections, GET $route on $app"
echo "short run (${short_s} s):"
short_kb=$(run "$short_s")
echo "  peak resident memory of mepsim load: $short_kb kB"
echo "long run (${long_s} s):"
long_kb=$(run "$long_s" "$sample_s")
echo "  resident memory along the way:"
sed 's/^/    /' "$work/samples"
echo "  peak resident memory of mepsim load: $long_kb kB"
awk -v l="$long_kb" -v s="$short_kb" -v a="$long_s" -v b="$short_s" \
  'BEGIN {printf "peak RSS %s s / %s s: %.2f (%+d kB)\n", a, b, l/s, l-s}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
