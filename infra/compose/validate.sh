#!/usr/bin/env bash
# Validates docker-compose.yml with a real compose parser (no Docker engine needed):
#   1. `docker-compose config -q` (or `docker compose config -q` when the plugin is present)
#   2. every image (docker-compose.yml after interpolation, and FROM lines in infra/Dockerfile)
#      carries an explicit tag or digest, and no tag is `latest`.
# Installs Debian's docker-compose package when no compose is available and we run as root.
# Usage (from anywhere; works non-interactively in CI):  bash infra/compose/validate.sh
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
compose_file="docker-compose.yml"
dockerfile="infra/Dockerfile"

fail() { echo "validate: FAIL: $*" >&2; exit 1; }

[ -f "$compose_file" ] || fail "$compose_file not found in $repo_root"

# --- find (or install) a compose implementation -------------------------------------------
compose=()
if command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "validate: docker-compose not found; installing Debian's docker-compose package"
  apt-get update -qq </dev/null >/dev/null \
    || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends docker-compose </dev/null >/dev/null \
    || fail "apt-get install docker-compose failed"
  command -v docker-compose >/dev/null 2>&1 || fail "docker-compose still not on PATH after install"
  compose=(docker-compose)
else
  fail "docker-compose is not installed and cannot be installed automatically (needs root and apt-get); install 'docker-compose' (Debian package) or the Docker compose plugin"
fi
echo "validate: using $("${compose[@]}" version 2>/dev/null | head -n 1)"

# --- 1. parse + schema-validate -----------------------------------------------------------
if ! "${compose[@]}" -f "$compose_file" config -q </dev/null; then
  fail "'${compose[*]} -f $compose_file config -q' rejected the file"
fi
echo "validate: ok: '${compose[*]} -f $compose_file config -q' accepted $compose_file"

# --- 2. image tags -------------------------------------------------------------------------
# Read images from the resolved config so ${VAR:-default} interpolation is applied.
resolved="$("${compose[@]}" -f "$compose_file" config </dev/null)" \
  || fail "'${compose[*]} config' failed"
mapfile -t images < <(printf '%s\n' "$resolved" \
  | sed -n -E 's/^[[:space:]]+image:[[:space:]]*//p' \
  | sed -E "s/^['\"]//; s/['\"][[:space:]]*$//; s/[[:space:]]+$//" \
  | sort -u)
[ "${#images[@]}" -gt 0 ] || fail "no images found in $compose_file"

if [ -f "$dockerfile" ]; then
  mapfile -t from_images < <(sed -n -E 's/^[[:space:]]*FROM[[:space:]]+(--[^[:space:]]+[[:space:]]+)*([^[:space:]]+).*/\2/Ip' "$dockerfile" | sort -u)
  stages=" $(sed -n -E 's/^[[:space:]]*FROM[[:space:]].*[[:space:]]AS[[:space:]]+([^[:space:]]+).*/\1/Ip' "$dockerfile" | tr '\n' ' ') "
  for ref in "${from_images[@]}"; do
    case "$stages" in *" $ref "*) continue ;; esac   # FROM <earlier stage>
    images+=("$ref  ($dockerfile)")
  done
fi

bad=0
for entry in "${images[@]}"; do
  ref="${entry%%  (*}"
  case "$ref" in
    *'$'*)      echo "validate: image '$entry' still contains a variable reference" >&2; bad=1; continue ;;
    *@sha256:*) echo "validate: ok: $entry (digest)"; continue ;;
  esac
  last="${ref##*/}"                      # tag lives in the last path component (registry may have :port)
  if [[ "$last" != *:* ]]; then
    echo "validate: image '$entry' has no explicit tag" >&2; bad=1
  elif [ "${last##*:}" = "latest" ] || [ -z "${last##*:}" ]; then
    echo "validate: image '$entry' uses tag '${last##*:}' (must be a pinned version)" >&2; bad=1
  else
    echo "validate: ok: $entry"
  fi
done
[ "$bad" -eq 0 ] || fail "unpinned image references (see above)"

echo "validate: PASS ($compose_file: config valid, ${#images[@]} image references pinned)"
