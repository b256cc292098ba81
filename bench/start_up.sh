# Sourced by the bench scripts: makes the scratch folder $work and the list `pids` of
# processes to stop, both cleaned up at exit; starts `mepsim up` there, waits until it is
# ready (60 s at most) and loads its env file. Needs $mepsim.
work=$(mktemp -d)
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

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
