# Sourced by the bench scripts: starts `mepsim up` in $work (the caller's scratch folder,
# removed by its cleanup), appends its pid to `pids`, waits until it is ready (60 s at most)
# and loads its env file. Needs $mepsim.
"$mepsim" up --env-file "$work/env" --seed 1 >"$work/up.log" 2>&1 &
mepsim_pid=$!
pids+=($mepsim_pid)
for _ in $(seq 600); do
  grep -q "mepsim: ready" "$work/up.log" && break
  kill -0 $mepsim_pid 2>/dev/null || { cat "$work/up.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "mepsim: ready" "$work/up.log" || { echo "mepsim up was not ready in 60 s" >&2; exit 1; }
set -a; . "$work/env"; set +a
