#!/usr/bin/env bash
# Runs a job in Haul's job panel from the command line: creates a task, does its steps,
# reports progress with details after each, obeys pause and cancel from the panel, and
# completes it (or fails it when a step fails). Needs bash and curl only.
#
#   docs/job-script.sh "Nightly backup" 10     (a name without double quotes)
#
# HAUL_URL    the local API          (default http://127.0.0.1:8181)
# HAUL_TOKEN  the API token          (default: read from HAUL_DATA_DIR/api-token)
# STEP_SECONDS how long a step takes  (default 1; the "work" here is a sleep)
set -euo pipefail

name="${1:-Example job}"
steps="${2:-5}"
url="${HAUL_URL:-http://127.0.0.1:8181}"
token="${HAUL_TOKEN:-$(cat "${HAUL_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/haul}/api-token")}"
step_seconds="${STEP_SECONDS:-1}"

# POST a JSON body; prints the answer, fails (with Haul's message) on an error status.
# The token goes to curl on its standard input: other users of the machine can read a
# command line.
post() {
  local answer
  answer="$(curl -sS -w '\n%{http_code}' -X POST "$url$1" \
    -H @- -H 'Content-Type: application/json' -d "$2" <<<"Authorization: Bearer $token")"
  local status="${answer##*$'\n'}"
  answer="${answer%$'\n'*}"
  if [ "$status" -ge 400 ]; then
    echo "Haul answered $status: $answer" >&2
    return 1
  fi
  printf '%s' "$answer"
}

# One string field of a task answer (its last occurrence on the line: jobId comes last).
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<<"$2" | head -n 1; }

# Every report is also a heartbeat: Haul fails the task as stalled after 60 s of silence.
task="$(post /v1/jobs "{\"name\":\"$name\",\"type\":\"example\",\"source\":\"job-script.sh\",\"heartbeatSec\":60,\"start\":true,\"metadata\":{\"steps\":$steps}}")"
id="$(field jobId "$task")"
echo "task $id"
trap 'post "/v1/jobs/$id/fail" "{\"message\":\"step $step failed\"}" >/dev/null || true' ERR

# What the panel asked for: go on, wait while paused, stop when cancelled.
obey() {
  local control
  control="$(field control "$1")"
  while [ "$control" = pause ]; do
    sleep 1
    control="$(field control "$(post "/v1/jobs/$id/progress" '{}')")"
  done
  if [ "$control" = cancel ]; then
    echo "cancelled from Haul"
    exit 130
  fi
}

step=0
for ((step = 1; step <= steps; step++)); do
  sleep "$step_seconds" # the real work of one step goes here
  answer="$(post "/v1/jobs/$id/progress" \
    "{\"progress\":$((step * 100 / steps)),\"message\":\"Step $step of $steps\",\"metadata\":{\"step\":$step}}")"
  obey "$answer"
done

post "/v1/jobs/$id/complete" "{\"result\":{\"steps\":$steps}}" >/dev/null
echo "completed"
