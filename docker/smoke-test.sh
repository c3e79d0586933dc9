#!/usr/bin/env bash
# Container smoke test: follows the README's Docker steps and proves, over HTTP,
# that the stack started by docker-compose.yml adds and lists phrases, keeps
# them across a restart, runs the app as a non-root user and refuses to start
# without DATABASE_URL.
#
# Usage (from anywhere; needs Docker with Compose v2, curl, and Maven + JDK
# unless SKIP_BUILD=1; as root, a missing curl is installed with apt-get):
#   docker/smoke-test.sh             full test: ./mvnw ... jib:dockerBuild, then the stack
#   docker/smoke-test.sh --db-only   only the db service (no app image needed)
#
# Environment:
#   SKIP_BUILD=1            use the existing images (no ./mvnw, no compose build)
#   JIB_FROM=docker://...   base image for Jib (e.g. a local stand-in, see README)
#   PHRASEBOOK_PORT=N       host port for the app (default: first free from 18080)
#   SMOKE_PROJECT=NAME      Compose project (default phrasebook-smoke); deliberately
#                           not COMPOSE_PROJECT_NAME, which a user may have exported
#                           for their own stack (project "phrasebook"): this script
#                           runs `down -v` on its project and must never touch theirs
#   SMOKE_TIMEOUT=S         bound for each wait (default 180)
#
# Safe to run again and again, also after an interrupted run, and from CI: it
# creates ./secrets/*.txt only if they are missing (as the README says) and
# deletes again the ones it created; on every exit (also Ctrl-C or SIGTERM) it
# runs `docker compose down -v` for its own project and removes its one-off
# container and temporary files. Images stay, so the next run builds faster.
# Output: one PASS/FAIL line per check, then "smoke: PASS|FAIL (N passed, M
# failed)"; the exit status is non-zero when anything failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DB_ONLY=0
case "${1:-}" in
    --db-only) DB_ONLY=1 ;;
    "") ;;
    *) echo "usage: $0 [--db-only]" >&2; exit 2 ;;
esac

PROJECT=${SMOKE_PROJECT:-phrasebook-smoke}
[[ $PROJECT != phrasebook ]] || { echo "FAIL: SMOKE_PROJECT must not be 'phrasebook' (the README's own stack)" >&2; exit 2; }
TIMEOUT=${SMOKE_TIMEOUT:-180}
WEB_IMAGE=phrasebook-web:latest
# Only docker-compose.yml: a user's git-ignored docker-compose.override.yml (for
# example one publishing the database port) must not change what is tested.
compose=(docker compose --ansi never -p "$PROJECT" -f docker-compose.yml)
# The one container started outside compose, named so a later run can remove it.
ONE_OFF=$PROJECT-no-database-url

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
# A failure that makes the remaining checks meaningless.
die()  { fail "$*"; exit 1; }
info() { echo "---- $*"; }

# Everything this run created and must remove again.
created_secrets=() created_secrets_dir=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/phrasebook-smoke.XXXXXX")

# Removes what this run created; the same steps also clear what an
# interrupted earlier run left (all of them tolerate "nothing to remove").
remove_stack() {
    docker rm -f "$ONE_OFF" >/dev/null 2>&1 || true
    "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
}

# The script's own stdout and stderr: a signal can run cleanup while a
# command's output is redirected (see quiet), and the summary must not get lost.
exec 8>&1 9>&2
cleanup() {
    local rc=$? f left
    trap - EXIT INT TERM
    exec 1>&8 2>&9
    if ((failed > 0)) && "${compose[@]}" ps -aq 2>/dev/null | grep -q .; then
        info "logs of the failed run (last 60 lines per service)"
        "${compose[@]}" logs --no-color --tail 60 2>&1 || true
    fi
    info "docker compose down -v (project $PROJECT)"
    remove_stack
    left=$("${compose[@]}" ps -aq 2>/dev/null; docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT" 2>/dev/null) || true
    [[ -z $left ]] || fail "containers or volumes of project $PROJECT are left: $left"
    for f in ${created_secrets[@]+"${created_secrets[@]}"}; do rm -f "$f"; done
    ((created_secrets_dir == 0)) || rmdir secrets 2>/dev/null || true
    rm -rf "$tmp"
    if ((failed > 0 && rc == 0)); then rc=1; fi
    if ((rc == 0)); then
        echo "smoke: PASS ($passed passed, $failed failed)"
    else
        echo "smoke: FAIL ($passed passed, $failed failed, exit $rc)"
    fi
    exit "$rc"
}
trap cleanup EXIT
# A signal ends the run through cleanup (exit status 128 + signal number).
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- preflight -------------------------------------------------------------
if ! command -v curl >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    info "installing curl with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends curl ca-certificates; } >/dev/null 2>&1 || true
fi
command -v curl >/dev/null || die "curl is required"
docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info; on the stand-in: eval \"\$(standin.sh env)\")"
docker compose version >/dev/null 2>&1 || die "Docker Compose v2 (docker compose) is required"

# A free loopback port: nothing accepts a connection on it.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -z ${PHRASEBOOK_PORT:-} ]]; then
    for p in $(seq 18080 18180); do
        if port_free "$p"; then PHRASEBOOK_PORT=$p; break; fi
    done
fi
[[ -n ${PHRASEBOOK_PORT:-} ]] || die "no free port found in 18080-18180 (set PHRASEBOOK_PORT)"
export PHRASEBOOK_PORT PHRASEBOOK_BIND=127.0.0.1
base="http://127.0.0.1:$PHRASEBOOK_PORT"
info "project $PROJECT, app at $base"

# Leftovers of an interrupted earlier run of this same project.
remove_stack

# Runs a command with its output kept aside; shows the end of it if it fails.
quiet() {
    local rc=0
    "$@" >"$tmp/out" 2>&1 || rc=$?
    if ((rc != 0)); then tail -n 80 "$tmp/out" | sed 's/^/    /'; fi
    return "$rc"
}

# ---- README steps: secrets, build, up --------------------------------------
# Created only when missing, and then deleted at the end; readable files (the
# containers' users read them through bind mounts) in a private directory.
[[ -d secrets ]] || { mkdir secrets; created_secrets_dir=1; }
chmod 700 secrets
for name in postgres_password db_password; do
    f=secrets/$name.txt
    if [[ ! -s $f ]]; then
        created_secrets+=("$f")
        (umask 022; openssl rand -base64 24 >"$f" 2>/dev/null || head -c 18 /dev/urandom | base64 >"$f")
        info "created $f (removed again at the end)"
    fi
done

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    if ((DB_ONLY == 0)); then
        info "./mvnw -B -q -Pimage-class-cache package jib:dockerBuild${JIB_FROM:+ -Djib.from.image=$JIB_FROM} -DskipTests"
        quiet ./mvnw -B -q -Pimage-class-cache package jib:dockerBuild ${JIB_FROM:+"-Djib.from.image=$JIB_FROM"} -DskipTests ||
            die "./mvnw -Pimage-class-cache package jib:dockerBuild"
    fi
    quiet "${compose[@]}" build db || die "docker compose build db"
    pass "images built"
fi
if ((DB_ONLY == 0)); then
    docker image inspect "$WEB_IMAGE" >/dev/null 2>&1 ||
        die "image $WEB_IMAGE is missing (run ./mvnw -Pimage-class-cache package jib:dockerBuild, or drop SKIP_BUILD)"
fi

services=()
((DB_ONLY == 0)) || services=(db)

# `timeout` where it exists (not on stock macOS); the waits below are bounded anyway.
bounded() { if command -v timeout >/dev/null; then timeout "$@"; else shift; "$@"; fi; }

# `up --wait` returns once db is healthy and web passes its health check.
# (${a[@]+...} keeps an empty array safe under set -u in bash 3.2.)
up() {
    local what="docker compose up -d --wait${services[*]+ ${services[*]}} ($1)"
    quiet bounded "$TIMEOUT" "${compose[@]}" up -d --wait ${services[@]+"${services[@]}"} || die "$what"
    pass "$what"
}

wait_ready() {
    local deadline=$((SECONDS + TIMEOUT)) code
    while ((SECONDS < deadline)); do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/readyz" || true)
        if [[ $code == 200 ]]; then pass "GET /readyz is 200 ($1)"; return; fi
        sleep 1
    done
    die "GET /readyz did not answer 200 within ${TIMEOUT}s ($1; last status ${code:-none})"
}

# psql inside the db container, as the superuser over the socket.
db_sql() { "${compose[@]}" exec -T db psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d phrasebook -c "$1"; }
# ... and as the app role over TCP with the password from the mounted secret,
# as the app connects (the password never appears on a command line).
app_sql() {
    # shellcheck disable=SC2016 # expanded by the container's shell
    "${compose[@]}" exec -T db bash -c \
        'PGPASSWORD=$(< /run/secrets/db_password) exec psql -X -qAt -v ON_ERROR_STOP=1 -h 127.0.0.1 -U phrasebook -d phrasebook -c "$1"' \
        app_sql "$1"
}

expect_eq() { # description, expected, actual
    if [[ $3 == "$2" ]]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

up "first start"

# ---- database checks -------------------------------------------------------
expect_eq "app role is not superuser and cannot create databases or roles" "f|f|f|t" \
    "$(db_sql "select rolsuper, rolcreatedb, rolcreaterole, rolcanlogin from pg_roles where rolname = 'phrasebook'" || true)"
expect_eq "fsync and synchronous_commit are on" "on|on" \
    "$(db_sql "select current_setting('fsync') || '|' || current_setting('synchronous_commit')" || true)"
expect_eq "app role logs in over TCP with the db_password secret" "phrasebook|public" \
    "$(app_sql "select current_user || '|' || current_schema()" || true)"
db_port=$("${compose[@]}" port db 5432 2>/dev/null || true)
if [[ -z $db_port || $db_port == ":0" ]]; then pass "database port is not published"; else fail "database port is published: $db_port"; fi

if ((DB_ONLY == 1)); then
    if app_sql "create table smoke_check (t text); insert into smoke_check values ('kept')" >/dev/null; then
        pass "app role can create a table in its schema"
    else
        fail "app role can create a table in its schema"
    fi
    quiet "${compose[@]}" down || die "docker compose down"
    up "after down"
    expect_eq "a committed row survives down/up" "kept" "$(app_sql "select t from smoke_check" || true)"
    exit 0
fi

# ---- web checks ------------------------------------------------------------
web_port=$("${compose[@]}" port web 8080 2>/dev/null || true)
expect_eq "app port is published on loopback only" "127.0.0.1:$PHRASEBOOK_PORT" "$web_port"

wait_ready "first start"

# The admin listener (metrics) is for the Compose network only.
admin_port=$("${compose[@]}" port web 9464 2>/dev/null || true)
if [[ -z $admin_port || $admin_port == ":0" ]]; then pass "admin port 9464 is not published"; else fail "admin port is published: $admin_port"; fi
# shellcheck disable=SC2016 # expanded by the container's bash (the image has no curl)
metrics=$("${compose[@]}" exec -T web bash -c \
    'exec 3<>/dev/tcp/127.0.0.1/9464 && printf "GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && cat <&3' 2>/dev/null || true)
if grep -q '^phrasebook_phrases_added_total{way="path"}' <<<"$metrics" && grep -q '^hikaricp_connections_active' <<<"$metrics"; then
    pass "GET /metrics on the admin port answers inside the Compose network"
else
    fail "GET /metrics on the admin port: ${metrics:0:300}"
fi

hdr=$tmp/headers
# GET/POST, prints "status location" and leaves headers in $hdr.
http() {
    local code loc
    code=$(curl -sS -o /dev/null -D "$hdr" -w '%{http_code}' --max-time 10 "$@") || true
    loc=$(tr -d '\r' <"$hdr" | sed -n 's/^[Ll]ocation: *//p' | tail -n 1)
    echo "${code:-000} $loc"
}
# A 303 to /?added=<id>, relative or absolute on this server.
added_re="^303 ($base)?/\?added=[0-9]+$"

r=$(http "$base/Gracias")
if [[ $r =~ $added_re ]]; then pass "GET /Gracias answers $r"; else fail "GET /Gracias: expected 303 to /?added=<id>, got '$r'"; fi
added_page=${r#303 }
added_page=${added_page#"$base"}

phrase2="hola mundo ñandú"
r=$(http -X POST --data-urlencode "text=$phrase2" \
    -H "Origin: $base" -H "Sec-Fetch-Site: same-origin" "$base/phrases")
if [[ $r =~ $added_re ]]; then pass "POST /phrases (same origin) answers $r"; else fail "POST /phrases: expected 303 to /?added=<id>, got '$r'"; fi

if [[ $added_page == /\?added=* ]]; then
    body=$(curl -sS --max-time 10 "$base$added_page" || true)
    if grep -qF "Gracias" <<<"$body"; then pass "GET $added_page shows the added phrase"; else fail "GET $added_page does not show Gracias"; fi
fi

check_listed() { # when
    local page api
    page=$(curl -sS --max-time 10 "$base/" || true)
    if grep -qF "Gracias" <<<"$page" && grep -qF "$phrase2" <<<"$page"; then
        pass "GET / lists both phrases ($1)"
    else
        fail "GET / does not list 'Gracias' and '$phrase2' ($1)"
    fi
    api=$(curl -sS --max-time 10 "$base/api/phrases" || true)
    if grep -qE "\"text\" *: *\"Gracias\"" <<<"$api" && grep -qE "\"text\" *: *\"$phrase2\"" <<<"$api"; then
        pass "GET /api/phrases lists both phrases ($1)"
    else
        fail "GET /api/phrases does not list both phrases ($1): ${api:0:300}"
    fi
}
check_listed "first start"

# ---- live updates: an add is announced by the database image to the stream ----
live=$tmp/live
curl -sS -N --max-time 6 "$base/api/phrases/stream" >"$live" 2>/dev/null &
live_pid=$!
sleep 1
phrase3="en directo $$"
r=$(http -X POST -H 'Content-Type: application/json' --data "{\"text\":\"$phrase3\"}" "$base/api/phrases")
wait "$live_pid" || true
if [[ $r == 201* ]] && grep -qF "\"text\":\"$phrase3\"" "$live"; then
    pass "GET /api/phrases/stream sends an add as it happens"
else
    fail "GET /api/phrases/stream: add answered '$r'; the stream got: $(head -c 300 "$live" | tr '\n' ' ')"
fi

expect_eq "Flyway created table phrase in schema public, owned by the app role" "phrasebook" \
    "$(db_sql "select tableowner from pg_tables where schemaname = 'public' and tablename = 'phrase'" || true)"

# ---- restart: the named volume keeps every acknowledged add ----------------
quiet "${compose[@]}" down || die "docker compose down"
pass "docker compose down (volume kept)"
up "after down"
wait_ready "after down"
check_listed "after down/up"

# ---- the app runs as a non-root numeric user -------------------------------
user=$(docker image inspect --format '{{.Config.User}}' "$WEB_IMAGE")
if [[ $user =~ ^[1-9][0-9]*(:[0-9]+)?$ ]]; then
    pass "image $WEB_IMAGE runs as numeric non-root user '$user'"
else
    fail "image $WEB_IMAGE user is '${user:-<empty, i.e. root>}', expected a numeric non-root uid"
fi
cid=$("${compose[@]}" ps -q web | head -n 1)
uids=$(docker top "$cid" -o pid,uid 2>/dev/null | awk 'NR > 1 { print $2 }' | sort -u | paste -sd ' ' -)
if [[ -n $uids && ! " $uids " =~ " 0 " ]]; then
    pass "web container processes run as uid $uids"
else
    fail "web container processes run as uid '${uids:-unknown}'"
fi

# ---- the heap follows the container's memory limit --------------------------
limit=$(docker inspect --format '{{.HostConfig.Memory}}' "$cid")
expect_eq "web container has a memory limit of 256 MiB" 268435456 "$limit"
# The image's own entry point in a 256 MiB container; the JVM prints its final flags,
# then the app stops for want of DATABASE_URL.
flags=$(bounded 60 docker run --rm --name "$ONE_OFF" --network none --memory 256m \
    -e JAVA_TOOL_OPTIONS=-XX:+PrintFlagsFinal "$WEB_IMAGE" 2>&1 || true)
heap=$(awk '$2 == "MaxHeapSize" { print $4 }' <<<"$flags")
gc=$(awk '$2 == "UseSerialGC" { print $4 }' <<<"$flags")
expect_eq "the JVM's heap in a 256 MiB container is a quarter of it (64 MiB)" 67108864 "$heap"
expect_eq "the JVM uses the settings of /app/jvm.options (serial collector)" true "$gc"

# ---- the image's class cache, made by its own JVM (-Pimage-class-cache) ----
archive=/app/phrasebook.jsa
if docker inspect --format '{{json .Config.Entrypoint}}' "$WEB_IMAGE" | grep -q -- "-XX:SharedArchiveFile=$archive"; then
    pass "the entry point names the image's class cache ($archive)"
else
    fail "the entry point does not name $archive: $(docker inspect --format '{{json .Config.Entrypoint}}' "$WEB_IMAGE")"
fi
# -Xshare:on makes the JVM stop rather than run without the archive: this passes only when
# the archive fits this JVM, its settings and the image's class path.
out=$(bounded 60 docker run --rm --name "$ONE_OFF" --network none --entrypoint java "$WEB_IMAGE" @/app/jvm.options \
    -Xshare:on "-XX:SharedArchiveFile=$archive" -cp @/app/jib-classpath-file org.phrasebook.Main --version 2>&1) && rc=0 || rc=$?
if ((rc == 0)); then
    pass "the image's JVM maps its class cache: $out"
else
    fail "the image's JVM cannot use its class cache (exit $rc): ${out:0:300}"
fi

# ---- without DATABASE_URL the image stops at once with one clear line ------
start=$SECONDS
out=$(bounded 60 docker run --rm --name "$ONE_OFF" --network none "$WEB_IMAGE" 2>&1) && rc=0 || rc=$?
took=$((SECONDS - start))
if ((rc != 0 && rc != 124 && took <= 30)) && grep -q "DATABASE_URL" <<<"$out"; then
    pass "without DATABASE_URL the image exits with status $rc in ${took}s: $(grep -m1 DATABASE_URL <<<"$out")"
else
    fail "without DATABASE_URL: expected a quick non-zero exit naming DATABASE_URL, got status $rc after ${took}s: ${out:0:300}"
fi
