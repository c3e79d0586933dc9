# shellcheck shell=bash
# What bench/run.sh, bench/soak.sh and bench/live.sh share: a private PostgreSQL cluster, free ports, the
# app's jar started and stopped, clean-up on any exit, leftovers of killed runs removed,
# the tools checked (wrk installed when missing), the app's memory read. Sourced, never run.
#
# The sourcing script sets BENCH_DIR, JAVA, JAVA_OPTS and PG_BIN first, and `set -Eeuo
# pipefail`; it installs the traps (cleanup on EXIT) itself.
# shellcheck disable=SC2154,SC2034 # variables set by, and others read by, the sourcing script

readonly CLIENTS=16 WRK_THREADS=2
FILL_SEED="${FILL_SEED:-20261126}" # the phrases' words (bench/phrases.sql); another seed, other phrases
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="${JAR:-$ROOT/modules/web/target/phrasebook-web.jar}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
SCRIPT_NAME="$(basename "$0")"   # run.sh, soak.sh or live.sh, for messages and for stale-run reaping
readonly ROOT JAR RESULTS_DIR SCRIPT_NAME

WORK=""           # this run's temporary directory
PG_DIR=""         # the cluster's directory (owned by the postgres user when run as root)
PG_PORT=""
PG_STARTED=0
APP_PID=""
APP_PORT=""
ADMIN_PORT=""
APP_URL=""
APP_NAME=app      # names the app's log and pid file in $WORK
PARKED=""         # a second app (bench/live.sh's other replica), parked by swap_app
TOOL_PID=""       # wrk or pgbench while one runs
LOAD_PID=""       # a load client running beside the tools (bench/live.sh's LiveLoad)
RAW=/dev/null     # raw outputs of every tool, kept beside the results
declare -a ERRORS=()
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

# ---- CPU used by other processes during a measurement --------------------------------------
# The machine's busy time (/proc/stat, steal included) minus the CPU time of this run's own
# processes: this shell and the children it has reaped (wrk, pgbench, curl, psql), the app,
# and the cluster (the postmaster, the children it has reaped, its live children). What is
# left was taken by other processes (or the hypervisor): a measure of disturbance.

cpu_ticks() {
    local busy ours pm pid
    busy=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
    ours=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$$/stat")
    for pid in $APP_PID ${PARKED%%|*} $LOAD_PID; do
        if [[ -r /proc/$pid/stat ]]; then
            ours=$((ours + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
        fi
    done
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

# ---- a run's frame ---------------------------------------------------------------------------

# begin_run PREFIX: this run's id and stamp, its raw log ($RESULTS_DIR/PREFIX<stamp>.raw.log)
# and the load average before it.
begin_run() {
    RUN_ID=$(date +%s)
    STAMP=$(date -u +%Y%m%d-%H%M%S)
    mkdir -p "$RESULTS_DIR"
    RAW="$RESULTS_DIR/$1$STAMP.raw.log"
    : >"$RAW"
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
}

# show_results FILE: the report, and where it and the raw outputs are.
show_results() {
    printf '\n%s\n\nwritten to %s (raw tool outputs: %s)\n' "$(cat "$1")" "$1" "$RAW"
}

# list_errors [LINE]: for a report, the run's errors under a loud heading, or LINE when none.
# shellcheck disable=SC2120 # bench/soak.sh and bench/live.sh give no LINE
list_errors() {
    if ((${#ERRORS[@]})); then
        echo "!!!!!! ERRORS (${#ERRORS[@]}):"
        printf '  - %s\n' "${ERRORS[@]}"
    elif (($#)); then
        echo "$1"
    fi
}

# run_main ARGS: main with the traps that clean up on any exit.
run_main() {
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    main "$@"
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
    rm -f "$WORK/$APP_NAME.pid"
}

# swap_app [NAME]: parks the current app and makes the parked one current, or a new one
# called NAME (its log and pid file) when none is parked; start_app, stop_app, rss and the
# like act on the current one. Lets bench/live.sh run two replicas; cleanup stops both.
# shellcheck disable=SC2120 # the name is given by bench/live.sh, not here
swap_app() {
    local current="$APP_PID|$APP_PORT|$ADMIN_PORT|$APP_URL|$APP_NAME"
    if [[ -n $PARKED ]]; then
        IFS='|' read -r APP_PID APP_PORT ADMIN_PORT APP_URL APP_NAME <<<"$PARKED"
    else
        APP_PID="" APP_PORT="" ADMIN_PORT="" APP_URL="" APP_NAME=${1:?swap_app: the new app needs a name}
    fi
    PARKED=$current
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
    if [[ -n $LOAD_PID ]]; then
        kill -TERM "$LOAD_PID" 2>/dev/null
        wait "$LOAD_PID" 2>/dev/null
    fi
    stop_app
    if [[ -n $PARKED ]]; then
        swap_app
        stop_app
    fi
    stop_cluster
    if [[ -n $WORK && -d $WORK ]]; then
        rm -rf -- "$WORK"
    fi
    if ((status != 0 && status != 3)); then
        echo "bench/$SCRIPT_NAME stopped early (status $status); the cluster and the app are stopped and removed." >&2
    fi
    exit "$status"
}

# A process's start time (clock ticks after boot, field 22 of /proc/PID/stat), empty when
# there is no such process: with the pid, it names one process for good.
start_time() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    local -a fields
    read -r -a fields <<<"${stat##*) }" # the fields after the command name, from field 3 on
    echo "${fields[19]}"
}

# Leftovers of a run that was killed (kill -9, power loss): stop and delete them.
reap_stale() {
    local dir owner pid started pidfile
    for dir in /tmp/phrasebook-bench.*; do
        [[ -d $dir && -f $dir/owner.pid ]] || continue
        owner=$(<"$dir/owner.pid")
        if [[ $owner =~ ^[0-9]+$ ]] && grep -qaE -- '(run|soak|live)\.sh' "/proc/$owner/cmdline" 2>/dev/null; then
            continue # another run in progress (a dead one, even a zombie, has no command line)
        fi
        say "removing the leftovers of an earlier run in $dir"
        for pidfile in "$dir"/*.pid; do
            [[ -f $pidfile && $pidfile != "$dir/owner.pid" ]] || continue
            read -r pid started <"$pidfile" || true
            # The same process, not another that got its number since: same start time.
            if [[ $pid =~ ^[0-9]+$ && -n $started && $(start_time "$pid") == "$started" ]]; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        done
        if [[ -f $dir/pg/data/postmaster.pid ]]; then
            as_pg "$PG_BIN/pg_ctl" -D "$dir/pg/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        fi
        rm -rf -- "$dir"
    done
}

# ---- preparation --------------------------------------------------------------------------

# The tools, the jar and a clean environment for the app. Arguments: the PostgreSQL
# programs this script needs (run.sh also needs pgbench).
check_needs() {
    local tool
    for tool in "$@"; do
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

# A fresh directory for this run, after removing what killed runs left behind.
make_workdir() {
    reap_stale
    WORK=$(mktemp -d /tmp/phrasebook-bench.XXXXXX)
    chmod 755 "$WORK"
    echo $$ >"$WORK/owner.pid"
    snapshot_app
}

# Records what is measured. The jar runs where it was built, not from a copy: its class
# cache (target/phrasebook.aot or .jsa, named in target/jvm.options) is only valid for the
# class path it was trained on. So do not build while a run is under way.
snapshot_app() {
    mkdir -p "$WORK/app"
    sha256sum -- "$JAR" >"$WORK/app/jar.sha256"
}

# Names what is measured: JAR_DESC and JAVA_DESC, for the log and the report.
describe_app() {
    JAR_DESC="$JAR ($(date -u -r "$JAR" '+built %F %T UTC'), sha256 $(sha256sum "$JAR" | cut -c1-12)); checkout: git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || echo ' with uncommitted changes')"
    JAVA_DESC="$("$JAVA" -version 2>&1 | head -n 1)"
    say "app: $JAR_DESC"
    say "java: $JAVA_DESC; JAVA_OPTS='$JAVA_OPTS'"
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

# ---- bench/$SCRIPT_NAME: a private cluster on loopback, sized for 2 cores; durable as in production
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
    echo "---- start $(date -u +%FT%T.%3NZ)" >>"$WORK/$APP_NAME.log"
    local t0=$EPOCHREALTIME
    HOST=127.0.0.1 PORT="$APP_PORT" ADMIN_HOST=127.0.0.1 ADMIN_PORT="$ADMIN_PORT" \
        DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/bench" DATABASE_USER=bench \
        "$JAVA" "${opts[@]}" -jar "$JAR" >>"$WORK/$APP_NAME.log" 2>&1 &
    APP_PID=$!
    echo "$APP_PID $(start_time "$APP_PID")" >"$WORK/$APP_NAME.pid"
    local code
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$APP_URL/readyz" || true)
        [[ $code == 200 ]] && break
        if ! kill -0 "$APP_PID" 2>/dev/null; then
            tail -n 20 "$WORK/$APP_NAME.log" >&2
            die "the app exited during start-up (log above)"
        fi
        if (($(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print int(b - a) }') > 90)); then
            die "the app did not answer 200 on /readyz within 90 s"
        fi
        sleep 0.01
    done
    STARTUP_MS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
}

# WARN and ERROR lines of the app, less the search timeouts hostile queries are expected to meet.
app_errors() {
    grep -E '^[0-9:.]+ (ERROR|WARN) ' "$WORK/$APP_NAME.log" | grep -vc ' Search timed out ' || true
}

# ---- data ---------------------------------------------------------------------------------

# Empties the table and fills it with $1 phrases of varied words (bench/phrases.sql, the
# same ones on every run for one FILL_SEED), oldest first; ids restart at 1.
fill() {
    local rows=$1 t0=$EPOCHREALTIME
    [[ $FILL_SEED =~ ^[0-9]{1,18}$ ]] || die "FILL_SEED must be a whole number, not '$FILL_SEED'"
    psql_bench "TRUNCATE phrase RESTART IDENTITY" >/dev/null
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U bench -d bench \
        -v rows="$rows" -v seed="$FILL_SEED" -f "$BENCH_DIR/phrases.sql" >/dev/null ||
        die "fill: bench/phrases.sql failed (psql's message above)"
    psql_bench "VACUUM ANALYZE phrase" >/dev/null
    psql_admin "CHECKPOINT" >/dev/null
    local count maxid
    count=$(psql_bench "SELECT count(*) FROM phrase")
    maxid=$(psql_bench "SELECT max(id) FROM phrase")
    [[ $count == "$rows" && $maxid == "$rows" ]] || die "fill: expected $rows rows, found $count (max id $maxid)"
    say "filled $rows rows in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s (ids 1..$rows, ANALYZE, CHECKPOINT)"
}

# The app's memory in MB from /proc: rss VmRSS (resident now) or rss VmHWM (its peak).
rss() {
    awk -v field="$1:" '$1 == field { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status"
}
