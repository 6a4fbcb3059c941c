#!/usr/bin/env bash
# The fleet benchmark (issue 17): P small-school profiles (the example school, each with
# its own API key) all due at the same moment, served by D `clever-sync daemon --profiles`
# processes × --jobs J, their history in a PostgreSQL this script starts (initdb into a
# temporary folder, fsync off), the scripted QuickSchools server answering every request
# after --stall seconds, one file:// destination folder per profile. Per cell (D, J), on a
# fresh database: the wall time from the due moment to the last run's end (the history's
# endedAt), runs Succeeded and other, the sets each destination received (inotify:
# upload-watch.py), CPU seconds of the daemons with their runs (GNU time), of PostgreSQL
# and of the QuickSchools server (tree-cpu.py), and the most runs at once (startedAt and
# endedAt). Prints a markdown table, nproc, and schools per hour of the best cell.
#   Tests/Benchmarks/fleet-bench.sh [--profiles P] [--daemons "1 2 3"] [--jobs "1 8 32"]
#     [--stall 0.05] [--rate R] [--schedule sql|cli] [--max-connections N] [--idle S] [--keep]
#   Tests/Benchmarks/fleet-bench.sh --quick       (P=20, daemons "1 2", jobs "1 4": checks the script)
# BIN=<folder of the six executables> (default .build/release: make release). Each daemon
# gets CLEVER_SYNC_NODE=node-K; LEASE=<seconds> adds --lease to each (empty: not passed).
# --rate is the profiles' QuickSchools rate (requests a second per key; 0, the default,
# waits only for the server). --schedule sql (the default) adds the first profile's run
# with `clever-sync schedule add` and copies its schedule and Pending run to the others
# in SQL (1,000 adds take minutes); cli adds every one with `schedule add --at HH:MM`.
# Needs Debian's postgresql (as root, PostgreSQL runs as the user postgres) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=Tests/Benchmarks
bin=${BIN:-.build/release}
lease=${LEASE:-}
profiles='' daemon_counts='' job_counts='' stall=0.05 rate=0 schedule=sql max_connections=300 idle=300 keep=''
quick=''
while [ $# -gt 0 ]; do
  case $1 in
    --profiles) profiles=$2; shift ;;
    --daemons) daemon_counts=$2; shift ;;
    --jobs) job_counts=$2; shift ;;
    --stall) stall=$2; shift ;;
    --rate) rate=$2; shift ;;
    --schedule) schedule=$2; shift ;;
    --max-connections) max_connections=$2; shift ;;
    --idle) idle=$2; shift ;;
    --lease) lease=$2; shift ;;
    --keep) keep=1 ;;
    --quick) quick=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "fleet-bench: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
  shift
done
if [ -n "$quick" ]; then : "${profiles:=20}" "${daemon_counts:=1 2}" "${job_counts:=1 4}"; fi
: "${profiles:=1000}" "${daemon_counts:=1 2 3}" "${job_counts:=1 8 32}"
case $schedule in sql|cli) ;; *) echo "fleet-bench: --schedule is sql or cli" >&2; exit 64 ;; esac
for tool in clever-sync qs-extract clever-map clever-validate clever-csv sftp-put; do
  [ -x "$bin/$tool" ] || { echo "fleet-bench: no $bin/$tool: build first (make release) or set BIN" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "fleet-bench: needs GNU time (/usr/bin/time: apt-get install time)" >&2; exit 1; }
pgbin=''
for folder in $(dirname "$(readlink -f "$(command -v initdb)")" 2>/dev/null) $(ls -dvr /usr/lib/postgresql/*/bin 2>/dev/null); do
  [ -x "$folder/pg_ctl" ] && [ -x "$folder/psql" ] && { pgbin=$folder; break; }
done
[ -n "$pgbin" ] || { echo "fleet-bench: PostgreSQL's initdb, pg_ctl and psql not found: apt-get install postgresql" >&2; exit 1; }

work=$(mktemp -d /tmp/fleet-bench.XXXXXX)
chmod 711 "$work"  # PostgreSQL's own folder inside is the postgres user's
pg=$work/pg qs_pid='' watcher='' pg_port='' time_pids=() daemon_pids=()
as_server_user() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_daemons() {  # SIGTERM, then the whole session of one that has not ended in 90 s
  local pid waited
  for pid in "${daemon_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${daemon_pids[@]}"; do
    for waited in $(seq 900); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  for pid in "${time_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  daemon_pids=() time_pids=()
}
cleanup() {
  set +e
  stop_daemons
  [ -n "$watcher" ] && kill "$watcher" 2>/dev/null
  [ -n "$qs_pid" ] && kill "$qs_pid" 2>/dev/null
  [ -n "$pg_port" ] && as_server_user "$pgbin/pg_ctl" -D "$pg/data" -m fast -w stop > /dev/null 2>&1
  if [ -n "$keep" ]; then echo "fleet-bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
say() { echo "fleet-bench: $*" >&2; }
sql() {  # database [statement]: without one, the statements come on standard input
  local command=(); [ $# -gt 1 ] && command=(-c "$2")
  "$pgbin/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$pg" -p "$pg_port" -U clever -d "$1" "${command[@]}"
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }

# PostgreSQL: the superuser `clever`, trusted on the socket in its folder (what psql here
# uses), and the role `fleet` with a random password over TCP (what clever-sync uses), not
# a superuser: the slots kept for superusers let psql in when the daemons fill the rest.
mkdir -p "$pg"
(umask 077; head -c 24 /dev/urandom | base64 > "$pg/pwfile")  # initdb wants one; nothing uses it
[ "$(id -u)" = 0 ] && chown -R postgres: "$pg"
as_server_user "$pgbin/initdb" -D "$pg/data" -U clever --pwfile "$pg/pwfile" --auth-host=scram-sha-256 \
  --auth-local=trust --no-sync -E UTF8 --locale=C > "$pg/initdb.log" 2>&1 || { cat "$pg/initdb.log" >&2; exit 1; }
rm -f "$pg/pwfile"
for attempt in 1 2 3 4 5; do  # a free port can be taken before the server binds it
  port=$(free_port)
  if as_server_user "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w start -o "-p $port -k $pg \
      -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=$max_connections" > "$pg/pg_ctl.log" 2>&1 \
      && [ -S "$pg/.s.PGSQL.$port" ]; then pg_port=$port; break; fi
done
[ -n "$pg_port" ] || { say "PostgreSQL did not start"; cat "$pg/server.log" >&2; exit 1; }
postmaster=$(head -1 "$pg/data/postmaster.pid")
password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
echo "CREATE ROLE fleet LOGIN PASSWORD '$password'" | sql postgres  # on standard input: never in ps

# The QuickSchools server: every key serves the example school; every request stalls.
fixtures=()
width=$(( ${#profiles} > 4 ? ${#profiles} : 4 ))
name_of() { printf "school-%0${width}d" "$1"; }
for i in $(seq "$profiles"); do fixtures+=(--fixture "lincolnacademy.Fleet${i}SECRET=examples/lincoln-academy/school.ndjson"); done
rules=()
if [ "$stall" != 0 ]; then echo "[{\"path\": \"*\", \"stall\": $stall}]" > "$work/qs-rules.json"; rules=(--script "$work/qs-rules.json"); fi
python3 Tests/QuickSchoolsAPITests/Server/qs-server.py --port 0 "${fixtures[@]}" "${rules[@]}" > "$work/qs.port" 2> "$work/qs.log" &
qs_pid=$!
for _ in $(seq 600); do grep -q '^port=' "$work/qs.port" && break; sleep 0.1; done
qs_port=$(sed -n 's/^port=//p' "$work/qs.port")
[ -n "$qs_port" ] || { say "the QuickSchools server did not start"; cat "$work/qs.log" >&2; exit 1; }

# The profiles: each its key file, state folder and destination; history in PostgreSQL.
mkdir -p "$work/profiles" "$work/keys"
for i in $(seq "$profiles"); do
  name=$(name_of "$i")
  (umask 077; echo "lincolnacademy.Fleet${i}SECRET" > "$work/keys/$name.key")
  cat > "$work/profiles/$name.toml" <<EOF
time_zone = "UTC"
state_dir = "$work/state/$name"

[quickschools]
base_url = "http://127.0.0.1:$qs_port/sms/v1"
api_key_file = "$work/keys/$name.key"
rate = $rate

[mapping]

[sftp]
destination = "file://$work/clever/$name"

[history]
store = "postgresql"
EOF
done
first_profile=$work/profiles/$(name_of 1).toml

# Schedules every profile's one run: sets due (epoch seconds), add_seconds and overran.
schedule_runs() {  # database lead-seconds
  local db=$1 lead=$2 template started i
  started=$(now) overran=
  if [ "$schedule" = sql ]; then
    # One honest `schedule add`, copied: the same spec, createdAt and scheduledAt, the
    # Pending run as addPending inserts it.
    "$bin/clever-sync" schedule add --at "+${lead}s" --profile "$first_profile" > /dev/null
    template=$(sql "$db" "SELECT id FROM schedule")
    sql "$db" "INSERT INTO schedule (profile, spec, createdAt, active)
        SELECT 'school-' || lpad(i::text, $width, '0'), t.spec, t.createdAt, TRUE
        FROM generate_series(2, $profiles) i, schedule t WHERE t.id = $template ORDER BY i;
      INSERT INTO run (profile, \"trigger\", scheduleId, scheduledAt, status)
        SELECT s.profile, 'scheduled', s.id, r.scheduledAt, 'pending'
        FROM schedule s, run r WHERE r.scheduleId = $template AND s.id <> $template ORDER BY s.id"
    due=$(sql "$db" "SELECT extract(epoch FROM scheduledAt) FROM run WHERE scheduleId = $template")
  else
    # HH:MM is a whole minute: the first one after the adds (guessed at ADD_SECONDS each) and the lead.
    due=$(python3 -c "import math, sys; print(math.ceil(($started + $profiles * ${ADD_SECONDS:-0.15} + $lead) / 60) * 60)")
    for i in $(seq "$profiles"); do
      "$bin/clever-sync" schedule add --at "$(date -u -d "@$due" +%H:%M)" --on "$(date -u -d "@$due" +%F)" \
        --profile "$work/profiles/$(name_of "$i").toml" > /dev/null
    done
  fi
  add_seconds=$(echo "$(now) - $started" | bc | xargs printf '%.1f')
  (( $(echo "$(now) > $due" | bc) )) && overran=1
  return 0
}

rows=() notes=() best_wall='' best_cell='' load_start=$(cut -d' ' -f1-3 /proc/loadavg)
cells=$(( $(wc -w <<<"$daemon_counts") * $(wc -w <<<"$job_counts") ))
cell=0
for daemons in $daemon_counts; do
  for jobs in $job_counts; do
    cell=$((cell + 1))
    db=bench_$cell
    dir=$work/cell-$cell
    mkdir -p "$dir"
    rm -rf "$work/state" "$work/clever"
    for i in $(seq "$profiles"); do mkdir -p "$work/state/$(name_of "$i")" "$work/clever/$(name_of "$i")"; done
    sql postgres "CREATE DATABASE $db OWNER fleet"
    export CLEVER_SYNC_DATABASE_URL="postgresql://fleet:$password@127.0.0.1:$pg_port/$db?sslmode=disable"
    say "cell $cell/$cells: $daemons daemon(s) × --jobs $jobs: scheduling $profiles runs ($schedule)"
    schedule_runs "$db" $((10 + profiles / 50))
    say "scheduled in ${add_seconds}s; due at $(date -d "@$due" +%T)"
    python3 "$here/upload-watch.py" "$work/clever" "$dir/sets" > "$dir/watch.ready" & watcher=$!
    for _ in $(seq 600); do grep -q ready "$dir/watch.ready" && break; sleep 0.1; done
    pg_before=$(python3 "$here/tree-cpu.py" "$postmaster")
    qs_before=$(python3 "$here/tree-cpu.py" "$qs_pid")
    for k in $(seq "$daemons"); do
      args=(daemon --profiles "$work/profiles" --jobs "$jobs" --sftp-per-host "$jobs" --poll 5 --health-file "$dir/health.$k")
      [ -n "$lease" ] && args+=(--lease "$lease")
      # setsid: the daemon leads a session of its own, which a kill of last resort takes whole.
      CLEVER_SYNC_NODE=node-$k /usr/bin/time -f "%U %S" -o "$dir/cpu.$k" \
        setsid "$bin/clever-sync" "${args[@]}" > "$dir/daemon.$k.log" 2>&1 &
      time_pids+=($!)
    done
    for pid in "${time_pids[@]}"; do
      child=''
      for _ in $(seq 100); do child=$(pgrep -P "$pid" || true); [ -n "$child" ] && break; sleep 0.05; done
      [ -n "$child" ] || { say "a daemon did not start"; cat "$dir"/daemon.*.log >&2; exit 1; }
      daemon_pids+=("$child")
    done
    # Wait until every run is final; give up when none has ended for --idle seconds after the due time.
    last_final=0 last_change=$due ready_late='' outcome='' polls=0
    while :; do
      # (Empty when psql could not connect: asked again in a second.)
      IFS='|' read -r final open < <(sql "$db" "SELECT count(*) FILTER (WHERE status NOT IN ('pending', 'running')),
        count(*) FILTER (WHERE status IN ('pending', 'running')) FROM run") || true
      [ "$open" = 0 ] && break
      [ "$final" != "$last_final" ] && { last_final=$final; last_change=$(now); }
      if (( $(echo "$(now) - $last_change > $idle" | bc) )); then outcome="gave up: no run ended in ${idle}s"; break; fi
      alive=0
      for pid in "${daemon_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
      [ "$alive" = 0 ] && { outcome="every daemon ended"; break; }
      for k in $(seq "$daemons"); do
        if [ ! -e "$dir/ready.$k" ] && [ -e "$dir/health.$k" ]; then
          now > "$dir/ready.$k"
          (( $(echo "$(cat "$dir/ready.$k") > $due" | bc) )) && ready_late+=" node-$k $(echo "$(cat "$dir/ready.$k") - $due" | bc | xargs printf '%.1f')s"
        fi
      done
      (( polls++ % 10 == 0 )) && say "$final of $profiles runs final"
      sleep 1
    done
    stop_daemons
    kill "$watcher"; wait "$watcher" || true; watcher=''
    sleep 0.5  # PostgreSQL reaps the closed connections' processes
    pg_cpu=$(echo "$(python3 "$here/tree-cpu.py" "$postmaster") - $pg_before" | bc | xargs printf '%.1f')
    qs_cpu=$(echo "$(python3 "$here/tree-cpu.py" "$qs_pid") - $qs_before" | bc | xargs printf '%.1f')
    daemon_cpu=$(for k in $(seq "$daemons"); do tail -1 "$dir/cpu.$k"; done | awk '{u += $1; s += $2} END {printf "%.1f", u + s}')

    IFS='|' read -r succeeded other wall peak < <(sql "$db" "
      SELECT count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status <> 'succeeded'),
        coalesce(round(extract(epoch FROM max(endedAt) - min(scheduledAt))::numeric, 1)::text, '-'),
        (SELECT coalesce(max(n), 0) FROM (SELECT sum(d) OVER (ORDER BY t, d ROWS UNBOUNDED PRECEDING) n FROM (
          SELECT startedAt t, 1 d FROM run WHERE startedAt IS NOT NULL
          UNION ALL SELECT endedAt, -1 FROM run WHERE startedAt IS NOT NULL AND endedAt IS NOT NULL) e) c)
      FROM run") || true
    statuses=$(sql "$db" "SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) n FROM run
      WHERE status <> 'succeeded' GROUP BY status ORDER BY status) s")
    one=$(awk '$1 != "overflow" && $2 == 1' "$dir/sets" | wc -l)
    none=$(awk '$1 != "overflow" && $2 == 0 {print $1}' "$dir/sets")
    twice=$(awk '$1 != "overflow" && $2 >= 2 {print $1 " (" $2 ")"}' "$dir/sets")
    rows+=("| $daemons | $jobs | $wall | $succeeded | $other | $one / $(grep -c . <<<"$none" || true) / $(grep -c . <<<"$twice" || true) \
| $daemon_cpu | $pg_cpu | $qs_cpu | $peak |")
    say "result: ${rows[-1]}"  # as it comes: a cell that ends the script early loses no other
    cell_notes=()
    [ -n "$outcome" ] && cell_notes+=("$outcome")
    [ -n "$statuses" ] && cell_notes+=("not Succeeded: $statuses")
    [ -n "$none" ] && cell_notes+=("no set: $(head -5 <<<"$none" | xargs)$( (( $(wc -l <<<"$none") > 5 )) && echo ' ...')")
    [ -n "$twice" ] && cell_notes+=("more than one set: $(head -5 <<<"$twice" | paste -sd ' ')")
    grep -q '^overflow' "$dir/sets" && cell_notes+=("inotify $(grep '^overflow' "$dir/sets"): set counts too low")
    refused=$(cat "$dir"/daemon.*.log | grep -c 'SQLSTATE 53300' || true)
    [ "$refused" != 0 ] && cell_notes+=("PostgreSQL refused $refused connections (too many clients): raise --max-connections")
    [ -n "$ready_late" ] && cell_notes+=("daemons ready after the due time:$ready_late")
    [ -n "$overran" ] && cell_notes+=("the adds overran the due time (raise ADD_SECONDS)")
    cell_notes+=("scheduling took ${add_seconds}s")
    notes+=("- $daemons × $jobs: $(IFS=';'; echo "${cell_notes[*]}" | sed 's/;/; /g')")
    if [ "$succeeded" = "$profiles" ] && [ "$one" = "$profiles" ] && [ "$wall" != - ] \
      && { [ -z "$best_wall" ] || (( $(echo "$wall < $best_wall" | bc) )); }; then
      best_wall=$wall best_cell="$daemons daemon(s) × --jobs $jobs"
    fi
    if [ -n "$outcome" ]; then say "cell $cell: $outcome"; tail -5 "$dir"/daemon.*.log >&2; fi
  done
done

echo "Fleet benchmark: $profiles profiles, stall ${stall}s a request, rate $rate, --poll 5, schedules by $schedule$([ -n "$lease" ] && echo ", --lease $lease")"
echo
echo "| daemons | --jobs | wall s | Succeeded | other | sets 1 / 0 / 2+ | daemons CPU s | PostgreSQL CPU s | QS server CPU s | most at once |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
printf '%s\n' "${notes[@]}"
echo
echo "nproc: $(nproc); load average at the start: $load_start, at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$best_wall" ]; then
  echo "best: $best_cell: $(echo "3600 * $profiles / $best_wall" | bc) schools per hour (3600 × $profiles / ${best_wall}s)"
else
  echo "best: none (no cell ran every profile once, each Succeeded)"
fi
