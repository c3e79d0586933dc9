#!/usr/bin/env bash
# Phrasebook's benchmark, one command: bench/run.sh
#
# Starts a private PostgreSQL 15 cluster and the app's runnable jar on loopback, loads
# them with wrk (16 connections, 2 threads), measures the ceiling with pgbench running the
# exact SQL the app sends, and prints one table of ratios measured within this one run.
# Method and variables: docs/PERFORMANCE.md. Results also go to bench/results/.
#
# Exit status: 0 when every request got its expected answer, 3 when some did not (the
# table is still printed), another non-zero status when the run itself failed.

# ---- settings: each one can be overridden from the environment ------------------------
# JVM options of the app (split on spaces); the default is what the README's run uses.
JAVA_OPTS="${JAVA_OPTS-@$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/modules/web/target/jvm.options -Xmx64m}"
JAVA="${JAVA:-java}"          # e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
DURATION="${DURATION:-10}"    # seconds of each measurement (wrk and pgbench alike)
WARMUP="${WARMUP:-120}"       # seconds of unmeasured load on the measured paths first (see docs)
STARTS="${STARTS:-5}"         # start-ups timed (the median is reported)
LARGE_ROWS="${LARGE_ROWS:-1000000}"
SMALL_ROWS="${SMALL_ROWS:-1000}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# ----------------------------------------------------------------------------------------

set -Eeuo pipefail
shopt -s inherit_errexit

readonly CLIENTS=16 WRK_THREADS=2
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="${JAR:-$ROOT/modules/web/target/phrasebook-web.jar}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
readonly BENCH_DIR ROOT JAR RESULTS_DIR

WORK=""           # this run's temporary directory
PG_DIR=""         # the cluster's directory (owned by the postgres user when run as root)
PG_PORT=""
PG_STARTED=0
APP_PID=""
APP_PORT=""
ADMIN_PORT=""
APP_URL=""
TOOL_PID=""       # wrk or pgbench while one runs
RUN_SEQ=0
LAST_RPS=""       # rate of the latest wrk run
WARM_CURVE=""     # the warm-up slices' rates
LAST_WARM_LIST=""
RAW=/dev/null     # raw outputs of every tool, kept beside the results
declare -a ERRORS=()
declare -A RPS=() P50=() P99=() NOTE=() TPS=() PGLAT=() CEIL_OF=() OTHERS=()
CPU_MARK=""       # see cpu_mark / cpu_others
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)

say() { printf '%(%H:%M:%S)T %s\n' -1 "$*" >&2; printf '%(%H:%M:%S)T %s\n' -1 "$*" >>"$RAW"; }
die() { say "FAILED: $*"; exit 1; }
loud() {
    ERRORS+=("$*")
    say "!!!!!! ERROR: $*"
}

# Runs a command as the postgres OS user when we are root (initdb and pg_ctl refuse root).
as_pg() {
    if ((EUID == 0)); then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Superuser statements through the cluster's private Unix socket.
psql_admin() {
    "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d bench -c "$1"
}

# Statements as the app's role, over loopback TCP like the app.
psql_bench() {
    "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U bench -d bench -c "$1"
}

# A TCP port nobody listens on, below the kernel's ephemeral range.
free_port() {
    local port tries=0 used
    used=" $(ss -Htan | awk '{ n = split($4, a, ":"); print a[n] }' | sort -u | tr '\n' ' ') "
    while ((tries++ < 200)); do
        port=$((20000 + RANDOM % 12000))
        if [[ $used != *" $port "* && $port != "$PG_PORT" && $port != "$APP_PORT" && $port != "$ADMIN_PORT" ]]; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() {
    awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'
}

# ---- CPU used by other processes during a measurement --------------------------------------
# The machine's busy time (/proc/stat, steal included) minus the CPU time of this run's own
# processes: this shell and the children it has reaped (wrk, pgbench, curl, psql), the app,
# and the cluster (the postmaster, the children it has reaped, its live children). What is
# left was taken by other processes (or the hypervisor): a measure of disturbance.

cpu_ticks() {
    local busy ours pm pid
    busy=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
    ours=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$$/stat")
    if [[ -n $APP_PID && -r /proc/$APP_PID/stat ]]; then
        ours=$((ours + $(awk '{ print $14 + $15 }' "/proc/$APP_PID/stat")))
    fi
    pm=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)
    if [[ $pm =~ ^[0-9]+$ && -r /proc/$pm/stat ]]; then
        ours=$((ours + $(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat" 2>/dev/null || echo 0)))
        for pid in $(ps --ppid "$pm" -o pid= 2>/dev/null); do
            ours=$((ours + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
        done
    fi
    echo "$EPOCHREALTIME $busy $ours"
}

cpu_mark() { CPU_MARK=$(cpu_ticks); }

# Percent of the machine's capacity (all cores) used by others since cpu_mark.
cpu_others() {
    local now
    now=$(cpu_ticks)
    awk -v a="$CPU_MARK" -v b="$now" -v hz="$CLK_TCK" -v cores="$NCPU" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        seconds = y[1] - x[1]; others = (y[2] - x[2]) - (y[3] - x[3])
        if (others < 0) others = 0
        printf "%.0f", (seconds > 0 ? 100 * others / (seconds * hz * cores) : 0) }'
}

# ---- clean-up: on success, failure or Ctrl-C --------------------------------------------

# run_tool OUT COMMAND...: runs a load tool in the background and waits for it, so that a
# signal (Ctrl-C, kill) is handled at once instead of after the tool's full duration.
run_tool() {
    local out=$1 rc=0
    shift
    "$@" >"$out" 2>&1 &
    TOOL_PID=$!
    wait "$TOOL_PID" || rc=$?
    TOOL_PID=""
    return "$rc"
}

stop_app() {
    [[ -n $APP_PID ]] || return 0
    if kill -0 "$APP_PID" 2>/dev/null; then
        kill -TERM "$APP_PID" 2>/dev/null || true
        local waited=0
        while kill -0 "$APP_PID" 2>/dev/null && ((waited++ < 300)); do sleep 0.05; done
        if kill -0 "$APP_PID" 2>/dev/null; then
            say "the app did not stop within 15 s of SIGTERM: killing it"
            kill -KILL "$APP_PID" 2>/dev/null || true
        fi
    fi
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=""
    rm -f "$WORK/app.pid"
}

stop_cluster() {
    ((PG_STARTED)) || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    PG_STARTED=0
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    set +e
    if [[ -n $TOOL_PID ]]; then
        kill -TERM "$TOOL_PID" 2>/dev/null
        wait "$TOOL_PID" 2>/dev/null
    fi
    stop_app
    stop_cluster
    if [[ -n $WORK && -d $WORK ]]; then
        rm -rf -- "$WORK"
    fi
    if ((status != 0 && status != 3)); then
        echo "bench/run.sh stopped early (status $status); the cluster and the app are stopped and removed." >&2
    fi
    exit "$status"
}

# Leftovers of a run that was killed (kill -9, power loss): stop and delete them.
reap_stale() {
    local dir owner pid
    for dir in /tmp/phrasebook-bench.*; do
        [[ -d $dir && -f $dir/owner.pid ]] || continue
        owner=$(<"$dir/owner.pid")
        if [[ $owner =~ ^[0-9]+$ ]] && grep -qa -- 'run.sh' "/proc/$owner/cmdline" 2>/dev/null; then
            continue # another run in progress (a dead one, even a zombie, has no command line)
        fi
        say "removing the leftovers of an earlier run in $dir"
        if [[ -f $dir/app.pid ]]; then
            pid=$(<"$dir/app.pid")
            if [[ $pid =~ ^[0-9]+$ ]] && grep -qa -- "$dir/app/" "/proc/$pid/cmdline" 2>/dev/null; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        if [[ -f $dir/pg/data/postmaster.pid ]]; then
            as_pg "$PG_BIN/pg_ctl" -D "$dir/pg/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        fi
        rm -rf -- "$dir"
    done
}

# ---- preparation --------------------------------------------------------------------------

preflight() {
    [[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a whole number of seconds, not '$DURATION'"
    [[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a whole number of seconds, not '$WARMUP'"
    [[ $STARTS =~ ^[1-9][0-9]*$ ]] || die "STARTS must be a whole number, not '$STARTS'"
    [[ $LARGE_ROWS =~ ^[1-9][0-9]*$ && $SMALL_ROWS =~ ^[1-9][0-9]*$ ]] || die "SMALL_ROWS and LARGE_ROWS must be whole numbers"
    ((SMALL_ROWS >= 200)) || die "SMALL_ROWS must be at least 200 (the deep page needs rows below it)"
    local tool
    for tool in initdb pg_ctl psql pgbench; do
        [[ -x $PG_BIN/$tool ]] || die "$PG_BIN/$tool is missing: install Debian's postgresql-15 (or set PG_BIN)"
    done
    if ! command -v wrk >/dev/null; then
        ((EUID == 0)) || die "wrk is missing: install it (apt-get install wrk)"
        say "installing wrk with apt-get"
        apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; } ||
            die "cannot install wrk"
    fi
    for tool in curl perl ss awk; do
        command -v "$tool" >/dev/null || die "$tool is missing"
    done
    if ((EUID == 0)); then
        command -v runuser >/dev/null || die "runuser is missing (PostgreSQL must not run as root)"
        id postgres >/dev/null 2>&1 || die "there is no postgres OS user to run PostgreSQL as"
    fi
    command -v "$JAVA" >/dev/null || die "JAVA=$JAVA is not a command"
    if [[ ! -f $JAR && $JAR != "$ROOT/modules/web/target/phrasebook-web.jar" ]]; then
        die "JAR=$JAR does not exist"
    elif [[ ! -f $JAR ]]; then
        say "no $JAR yet: building it (./mvnw -B -ntp -q package -DskipTests)"
        (cd "$ROOT" && ./mvnw -B -ntp -q package -DskipTests) || die "the build failed"
    fi
    [[ -d $(dirname "$JAR")/lib ]] || die "$(dirname "$JAR")/lib is missing (the thin jar needs it)"
    # The app reads its settings from the environment: measure its defaults, not ours.
    local name
    for name in DATABASE_POOL_SIZE DATABASE_PASSWORD DATABASE_PASSWORD_FILE DATABASE_WAIT_SECONDS \
        PHRASEBOOK_DATA_DIR LOG_FORMAT STREAM_LIMIT JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS; do
        if [[ -n ${!name-} ]]; then
            say "note: $name is set in this shell; the app is started without it (JVM options go in JAVA_OPTS)"
        fi
        unset "$name"
    done
}

# Records what is measured. The jar runs where it was built, not from a copy: its class
# cache (target/phrasebook.aot or .jsa, named in target/jvm.options) is only valid for the
# class path it was trained on. So do not build while a run is under way.
snapshot_app() {
    mkdir -p "$WORK/app"
    sha256sum -- "$JAR" >"$WORK/app/jar.sha256"
}

start_cluster() {
    PG_DIR="$WORK/pg"
    mkdir -p "$PG_DIR"
    if ((EUID == 0)); then chown postgres: "$PG_DIR"; fi
    chmod 700 "$PG_DIR"
    say "initdb: a private PostgreSQL cluster in $PG_DIR"
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 -A trust >>"$RAW" 2>&1 ||
        die "initdb failed (see $RAW)"
    # Only two ways in: the superuser on the private socket, the bench role on loopback.
    as_pg tee "$PG_DIR/data/pg_hba.conf" >/dev/null <<'EOF'
local all   postgres              trust
host  bench bench    127.0.0.1/32 trust
EOF
    local attempt
    for attempt in 1 2 3; do
        PG_PORT=$(free_port)
        as_pg tee -a "$PG_DIR/data/postgresql.conf" >/dev/null <<EOF

# ---- bench/run.sh: a private cluster on loopback, sized for 2 cores; durable as in production
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 100
shared_buffers = 128MB
fsync = on
synchronous_commit = on
full_page_writes = on
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
log_statement = 'none'
log_min_duration_statement = -1
log_checkpoints = on
log_autovacuum_min_duration = 0
EOF
        if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 start >>"$RAW" 2>&1; then
            PG_STARTED=1
            break
        fi
        say "PostgreSQL did not start on port $PG_PORT (attempt $attempt)"
        tail -n 5 "$PG_DIR/postgres.log" >&2 || true
    done
    ((PG_STARTED)) || die "PostgreSQL did not start"
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres \
        -c "CREATE ROLE bench LOGIN" -c "CREATE DATABASE bench OWNER bench" >>"$RAW" 2>&1 ||
        die "cannot create the bench role and database"
    say "PostgreSQL $(psql_admin 'SHOW server_version') on 127.0.0.1:$PG_PORT" \
        "(fsync $(psql_admin 'SHOW fsync'), synchronous_commit $(psql_admin 'SHOW synchronous_commit')," \
        "shared_buffers $(psql_admin 'SHOW shared_buffers'), max_connections $(psql_admin 'SHOW max_connections'))"
}

# ---- the app ------------------------------------------------------------------------------

# Launches the app and waits for its first 200 on /readyz; sets STARTUP_MS.
start_app() {
    local -a opts=()
    read -r -a opts <<<"$JAVA_OPTS"
    APP_URL="http://127.0.0.1:$APP_PORT"
    echo "---- start $(date -u +%FT%T.%3NZ)" >>"$WORK/app.log"
    local t0=$EPOCHREALTIME
    HOST=127.0.0.1 PORT="$APP_PORT" ADMIN_HOST=127.0.0.1 ADMIN_PORT="$ADMIN_PORT" \
        DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/bench" DATABASE_USER=bench \
        "$JAVA" "${opts[@]}" -jar "$JAR" >>"$WORK/app.log" 2>&1 &
    APP_PID=$!
    echo "$APP_PID" >"$WORK/app.pid"
    local code
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$APP_URL/readyz" || true)
        [[ $code == 200 ]] && break
        if ! kill -0 "$APP_PID" 2>/dev/null; then
            tail -n 20 "$WORK/app.log" >&2
            die "the app exited during start-up (log above)"
        fi
        if (($(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print int(b - a) }') > 90)); then
            die "the app did not answer 200 on /readyz within 90 s"
        fi
        sleep 0.01
    done
    STARTUP_MS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
}

app_errors() {
    grep -cE '^[0-9:.]+ (ERROR|WARN) ' "$WORK/app.log" || true
}

# ---- data ---------------------------------------------------------------------------------

# Empties the table and fills it with $1 phrases, oldest first; ids restart at 1.
fill() {
    local rows=$1 t0=$EPOCHREALTIME
    psql_bench "TRUNCATE phrase RESTART IDENTITY" >/dev/null
    psql_bench "INSERT INTO phrase (text, created_at)
                SELECT 'Frase ' || g || ': ¡gracias & hasta <pronto>!', now() - make_interval(secs => $rows - g)
                FROM generate_series(1, $rows) AS g" >/dev/null
    psql_bench "VACUUM ANALYZE phrase" >/dev/null
    psql_admin "CHECKPOINT" >/dev/null
    local count maxid
    count=$(psql_bench "SELECT count(*) FROM phrase")
    maxid=$(psql_bench "SELECT max(id) FROM phrase")
    [[ $count == "$rows" && $maxid == "$rows" ]] || die "fill: expected $rows rows, found $count (max id $maxid)"
    say "filled $rows rows in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s (ids 1..$rows, ANALYZE, CHECKPOINT)"
}

# The keyset cursor of a page deep in the table: a tenth of the way up from the oldest.
deep_id() { echo $(($1 / 10 + 1)); }

# ---- measurements -------------------------------------------------------------------------

# wrk_run KEY MODE EXPECTED_STATUS SECONDS PATH [warmup]
wrk_run() {
    local key=$1 mode=$2 expected=$3 seconds=$4 path=$5 kind=${6:-measure}
    local out="$WORK/wrk-$key.txt"
    RUN_SEQ=$((RUN_SEQ + 1))
    local what="GET $path"
    case $mode in
    path) what="GET /<unique phrase>" ;;
    api) what="POST /api/phrases" ;;
    esac
    say "wrk $kind: $key — $what, ${seconds} s, $CLIENTS connections"
    local rc=0 others
    cpu_mark
    run_tool "$out" wrk -t"$WRK_THREADS" -c"$CLIENTS" -d"${seconds}s" --timeout 5s --latency -s "$BENCH_DIR/wrk.lua" \
        "$APP_URL$path" -- "$expected" "$mode" "${RUN_ID}r$RUN_SEQ" || rc=$?
    others=$(cpu_others)
    { echo "==== wrk $kind $key"; cat "$out"; } >>"$RAW"
    ((rc == 0)) || loud "wrk exited with status $rc in $key: $(tail -n 3 "$out" | tr '\n' ' ')"
    local ok duration p50 p99 unexpected sockets statuses
    ok=$(awk '$1 == "BENCH" && $2 == "ok" { print $3 }' "$out")
    duration=$(awk '$1 == "BENCH" && $2 == "duration_us" { print $3 }' "$out")
    p50=$(awk '$1 == "BENCH" && $2 == "p50_us" { print $3 }' "$out")
    p99=$(awk '$1 == "BENCH" && $2 == "p99_us" { print $3 }' "$out")
    unexpected=$(awk '$1 == "BENCH" && $2 == "unexpected" { print $3 }' "$out")
    sockets=$(awk '$1 == "BENCH" && $2 == "socket_errors" && $3 + $4 + $5 + $6 > 0 { printf "connect %d, read %d, write %d, timeout %d", $3, $4, $5, $6 }' "$out")
    statuses=$(awk -v want="$expected" '$1 == "BENCH" && $2 == "status" && $3 != want { printf "%s%s×%s", sep, $4, $3; sep = ", " }' "$out")
    [[ -n $ok && -n $duration ]] || { loud "$key: no results from wrk"; ok=0 duration=1; }
    local note=""
    if [[ ${unexpected:-0} != 0 ]]; then note="unexpected answers: $statuses"; fi
    if [[ -n $sockets ]]; then note="${note:+$note; }socket errors: $sockets"; fi
    if ((ok == 0)); then note="${note:+$note; }no $expected answer at all"; fi
    if [[ -n $note ]]; then loud "$kind $key: $note (expected $expected)"; fi
    LAST_RPS=$(awk -v ok="$ok" -v d="$duration" 'BEGIN { printf "%.0f", ok / (d / 1e6) }')
    if [[ $kind == measure ]]; then
        RPS[$key]=$LAST_RPS
        P50[$key]=$(ms "${p50:-0}")
        P99[$key]=$(ms "${p99:-0}")
        NOTE[$key]=$note
        OTHERS[$key]=$others
        say "  $key: ${RPS[$key]} req/s answered $expected, p50 ${P50[$key]} ms, p99 ${P99[$key]} ms; other processes: $others% CPU${note:+ — $note}"
    fi
}

# Unmeasured load on every measured path, so that the JIT has compiled them all: 5-s
# slices in turn, the list page (the heaviest path, measured first, and the slowest to
# level off: about 75 s of load on this 2-core machine) taking 5 of every 8. Each slice's
# rate is kept (WARM_CURVE) to show whether the rates had levelled off.
warm_up() {
    local total=$1 deep=$2 slice=5 slices i step
    ((total > 0)) || return 0
    ((total >= slice)) || slice=$total
    slices=$(((total + slice - 1) / slice))
    local -a plan=(list deep path api list list list list)
    say "warm-up: $((slices * slice)) s in $slices slices of $slice s (GET / 5 of every 8; GET /?before=, GET /<phrase>, POST /api/phrases 1 each)"
    for ((i = 0; i < slices; i++)); do
        step=${plan[i % ${#plan[@]}]}
        case $step in
        list) wrk_run "warm$((i + 1))-list" get 200 "$slice" "/" warmup ;;
        deep) wrk_run "warm$((i + 1))-deep" get 200 "$slice" "/?before=$deep" warmup ;;
        path) wrk_run "warm$((i + 1))-add-path" path 303 "$slice" "/" warmup ;;
        api) wrk_run "warm$((i + 1))-add-api" api 201 "$slice" "/" warmup ;;
        esac
        WARM_CURVE+="${WARM_CURVE:+ }$step:$LAST_RPS"
        [[ $step != list ]] || LAST_WARM_LIST=$LAST_RPS
    done
}

# pgbench_run KEY SCRIPT VARS_FILE [before]
pgbench_run() {
    local key=$1 script=$2 vars=$3 before=${4:-}
    local out="$WORK/pgbench-$key.txt" line
    local -a defines=()
    while IFS= read -r line; do defines+=(-D "$line"); done <"$vars"
    [[ -z $before ]] || defines+=(-D "before=$before")
    say "pgbench: $key — $(grep -v '^--' "$script" | grep -v '^[\]' | tr '\n' ' ' | cut -c1-110)…"
    local rc=0
    cpu_mark
    run_tool "$out" "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U bench -n -M prepared -c "$CLIENTS" -j "$WRK_THREADS" \
        -T "$DURATION" -f "$script" "${defines[@]}" bench || rc=$?
    OTHERS[$key]=$(cpu_others)
    { echo "==== pgbench $key"; cat "$out"; } >>"$RAW"
    ((rc == 0)) || loud "pgbench exited with status $rc in $key: $(grep -m3 -iE 'error|abort' "$out" | tr '\n' ' ')"
    TPS[$key]=$(awk '/^tps = / { printf "%.0f", $3 }' "$out")
    PGLAT[$key]=$(awk '/^latency average = / { print $4 }' "$out")
    local failed
    failed=$(awk -F': ' '/^number of failed transactions/ { split($2, a, " "); print a[1] }' "$out")
    [[ -z $failed || $failed == 0 ]] || loud "pgbench $key: $failed failed transactions"
    [[ -n ${TPS[$key]} ]] || loud "pgbench $key: no tps in its output"
    say "  $key: ${TPS[$key]:-?} tps, latency average ${PGLAT[$key]:-?} ms; other processes: ${OTHERS[$key]}% CPU"
}

# Logs every statement for a moment, makes one request of each kind, and turns each
# request's statements into a pgbench script (bench/sql-from-log.pl).
extract_sql() {
    local deep=$1 log="$PG_DIR/postgres.log" probe i
    say "extracting the app's SQL from the PostgreSQL log (log_statement = all for a moment)"
    psql_admin "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
    psql_admin "SELECT pg_reload_conf()" >/dev/null
    probe="bench-log-probe-$RUN_ID"
    for i in $(seq 1 100); do
        psql_bench "SELECT '$probe-$i'" >/dev/null
        grep -q -- "$probe-$i" "$log" && break
        sleep 0.05
    done
    grep -q -- "$probe" "$log" || die "log_statement = all did not take effect"
    sleep 0.2 # the app's connections read the new setting before their next statement

    local -a kinds=(page-new page-deep add-path add-api)
    local kind mark code
    for kind in "${kinds[@]}"; do
        mark=$(stat -c %s "$log")
        case $kind in
        page-new) code=$(curl -s -o /dev/null -w '%{http_code}' "$APP_URL/") ;;
        page-deep) code=$(curl -s -o /dev/null -w '%{http_code}' "$APP_URL/?before=$deep") ;;
        add-path) code=$(curl -s -o /dev/null -w '%{http_code}' "$APP_URL/w${RUN_ID}-sql-probe") ;;
        add-api) code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
            --data "{\"text\": \"api $RUN_ID-sql-probe\"}" "$APP_URL/api/phrases") ;;
        esac
        sleep 0.2
        tail -c +"$((mark + 1))" "$log" >"$WORK/sql-$kind.log"
        case $kind in
        page-*) [[ $code == 200 ]] || loud "SQL probe $kind answered $code, not 200" ;;
        add-path) [[ $code == 303 ]] || loud "SQL probe $kind answered $code, not 303" ;;
        add-api) [[ $code == 201 ]] || loud "SQL probe $kind answered $code, not 201" ;;
        esac
    done

    psql_admin "ALTER SYSTEM RESET log_statement" >/dev/null
    psql_admin "SELECT pg_reload_conf()" >/dev/null
    for i in $(seq 1 100); do
        [[ $(psql_bench "SHOW log_statement") == none ]] && break
        sleep 0.05
    done
    [[ $(psql_bench "SHOW log_statement") == none ]] || die "log_statement did not go back to none"
    sleep 0.2
    say "statement logging is off again"

    : >"$WORK/sql.txt"
    for kind in "${kinds[@]}"; do
        {
            case $kind in
            page-new) echo "-- GET / (the newest page):" ;;
            page-deep) echo "-- GET /?before=$deep (a deep page):" ;;
            add-path) echo "-- GET /<phrase> (an add through the path):" ;;
            add-api) echo "-- POST /api/phrases (an add through the JSON API):" ;;
            esac
            perl "$BENCH_DIR/sql-from-log.pl" bench "$deep" "$WORK/sql-$kind.log" \
                "$WORK/$kind.pgbench" "$WORK/$kind.vars"
        } >>"$WORK/sql.txt" 2>&1 || die "cannot turn the SQL of $kind into a pgbench script: $(tail -n 2 "$WORK/sql.txt")"
    done
    local statements
    for kind in "${kinds[@]}"; do
        statements=$(grep -v '^--' "$WORK/$kind.pgbench" | grep -vc '^[\]' || true)
        ((statements == 1)) || say "note: $kind sends $statements statements; the ceiling runs them all, in order"
    done
    if ! cmp -s "$WORK/add-path.pgbench" "$WORK/add-api.pgbench"; then
        say "note: the two adds send different SQL; each gets its own ceiling"
    fi
    say "the SQL the app sends:"
    sed 's/^/    /' "$WORK/sql.txt" >&2
    cat "$WORK/sql.txt" >>"$RAW"
}

rss() {
    awk -v field="$1:" '$1 == field { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status"
}

# ---- the report ---------------------------------------------------------------------------

report() {
    local out=$1 elapsed=$2
    local fmt='%-44s %9s %9s %9s %11s %9s %7s\n'
    {
        echo "Phrasebook benchmark — $(date -u '+%F %T UTC') — $(hostname)"
        echo "app: $JAR_DESC"
        echo "java: $JAVA_DESC; JAVA_OPTS='$JAVA_OPTS'; DATABASE_POOL_SIZE: the app's default"
        echo "database: PostgreSQL $PG_VERSION, private cluster on loopback, fsync on, synchronous_commit on, shared_buffers 128MB"
        echo "load: wrk -t$WRK_THREADS -c$CLIENTS, $DURATION s per measurement after ${WARMUP} s of warm-up; ceiling: pgbench -M prepared -c $CLIENTS -j $WRK_THREADS -T $DURATION"
        echo "machine: $(nproc) cores; load average before ${LOAD_BEFORE}, after $(cut -d' ' -f1-3 /proc/loadavg)"
        echo
        # shellcheck disable=SC2059
        printf "$fmt" "measured path (16 clients)" "req/s" "p50 ms" "p99 ms" "ceiling/s" "÷ ceiling" "others"
        # shellcheck disable=SC2059
        printf "$fmt" "--------------------------------------------" "---------" "---------" "---------" "-----------" "---------" "-------"
        local key label ceil
        for key in cold-list list-1k deep-1k add-path add-api list-1m deep-1m; do
            case $key in
            cold-list) label="GET /             cold, first $DURATION s, ${SMALL_ROWS} rows" ;;
            list-1k) label="GET /             steady, ${SMALL_ROWS} rows" ;;
            deep-1k) label="GET /?before=$DEEP_SMALL  steady, ${SMALL_ROWS} rows" ;;
            add-path) label="GET /<phrase>     add, 303" ;;
            add-api) label="POST /api/phrases add, 201" ;;
            list-1m) label="GET /             steady, ${LARGE_ROWS} rows" ;;
            deep-1m) label="GET /?before=$DEEP_LARGE  steady, ${LARGE_ROWS} rows" ;;
            esac
            ceil=${CEIL_OF[$key]:-}
            # shellcheck disable=SC2059
            printf "$fmt" "$label" "${RPS[$key]:-—}" "${P50[$key]:-—}" "${P99[$key]:-—}" \
                "${TPS[$ceil]:-—}" "$(ratio "${RPS[$key]:-}" "${TPS[$ceil]:-}")" "${OTHERS[$key]:-?}%"
            [[ -z ${NOTE[$key]:-} ]] || echo "  !!! ${NOTE[$key]}"
        done
        echo
        echo "ceilings (pgbench running the app's SQL, see below):"
        for key in page-new-1k page-deep-1k add-path add-api page-new-1m page-deep-1m; do
            [[ -n ${TPS[$key]:-} ]] || continue
            printf '  %-40s %9s tps   latency average %8s ms   others %s%%\n' "$key" "${TPS[$key]}" "${PGLAT[$key]:-?}" "${OTHERS[$key]:-?}"
        done
        echo
        echo "ratios:"
        printf '  %-40s %s\n' "cold ÷ steady, GET /" "$(ratio "${RPS[cold-list]:-}" "${RPS[list-1k]:-}")"
        printf '  %-40s %s\n' "${LARGE_ROWS} ÷ ${SMALL_ROWS} rows, GET /" "$(ratio "${RPS[list-1m]:-}" "${RPS[list-1k]:-}")"
        printf '  %-40s %s\n' "${LARGE_ROWS} ÷ ${SMALL_ROWS} rows, GET /?before=" "$(ratio "${RPS[deep-1m]:-}" "${RPS[deep-1k]:-}")"
        printf '  %-40s %s\n' "cold p99 ÷ steady p99, GET /" "$(ratio "${P99[cold-list]:-}" "${P99[list-1k]:-}")"
        echo
        echo "warm-up slices (req/s, in order): $WARM_CURVE"
        local drift
        drift=$(ratio "${RPS[list-1k]:-}" "$LAST_WARM_LIST")
        if [[ $drift != n/a ]] && awk -v d="$drift" 'BEGIN { exit !(d < 0.85 || d > 1.15) }'; then
            echo "WARNING: GET / steady ($SMALL_ROWS rows) is $drift × its last warm-up slice: it may not have levelled off yet; a longer WARMUP (or a quieter machine) gives steadier figures"
        fi
        echo "start-up to the first 200 on /readyz ($STARTS starts, schema current): ${STARTUPS[*]} ms; median $STARTUP_MEDIAN ms (others $STARTUP_OTHERS%)"
        echo "app resident memory after the benchmark: VmRSS $RSS_MB MB (peak VmHWM $HWM_MB MB)"
        echo "app log: $APP_LOG_ISSUES WARN/ERROR lines"
        echo "others: CPU taken by processes outside this benchmark during the measurement, in % of all $NCPU cores (0% = undisturbed); whole run: $RUN_OTHERS%"
        local disturbed=""
        for key in "${!OTHERS[@]}"; do
            if ((OTHERS[$key] > 10)); then disturbed+=" $key (${OTHERS[$key]}%)"; fi
        done
        if [[ -n $disturbed ]]; then
            echo "WARNING: other processes took more than 10% of the machine during:$disturbed — compare with care, or run again on a quiet machine"
        fi
        echo "whole run: $elapsed s"
        echo
        if ((${#ERRORS[@]})); then
            echo "!!!!!! ERRORS (${#ERRORS[@]}):"
            printf '  - %s\n' "${ERRORS[@]}"
        else
            echo "errors: none (every request got its expected status; no socket errors; pgbench had no failures)"
        fi
        echo
        echo "the SQL the app sends (PostgreSQL log, log_statement = all during one request of each kind):"
        sed 's/^/  /' "$WORK/sql.txt"
        echo
        echo "pgbench scripts (parameters as pgbench variables; :before is given with -D):"
        local kind
        for kind in page-new page-deep add-path add-api; do
            echo "  # $kind$(sed 's/^/ -D /' "$WORK/$kind.vars" | tr '\n' ' ')"
            grep -v '^--' "$WORK/$kind.pgbench" | sed 's/^/  /'
        done
    } >"$out"
}

# ---- the run ------------------------------------------------------------------------------

main() {
    local started=$EPOCHREALTIME run_mark
    cpu_mark
    run_mark=$CPU_MARK
    RUN_ID=$(date +%s)
    local stamp
    stamp=$(date -u +%Y%m%d-%H%M%S)
    mkdir -p "$RESULTS_DIR"
    RAW="$RESULTS_DIR/$stamp.raw.log"
    : >"$RAW"
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

    preflight
    reap_stale
    WORK=$(mktemp -d /tmp/phrasebook-bench.XXXXXX)
    chmod 755 "$WORK"
    echo $$ >"$WORK/owner.pid"
    snapshot_app
    JAR_DESC="$JAR ($(date -u -r "$JAR" '+built %F %T UTC'), sha256 $(sha256sum "$JAR" | cut -c1-12)); checkout: git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || echo ' with uncommitted changes')"
    JAVA_DESC="$("$JAVA" -version 2>&1 | head -n 1)"
    say "app: $JAR_DESC"
    say "java: $JAVA_DESC; JAVA_OPTS='$JAVA_OPTS'"
    ((LARGE_ROWS > SMALL_ROWS)) || die "LARGE_ROWS must be more than SMALL_ROWS"
    DEEP_SMALL=$(deep_id "$SMALL_ROWS")
    DEEP_LARGE=$(deep_id "$LARGE_ROWS")

    start_cluster
    PG_VERSION=$(psql_admin 'SHOW server_version')
    APP_PORT=$(free_port)
    ADMIN_PORT=$(free_port)

    say "first start of the app: Flyway creates the schema"
    start_app
    say "  ready after $STARTUP_MS ms (with migrations; not counted)"
    stop_app
    fill "$SMALL_ROWS"

    STARTUPS=()
    local i
    cpu_mark
    for ((i = 1; i <= STARTS; i++)); do
        start_app
        STARTUPS+=("$STARTUP_MS")
        say "start-up $i of $STARTS: $STARTUP_MS ms to the first 200 on /readyz"
        ((i == STARTS)) || stop_app
    done
    STARTUP_MEDIAN=$(printf '%s\n' "${STARTUPS[@]}" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    STARTUP_OTHERS=$(cpu_others)
    say "start-up median: $STARTUP_MEDIAN ms (other processes: $STARTUP_OTHERS% CPU); the last start's app is measured from here on"

    wrk_run cold-list get 200 "$DURATION" "/"
    warm_up "$WARMUP" "$DEEP_SMALL"
    extract_sql "$DEEP_SMALL"

    fill "$SMALL_ROWS"
    wrk_run list-1k get 200 "$DURATION" "/"
    wrk_run deep-1k get 200 "$DURATION" "/?before=$DEEP_SMALL"
    pgbench_run page-new-1k "$WORK/page-new.pgbench" "$WORK/page-new.vars"
    pgbench_run page-deep-1k "$WORK/page-deep.pgbench" "$WORK/page-deep.vars" "$DEEP_SMALL"
    CEIL_OF[cold-list]=page-new-1k CEIL_OF[list-1k]=page-new-1k CEIL_OF[deep-1k]=page-deep-1k

    wrk_run add-path path 303 "$DURATION" "/"
    wrk_run add-api api 201 "$DURATION" "/"
    pgbench_run add-path "$WORK/add-path.pgbench" "$WORK/add-path.vars"
    CEIL_OF[add-path]=add-path CEIL_OF[add-api]=add-path
    if ! cmp -s "$WORK/add-path.pgbench" "$WORK/add-api.pgbench"; then
        pgbench_run add-api "$WORK/add-api.pgbench" "$WORK/add-api.vars"
        CEIL_OF[add-api]=add-api
    fi

    fill "$LARGE_ROWS"
    wrk_run settle-1m get 200 2 "/" warmup
    wrk_run settle-deep-1m get 200 2 "/?before=$DEEP_LARGE" warmup
    wrk_run list-1m get 200 "$DURATION" "/"
    wrk_run deep-1m get 200 "$DURATION" "/?before=$DEEP_LARGE"
    pgbench_run page-new-1m "$WORK/page-new.pgbench" "$WORK/page-new.vars"
    pgbench_run page-deep-1m "$WORK/page-deep.pgbench" "$WORK/page-deep.vars" "$DEEP_LARGE"
    CEIL_OF[list-1m]=page-new-1m CEIL_OF[deep-1m]=page-deep-1m

    kill -0 "$APP_PID" 2>/dev/null || die "the app is no longer running"
    CPU_MARK=$run_mark
    RUN_OTHERS=$(cpu_others)
    RSS_MB=$(rss VmRSS)
    HWM_MB=$(rss VmHWM)
    APP_LOG_ISSUES=$(app_errors)
    if ((APP_LOG_ISSUES > 0)); then
        loud "the app logged $APP_LOG_ISSUES WARN/ERROR lines, e.g.: $(grep -m 3 -E '^[0-9:.]+ (ERROR|WARN) ' "$WORK/app.log" | cut -c1-200 | tr '\n' ' ')"
    fi
    { echo "==== app log (without access lines)"; grep -vE '^[0-9:.]+ INFO  o\.p\.http\.AccessLog' "$WORK/app.log" | tail -n 200; } >>"$RAW"
    { echo "==== PostgreSQL log"; grep -v 'bench-log-probe' "$PG_DIR/postgres.log" | tail -n 300; } >>"$RAW"
    stop_app

    local elapsed
    elapsed=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
    report "$RESULTS_DIR/$stamp.txt" "$elapsed"
    echo
    cat "$RESULTS_DIR/$stamp.txt"
    echo
    echo "written to $RESULTS_DIR/$stamp.txt (raw tool outputs: $RAW)"
    ((${#ERRORS[@]} == 0)) || exit 3
}

# Sourcing this file (for experiments) defines the functions without running.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    main "$@"
fi
