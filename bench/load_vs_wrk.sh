#!/usr/bin/env bash
# mepsim's load generator against wrk, on the same targets in the same run, with the same
# threads, connections and duration: the health route through the router (the router's
# ceiling) and a replica route (GET /connexion, a page of the app rendered by a web
# container), both of `mepsim up`'s histologe. The generator runs its closed loop
# (`mepsim load --closed`), recording full latency histograms per route, class, phase
# and second, where wrk keeps a few statistics. The two alternate, each repetition in the
# other order, so that both see the same machine. Prints each repetition, the medians,
# the generator/wrk ratio (goal: >= 0.90), each tool's CPU time per request (what the
# rates depend on when the tools and the target share a few cores), and each run's
# latency, non-2xx answers and errors.
# The generator's rate is its requests over the nominal duration, as no request starts
# after it: its report's duration_s runs until `mepsim load` notices the end, which it
# polls every 250 ms.
# Usage: bench/load_vs_wrk.sh [BUILD_DIR (default build)] [REPETITIONS (default 3)] [SECONDS (default 5)]
# Environment: CONNECTIONS (default 64), THREADS (default 2).
set -euo pipefail

build=${1:-build}
repetitions=${2:-3}
seconds=${3:-5}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
mepsim=$build/harness/mepsim
gnu_time=/usr/bin/time
for tool in wrk curl python3 "$gnu_time"; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: make deps" >&2; exit 2; }
done
[[ -x $mepsim ]] || { echo "$mepsim is missing: make build" >&2; exit 2; }


. "$(dirname "$0")/start_up.sh"
app=$APP_URL_HISTOLOGE

routes=(/_mepsim/health /connexion)
for route in "${routes[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$app$route")
  [[ $status == 200 ]] || { echo "GET $route answered $status" >&2; exit 1; }
done

# Each runs one tool under GNU time and prints "RATE CPU": its requests per second and
# its own CPU time (user + system) per request in µs; and notes the run's latency,
# non-2xx answers and errors in $work/notes-wrk.ROUTE and $work/notes-load.ROUTE.
cpu_us_per_request() { awk -v n="$1" '{printf "%.2f", ($1 + $2) * 1e6 / n}' "$work/cpu"; }
wrk_run() {
  "$gnu_time" -f "%U %S" -o "$work/cpu" \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" "$app$1" >"$work/wrk.out"
  awk '/requests in/ {n=$1} /Latency/ {l=$2 " avg, " $3 " stdev, " $4 " max"}
       /Non-2xx/ {e=e "; " $0} /Socket errors/ {e=e "; " $0}
       END {print "  " n " requests; latency " l (e == "" ? "; non-2xx 0; errors 0" : e)}' \
    "$work/wrk.out" >>"$work/notes-wrk.$2"
  echo "$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")" \
    "$(cpu_us_per_request "$(awk '/requests in/ {print $1}' "$work/wrk.out")")"
}
load_run() {
  "$gnu_time" -f "%U %S" -o "$work/cpu" \
    "$mepsim" load --target "$app" --closed --connections "$connections" --threads "$threads" \
    --duration "${seconds}s" --path "$1" --json "$work/load.json" >/dev/null
  local requests
  requests=$(python3 - "$work/load.json" "$work/notes-load.$2" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
non_2xx = {code: n for code, n in report["status"].items() if not code.startswith("2")}
with open(sys.argv[2], "a") as out:
    latency = report["latency_ms"]
    out.write(f"  {report['requests']} requests, report rps {report['rps']:.2f} over "
              f"{report['duration_s']:.2f} s; p50 {latency['p50']} ms, p99 {latency['p99']} ms, "
              f"max {latency['max']} ms; non-2xx {non_2xx or 0}; errors {report['errors'] or 0}\n")
print(report["requests"])
PY
)
  echo "$(awk -v n="$requests" -v s="$seconds" 'BEGIN {printf "%.2f", n / s}')" \
    "$(cpu_us_per_request "$requests")"
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "min %s, max %s", lo, hi}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$threads threads, $connections connections, ${seconds} s per run, target $app"
for r in "${!routes[@]}"; do
  route=${routes[$r]}
  wrk_rates=() load_rates=() wrk_cpus=() load_cpus=()
  for i in $(seq "$repetitions"); do
    if ((i % 2)); then
      read -r wrk_rate wrk_cpu < <(wrk_run "$route" "$r")
      read -r load_rate load_cpu < <(load_run "$route" "$r")
    else
      read -r load_rate load_cpu < <(load_run "$route" "$r")
      read -r wrk_rate wrk_cpu < <(wrk_run "$route" "$r")
    fi
    wrk_rates+=("$wrk_rate") load_rates+=("$load_rate")
    wrk_cpus+=("$wrk_cpu") load_cpus+=("$load_cpu")
    echo "GET $route repetition $i: wrk $wrk_rate req/s ($wrk_cpu µs CPU/request)," \
         "mepsim load $load_rate req/s ($load_cpu µs CPU/request)"
  done
  wrk_median=$(printf '%s\n' "${wrk_rates[@]}" | median)
  load_median=$(printf '%s\n' "${load_rates[@]}" | median)
  wrk_cpu=$(printf '%s\n' "${wrk_cpus[@]}" | median)
  load_cpu=$(printf '%s\n' "${load_cpus[@]}" | median)
  echo "GET $route median wrk: $wrk_median req/s ($(spread "${wrk_rates[@]}")), $wrk_cpu µs CPU/request"
  echo "GET $route median mepsim load: $load_median req/s ($(spread "${load_rates[@]}")), $load_cpu µs CPU/request"
  awk -v l="$load_median" -v w="$wrk_median" -v lc="$load_cpu" -v wc="$wrk_cpu" -v r="$route" \
    'BEGIN {printf "GET %s mepsim load / wrk: %.2f (goal >= 0.90); CPU per request: %.2f\n", r, l/w, lc/wc}'
  echo "GET $route wrk's runs:"
  cat "$work/notes-wrk.$r"
  echo "GET $route mepsim load's runs:"
  cat "$work/notes-load.$r"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
