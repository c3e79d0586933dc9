#!/usr/bin/env bash
# Lints the container files: docker-compose.yml with Compose v2 and with
# Debian 12's docker-compose 1.29 (both must accept it), the database
# Dockerfile with dockerfile-utils, and the shell scripts with shellcheck.
# Needs no Docker engine (`compose config` only parses).
#
# Usage: docker/lint.sh      (from anywhere; prints PASS/FAIL/SKIP lines, then
# "lint: PASS|FAIL (...)"; exits non-zero on any FAIL)
# As root, missing Debian tools (docker-compose, shellcheck, npm) are installed
# with apt-get; otherwise they are reported as SKIP (npm: FAIL). The npm linter
# is run with npx at a pinned version (downloaded once into the npm cache).
# Creates no containers, volumes or files in the checkout: safe to repeat.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Pinned: a linter update must not change a green build by itself.
DOCKERFILE_UTILS=dockerfile-utils@0.16.3

COMPOSE_FILE_PATH=docker-compose.yml
DOCKERFILE=docker/postgres/Dockerfile
SCRIPTS=(docker/lint.sh docker/smoke-test.sh docker/postgres/initdb/*.sh)

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $*"; }

# run "description" command...: PASS if it exits 0 and prints nothing to
# stdout or stderr (linters that only warn still print), else FAIL with output.
run() {
    local what=$1 out rc
    shift
    out=$("$@" 2>&1) && rc=0 || rc=$?
    if ((rc == 0)) && [[ -z $out ]]; then
        pass "$what"
    else
        fail "$what (exit $rc)"
        printf '%s\n' "$out" | sed 's/^/    /'
    fi
}

# Installs a Debian package when its command is missing, if we may.
ensure_apt() { # command package
    command -v "$1" >/dev/null && return 0
    [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null || return 1
    echo "---- installing $2 with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "$2" >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends "$2" >/dev/null 2>&1; }
    command -v "$1" >/dev/null
}

# ---- compose file ------------------------------------------------------------
# Neither parser needs the secret files to exist, nor an engine.
if docker compose version >/dev/null 2>&1; then
    run "docker compose config -q" docker compose -f "$COMPOSE_FILE_PATH" config -q
    # Scaling relies on a host port range; make sure it still parses.
    run "docker compose config -q with PHRASEBOOK_PORT=8080-8089" \
        env PHRASEBOOK_PORT=8080-8089 docker compose -f "$COMPOSE_FILE_PATH" config -q
else
    fail "docker compose (v2 plugin) is not installed (on the stand-in engine: eval \"\$(../shared/docker-standin/standin.sh env)\")"
fi

if ensure_apt docker-compose docker-compose; then
    run "docker-compose $(docker-compose version --short 2>/dev/null) config -q" \
        docker-compose -f "$COMPOSE_FILE_PATH" config -q
else
    skip "docker-compose (v1) is not installed and cannot be installed here (not root)"
fi

# Rules the parsers do not enforce (see the header of docker-compose.yml).
policy() { # description, pattern that must not match
    if grep -nE "$2" "$COMPOSE_FILE_PATH"; then fail "$1"; else pass "$1"; fi
}
policy "compose: no 'version:' key" '^version:'
policy "compose: no top-level 'name:' (compose v1)" '^name:'
policy "compose: no container_name (blocks replicas)" '^[[:space:]]+container_name:'
policy "compose: no start_interval (compose v1)" 'start_interval:'
policy "compose: never pulls on every up" 'pull_policy:[[:space:]]*always'

# ---- Dockerfile --------------------------------------------------------------
if grep -nE '^#[[:space:]]*syntax=' "$DOCKERFILE"; then
    fail "Dockerfile: no '# syntax=' line (it would pull a frontend image)"
else
    pass "Dockerfile: no '# syntax=' line"
fi
if ensure_apt npx npm; then
    run "$DOCKERFILE_UTILS lint $DOCKERFILE" npx --yes "$DOCKERFILE_UTILS" lint "$DOCKERFILE"
else
    fail "npx (Node.js) is needed for $DOCKERFILE_UTILS"
fi

# ---- shell scripts -----------------------------------------------------------
if ensure_apt shellcheck shellcheck; then
    run "shellcheck ${SCRIPTS[*]}" shellcheck "${SCRIPTS[@]}"
else
    skip "shellcheck is not installed"
fi

if ((failed == 0)); then
    echo "lint: PASS ($passed passed, $failed failed, $skipped skipped)"
else
    echo "lint: FAIL ($passed passed, $failed failed, $skipped skipped)"
    exit 1
fi
