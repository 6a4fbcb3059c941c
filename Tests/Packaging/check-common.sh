# Shared by check-install.sh and check-deb.sh (sourced): counting checks, and the three
# things both try on installed tools: the version, bash's completion, a whole run.

checks=0
problems=0
# check DESCRIPTION COMMAND...: runs the command; a failure is counted and said.
check() {
  local description=$1
  shift
  checks=$((checks + 1))
  if "$@"; then
    echo "$check_name: ok: $description"
  else
    problems=$((problems + 1))
    echo "$check_name: FAILED: $description" >&2
  fi
}

# Ends the script: status 1 when a check failed.
finish() {
  if [ "$problems" -gt 0 ]; then
    echo "$check_name: $problems of $checks checks failed" >&2
    exit 1
  fi
  echo "$check_name: all $checks checks passed"
}

# The version the sources give every tool.
source_version() {
  sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/StageCLI/ToolVersion.swift
}

# prints_version TOOL: the tool runs and prints the sources' version.
prints_version() {
  [ "$("$1" --version)" = "$(source_version)" ]
}

# completes_sched SETUP: in a clean bash, after SETUP (which loads clever-sync's
# completion), the function bound to clever-sync completes `clever-sync sched` to
# `schedule` and nothing else, as a tab would.
completes_sched() {
  local offered
  offered=$(bash --norc --noprofile -c "$1"'
    spec=$(complete -p clever-sync) || exit 1
    function=$(sed -E "s/.* -F ([^ ]+) .*/\1/" <<<"$spec")
    COMP_WORDS=(clever-sync sched); COMP_CWORD=1
    COMP_LINE="clever-sync sched"; COMP_POINT=${#COMP_LINE}
    "$function" clever-sync sched clever-sync
    printf "%s\n" "${COMPREPLY[@]}"')
  [ "$offered" = schedule ] || { echo "offered: '$offered'" >&2; return 1; }
}

# whole_run_finds_stages CLEVER_SYNC FOLDER [USER]: a whole run (replayed example dump,
# upload to a local folder) by the installed clever-sync with PATH pointing nowhere, so
# every stage must be found beside it; FOLDER holds the profile, the state and the
# destination; as USER when given.
whole_run_finds_stages() {
  local sync=$1 folder=$2 user=${3:-}
  mkdir -p "$folder/clever"
  cp -r examples/lincoln-academy/dump "$folder/dump"
  cat >"$folder/check.toml" <<TOML
time_zone = "America/Chicago"
state_dir = "$folder/state"

[quickschools]
from_dump = "$folder/dump"

[sftp]
destination = "file://$folder/clever"
TOML
  local -a as=()
  if [ -n "$user" ]; then
    chown -R "$user:$user" "$folder"
    as=(runuser -u "$user" --)
  fi
  if ! (cd / && "${as[@]}" env PATH=/nonexistent HOME="$folder" "$sync" run --profile "$folder/check.toml") \
    >"$folder/run.log" 2>&1; then
    cat "$folder/run.log" >&2
    return 1
  fi
  [ -s "$folder/clever/students.csv" ]
}
