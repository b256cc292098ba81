#!/usr/bin/env bash
# The web container through its router, against real peers measured in the same run:
# a bare Beast hello server (the container's HTTP layer with nothing behind it) and
# redis-benchmark GET on the run's Redis. Stands up `mepsim up`, logs in as a partner,
# then runs wrk on GET /connexion and on a logged-in GET /bo (session read + KPI cache
# through Redis), alternating with the peers for each repetition. Prints each figure,
# the medians, the ratios, and the resident memory of the containers and of mepsim
# (which hosts the routers) idle and after the load.
# Usage: bench/web_vs_peers.sh [BUILD_DIR (default build)] [REPETITIONS (default 3)] [SECONDS (default 5)]
set -euo pipefail

build=${1:-build}
repetitions=${2:-3}
seconds=${3:-5}
mepsim=$build/harness/mepsim
hello=$build/bench/mepsim-hello-bench
for tool in wrk redis-benchmark curl; do
  command -v $tool >/dev/null || { echo "$tool is missing: make deps" >&2; exit 2; }
done
for program in "$mepsim" "$hello"; do
  [[ -x $program ]] || { echo "$program is missing: build with -DMEPSIM_BUILD_BENCH=ON" >&2; exit 2; }
done


. "$(dirname "$0")/ports.sh"

. "$(dirname "$0")/start_up.sh"

hello_port=$(free_port)
"$hello" "$hello_port" 2 >/dev/null &
pids+=($!)

app=$APP_URL_HISTOLOGE
cookie=$(curl -s -o /dev/null -D - -X POST "$app/connexion" \
  --data-urlencode "email=user-13-01@signal-logement.fr" \
  --data-urlencode "password=$MEPSIM_FIXTURE_PASSWORD" | sed -n 's/^[Ss]et-[Cc]ookie: \(PHPSESSID=[0-9a-f]*\).*/\1/p')
[[ -n $cookie ]] || { echo "could not log in to $app" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$app/bo")
[[ $status == 200 ]] || { echo "GET /bo answered $status" >&2; exit 1; }

[[ $REDIS_URL =~ ^redis://([^:]*):([^@]*)@([^:]*):([0-9]+) ]] || { echo "REDIS_URL unreadable" >&2; exit 1; }
redis_password=${BASH_REMATCH[2]} redis_host=${BASH_REMATCH[3]} redis_port=${BASH_REMATCH[4]}

containers() { pgrep -P "$mepsim_pid" -f mepsim-web || true; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
report_rss() {
  for pid in $(containers); do echo "  container pid $pid: $(rss_kb "$pid") kB"; done
  echo "  mepsim (routers, fakes, platform) pid $mepsim_pid: $(rss_kb "$mepsim_pid") kB"
}
echo "resident memory, idle:"
report_rss

wrk_rate() { wrk -t2 -c64 -d"${seconds}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
wrk_errors() { wrk -t2 -c64 -d1s "$@" | grep -E "Non-2xx|Socket errors" || true; }
redis_rate() {
  redis-benchmark -h "$redis_host" -p "$redis_port" -a "$redis_password" --user default \
    -t get -c 50 -n 200000 --csv 2>/dev/null | awk -F'"' '$2 == "GET" {print $4}'
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

hello_rates=() redis_rates=() health_rates=() connexion_rates=() bo_rates=()
for i in $(seq "$repetitions"); do
  hello_rates+=("$(wrk_rate "http://127.0.0.1:$hello_port/")")
  redis_rates+=("$(redis_rate)")
  health_rates+=("$(wrk_rate "$app/_mepsim/health")")
  connexion_rates+=("$(wrk_rate "$app/connexion")")
  bo_rates+=("$(wrk_rate -H "Cookie: $cookie" "$app/bo")")
  echo "repetition $i: hello ${hello_rates[-1]} req/s, redis GET ${redis_rates[-1]} ops/s," \
       "health route ${health_rates[-1]} req/s, /connexion ${connexion_rates[-1]} req/s," \
       "logged-in /bo ${bo_rates[-1]} req/s"
done
wrk_errors -H "Cookie: $cookie" "$app/bo"

stats() { printf '%s\n' "$@" | median; }
hello_median=$(stats "${hello_rates[@]}")
redis_median=$(stats "${redis_rates[@]}")
health_median=$(stats "${health_rates[@]}")
connexion_median=$(stats "${connexion_rates[@]}")
bo_median=$(stats "${bo_rates[@]}")
echo "median hello: $hello_median req/s"
echo "median redis-benchmark GET: $redis_median ops/s"
echo "median health route through the router (the router's ceiling): $health_median req/s"
echo "median /connexion through the router: $connexion_median req/s"
echo "median logged-in /bo through the router: $bo_median req/s"
awk -v c="$connexion_median" -v b="$bo_median" -v h="$hello_median" -v r="$redis_median" \
    -v g="$health_median" 'BEGIN {
  printf "health through the router / hello: %.2f\n", g/h
  printf "/connexion / hello: %.2f\n/bo / hello: %.2f (goal >= 0.30)\n/bo / redis GET: %.2f\n", c/h, b/h, b/r
  printf "/bo / health through the router: %.2f\n", b/g }'
echo "resident memory, after the load:"
report_rss
