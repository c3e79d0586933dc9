#!/usr/bin/env bash
# Phrasebook's soak, one command: bench/soak.sh
#
# Starts a private PostgreSQL 15 cluster and the app's runnable jar on loopback (as
# bench/run.sh does), measures the maximum rate of a mixed load (bench/mixed.lua: list
# pages, older pages and adds through all three ways in) with 16 connections, then runs
# that load at half the maximum for SOAK_MINUTES one-minute wrk runs back to back and
# records, every minute: the rate, p50/p99, errors, the app's resident memory, its open
# connections, the pool's active and pending connections, Jetty's busy threads and the
# table's row count. Prints one table and a verdict, "flat" or "NOT flat" (rule: see
# verdict() below and docs/PERFORMANCE.md). Results also go to bench/results/soak-*.txt.
#
# Exit status: 0 when flat and every request got its expected answer, 3 when not (the
# table is still printed), another non-zero status when the run itself failed.

# ---- settings: each one can be overridden from the environment ------------------------
# JVM options of the app (split on spaces); the default is what the README's run uses.
JAVA_OPTS="${JAVA_OPTS-@$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/modules/web/target/jvm.options -Xmx64m}"
JAVA="${JAVA:-java}"                  # e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
SOAK_MINUTES="${SOAK_MINUTES:-10}"    # minutes of paced load, one wrk run each
WARMUP="${WARMUP-}"                   # seconds of unmeasured mixed load before the maximum is measured:
                                      # by default 30 (CI's 1-minute soak), 120 from 5 minutes up (see docs)
ROWS="${ROWS:-1000}"                  # phrases in the table at the start
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# ----------------------------------------------------------------------------------------

set -Eeuo pipefail
shopt -s inherit_errexit

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly BENCH_DIR
# shellcheck source=SCRIPTDIR/lib.sh
. "$BENCH_DIR/lib.sh"

readonly PROBE_SECONDS=10     # the maximum-rate measurement
readonly SAMPLE_EVERY=10      # seconds between samples of connections, pool and threads under load
readonly SETTLE_SECONDS=5     # after the load, before the "back to baseline" sample

# ---- the flatness rule (also in docs/PERFORMANCE.md) ----------------------------------
readonly MIN_RATE_SHARE=90    # every minute's rate at least 90% of the target
readonly RSS_GROWTH_PCT=10    # RSS of the last minute at most 10% above the reference minute's
readonly RSS_LIMIT_MIB=256    # shorter soaks: RSS under docker-compose.yml's mem_limit for web
readonly P99_FACTOR=2         # p99 of the last minute at most twice the median of the minutes' p99
# ----------------------------------------------------------------------------------------

RUN_ID=""
RUN_SEQ=0
MAX_RPS=""
TARGET=""
# The latest mixed_run's results.
R_RPS="" R_P50="" R_P99="" R_ERRORS=0 R_NOTE="" R_ADDS_SENT=0 R_ADDS_ANSWERED=0
# The latest sample: open connections on the app's port, pool and Jetty (from /metrics).
S_TCP="" S_ACTIVE="" S_PENDING="" S_BUSY=""
# Their maxima over the samples taken during the latest mixed_run.
X_TCP=0 X_ACTIVE=0 X_PENDING=0 X_BUSY=0
# One entry per soak minute (index 1..SOAK_MINUTES); index 0 is the moment before the soak.
declare -a M_RPS=() M_P50=() M_P99=() M_ERRORS=() M_RSS=() M_TCP=() M_ACTIVE=() M_PENDING=() M_BUSY=() M_ROWS=() M_OTHERS=()
declare -A BASE=() AFTER=()
declare -a RULES=()   # the verdict's lines
FLAT=1

# ---- preparation --------------------------------------------------------------------------

preflight() {
    [[ $SOAK_MINUTES =~ ^[1-9][0-9]*$ ]] || die "SOAK_MINUTES must be a whole number of minutes, not '$SOAK_MINUTES'"
    # The JIT needs 75-120 s of load to level off: a longer soak can afford to wait for it.
    if [[ -z $WARMUP ]]; then
        WARMUP=30
        ((SOAK_MINUTES < 5)) || WARMUP=120
    fi
    [[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a whole number of seconds, not '$WARMUP'"
    [[ $ROWS =~ ^[1-9][0-9]*$ && $ROWS -ge 2 ]] || die "ROWS must be a whole number, at least 2, not '$ROWS'"
    check_needs initdb pg_ctl psql
}

# ---- samples ------------------------------------------------------------------------------

# Sets S_TCP (established connections whose local port is the app's: the server's side
# only, not wrk's), and S_ACTIVE, S_PENDING, S_BUSY from the admin listener's /metrics.
# Fails (values "?") when /metrics does not answer within 5 s or lacks one of them.
sample() {
    local metrics=""
    S_TCP=$(ss -Htn state established "( sport = :$APP_PORT )" | wc -l)
    metrics=$(curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics") || true
    S_ACTIVE=$(metric hikaricp_connections_active <<<"$metrics")
    S_PENDING=$(metric hikaricp_connections_pending <<<"$metrics")
    S_BUSY=$(metric jetty_threads_busy <<<"$metrics")
    echo "sample $(date -u +%T): tcp $S_TCP, pool active $S_ACTIVE, pending $S_PENDING, jetty busy $S_BUSY" >>"$RAW"
    [[ $S_ACTIVE$S_PENDING$S_BUSY =~ ^[0-9]+$ ]]
}

readonly SAMPLE_FAILED="no answer from /metrics on the admin port within 5 s, or no hikaricp_connections_active, hikaricp_connections_pending or jetty_threads_busy in it"

# metric NAME < metrics: the value of the first series called NAME (any labels), rounded.
metric() {
    awk -v name="$1" '$1 == name || index($1, name "{") == 1 { printf "%.0f", $2; found = 1; exit }
                      END { if (!found) print "?" }'
}

row_count() { psql_bench "SELECT count(*) FROM phrase"; }

max_of() { if [[ $2 =~ ^[0-9]+$ ]] && (($2 > $1)); then echo "$2"; else echo "$1"; fi; }

# ---- the load -----------------------------------------------------------------------------

# mixed_run KEY SECONDS [RATE]: wrk with bench/mixed.lua for SECONDS, paced at RATE req/s
# when given, else as fast as it goes. Samples connections, pool and threads every
# SAMPLE_EVERY seconds while it runs (maxima in X_*); results in R_*.
mixed_run() {
    local key=$1 seconds=$2 rate=${3:-}
    local out="$WORK/wrk-$key.txt" t0=$EPOCHREALTIME at rc=0
    RUN_SEQ=$((RUN_SEQ + 1))
    local -a args=("${RUN_ID}s$RUN_SEQ" "$ROWS")
    [[ -z $rate ]] || args+=("$rate" "$WRK_THREADS")
    wrk -t"$WRK_THREADS" -c"$CLIENTS" -d"${seconds}s" --timeout 5s --latency -s "$BENCH_DIR/mixed.lua" \
        "$APP_URL/" -- "${args[@]}" >"$out" 2>&1 &
    TOOL_PID=$!
    X_TCP=0 X_ACTIVE=0 X_PENDING=0 X_BUSY=0
    # Samples at 5, 15, 25... s: mid-interval, never as wrk starts or stops.
    for ((at = SAMPLE_EVERY / 2; at < seconds; at += SAMPLE_EVERY)); do
        sleep_until "$t0" "$at"
        kill -0 "$TOOL_PID" 2>/dev/null || break
        sample || loud "$key, ${at} s: $SAMPLE_FAILED"
        X_TCP=$(max_of "$X_TCP" "$S_TCP") X_ACTIVE=$(max_of "$X_ACTIVE" "$S_ACTIVE")
        X_PENDING=$(max_of "$X_PENDING" "$S_PENDING") X_BUSY=$(max_of "$X_BUSY" "$S_BUSY")
    done
    wait "$TOOL_PID" || rc=$?
    TOOL_PID=""
    { echo "==== wrk $key${rate:+ paced at $rate req/s}"; cat "$out"; } >>"$RAW"
    ((rc == 0)) || loud "wrk exited with status $rc in $key: $(tail -n 3 "$out" | tr '\n' ' ')"
    read_results "$key" "$out"
}

# sleep_until T0 SECONDS: sleeps until SECONDS after T0 (an $EPOCHREALTIME); in the
# background and waited for, so that a signal is handled at once.
sleep_until() {
    local left
    left=$(awk -v t0="$1" -v at="$2" -v now="$EPOCHREALTIME" 'BEGIN { d = t0 + at - now; printf "%.3f", (d > 0 ? d : 0) }')
    sleep "$left" &
    wait $!
}

# Reads bench/mixed.lua's BENCH lines into R_*; every kind of error is loud.
read_results() {
    local key=$1 out=$2
    field() { awk -v k="$1" '$1 == "BENCH" && $2 == k { print $3 }' "$out"; }
    local ok duration unexpected misanswered sockets statuses socket_total
    ok=$(field ok)
    duration=$(field duration_us)
    unexpected=$(field unexpected)
    misanswered=$(field misanswered)
    R_ADDS_SENT=$(field adds_sent)
    R_ADDS_ANSWERED=$(field adds_answered)
    sockets=$(awk '$1 == "BENCH" && $2 == "socket_errors" && $3 + $4 + $5 + $6 > 0 { printf "connect %d, read %d, write %d, timeout %d", $3, $4, $5, $6 }' "$out")
    socket_total=$(awk '$1 == "BENCH" && $2 == "socket_errors" { print $3 + $4 + $5 + $6 }' "$out")
    statuses=$(awk '$1 == "BENCH" && $2 == "status" && $3 != 200 && $3 != 201 && $3 != 303 { printf "%s%s×%s", sep, $4, $3; sep = ", " }' "$out")
    R_NOTE=""
    if [[ -z $ok || -z $duration ]]; then
        loud "$key: no results from wrk"
        ok=0 duration=1 R_ADDS_SENT=0 R_ADDS_ANSWERED=0
        R_NOTE="no results"
    fi
    R_ERRORS=$((${unexpected:-0} + ${misanswered:-0} + ${socket_total:-0}))
    if ((${unexpected:-0} > 0)); then R_NOTE="unexpected answers: $statuses"; fi
    if ((${misanswered:-0} > 0)); then R_NOTE="${R_NOTE:+$R_NOTE; }$misanswered answers with another kind of request's status"; fi
    if [[ -n $sockets ]]; then R_NOTE="${R_NOTE:+$R_NOTE; }socket errors: $sockets"; fi
    if ((ok == 0)); then R_NOTE="${R_NOTE:+$R_NOTE; }no expected answer at all"; fi
    if [[ -n $R_NOTE ]]; then loud "$key: $R_NOTE"; fi
    R_RPS=$(awk -v ok="$ok" -v d="$duration" 'BEGIN { printf "%.0f", ok / (d / 1e6) }')
    R_P50=$(ms "$(field p50_us)")
    R_P99=$(ms "$(field p99_us)")
}

# ---- the run ------------------------------------------------------------------------------

# Unmeasured load first (the JIT compiles the paths), then the maximum; the target is half.
find_target() {
    if ((WARMUP > 0)); then
        say "warm-up: ${WARMUP} s of the mixed load as fast as it goes (not measured)"
        mixed_run warm-up "$WARMUP"
        say "  warm-up: $R_RPS req/s, p50 $R_P50 ms, p99 $R_P99 ms"
    fi
    say "maximum: ${PROBE_SECONDS} s of the mixed load as fast as it goes, $CLIENTS connections"
    cpu_mark
    mixed_run max "$PROBE_SECONDS"
    MAX_RPS=$R_RPS MAX_P50=$R_P50 MAX_P99=$R_P99 MAX_OTHERS=$(cpu_others)
    ((MAX_RPS > 0)) || die "the maximum-rate run got no expected answer (see $RAW)"
    TARGET=$(((MAX_RPS + 1) / 2))
    say "  maximum: $MAX_RPS req/s, p50 $MAX_P50 ms, p99 $MAX_P99 ms (other processes: $MAX_OTHERS% CPU); the soak runs at $TARGET req/s"
}

soak() {
    local m
    sleep 1 # the maximum's last requests finish before the soak's starting point is taken
    M_RSS[0]=$(rss VmRSS) M_ROWS[0]=$(row_count)
    for ((m = 1; m <= SOAK_MINUTES; m++)); do
        cpu_mark
        mixed_run "minute-$m" 60 "$TARGET"
        M_OTHERS[m]=$(cpu_others)
        M_RPS[m]=$R_RPS M_P50[m]=$R_P50 M_P99[m]=$R_P99 M_ERRORS[m]=$R_ERRORS
        M_TCP[m]=$X_TCP M_ACTIVE[m]=$X_ACTIVE M_PENDING[m]=$X_PENDING M_BUSY[m]=$X_BUSY
        M_RSS[m]=$(rss VmRSS) M_ROWS[m]=$(row_count)
        SOAK_ADDS_SENT=$((SOAK_ADDS_SENT + R_ADDS_SENT))
        SOAK_ADDS_ANSWERED=$((SOAK_ADDS_ANSWERED + R_ADDS_ANSWERED))
        say "minute $m of $SOAK_MINUTES: $R_RPS req/s, p50 $R_P50 ms, p99 $R_P99 ms, errors $R_ERRORS," \
            "RSS ${M_RSS[m]} MiB, tcp ${M_TCP[m]}, pool active ${M_ACTIVE[m]} pending ${M_PENDING[m]}," \
            "jetty busy ${M_BUSY[m]}, rows ${M_ROWS[m]}; other processes: ${M_OTHERS[m]}% CPU"
    done
    say "load stopped; the baseline sample in ${SETTLE_SECONDS} s"
    sleep "$SETTLE_SECONDS" &
    wait $!
    sample || die "after the load: $SAMPLE_FAILED"
    AFTER=([tcp]=$S_TCP [active]=$S_ACTIVE [pending]=$S_PENDING [busy]=$S_BUSY [rss]=$(rss VmRSS) [rows]=$(row_count))
}

# ---- the verdict --------------------------------------------------------------------------
#
# Flat when all of these hold:
#  1. errors: no unexpected status, misanswered request, socket error or timeout in any
#     load of the run (warm-up, maximum, soak), and no WARN/ERROR line in the app's log;
#  2. rate: every minute's achieved rate at least MIN_RATE_SHARE% of the target;
#  3. memory: VmRSS after the last minute at most RSS_GROWTH_PCT% above the one after
#     minute 2. A soak of one or two minutes cannot tell a leak from the JIT and the heap
#     still filling after a 30 s warm-up (1 minute grew 6-8%): there RSS must stay under
#     RSS_LIMIT_MIB, the web container's memory limit;
#  4. latency: p99 of the last minute at most P99_FACTOR × the median of all minutes' p99
#     (with one minute this compares the minute with itself: it holds);
#  5. back to baseline SETTLE_SECONDS after the load: established connections on the
#     app's port, pool active and pool pending at most what they were before any load;
#  6. nothing lost: the rows the soak added lie between the adds answered and the adds sent
#     (wrk drops the answers of requests still in flight when a minute ends).

# rule OK TEXT: one line of the verdict.
rule() {
    if (($1)); then
        RULES+=("[ok]   $2")
    else
        RULES+=("[FAIL] $2")
        FLAT=0
    fi
}

verdict() {
    local last=$SOAK_MINUTES m ref lowest median
    rule "${#ERRORS[@]} == 0" "errors: ${#ERRORS[@]} (every load of the run, and the app's log)"

    lowest=$(printf '%s\n' "${M_RPS[@]:1}" | sort -n | head -n 1)
    rule "lowest * 100 >= TARGET * MIN_RATE_SHARE" \
        "rate: every minute at least $MIN_RATE_SHARE% of the target $TARGET req/s (lowest: $lowest req/s, $(awk -v a="$lowest" -v b="$TARGET" 'BEGIN { printf "%.0f", 100 * a / b }')%)"

    if ((last >= 3)); then
        ref=2
        rule "M_RSS[last] * 100 <= M_RSS[ref] * (100 + RSS_GROWTH_PCT)" \
            "memory: RSS after minute $last ${M_RSS[last]} MiB, at most $RSS_GROWTH_PCT% above ${M_RSS[ref]} MiB (after minute $ref)"
    else
        rule "M_RSS[last] <= RSS_LIMIT_MIB" \
            "memory: RSS after minute $last ${M_RSS[last]} MiB, under the container limit $RSS_LIMIT_MIB MiB (too short a soak to judge growth)"
    fi

    median=$(printf '%s\n' "${M_P99[@]:1}" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    rule "$(awk -v a="${M_P99[last]}" -v m="$median" -v f="$P99_FACTOR" 'BEGIN { print (a <= f * m) ? 1 : 0 }')" \
        "latency: p99 of minute $last ${M_P99[last]} ms, at most $P99_FACTOR × the minutes' median p99 $median ms"

    rule "AFTER[tcp] <= BASE[tcp] && AFTER[active] <= BASE[active] && AFTER[pending] <= BASE[pending]" \
        "baseline ${SETTLE_SECONDS} s after the load: connections ${AFTER[tcp]} (before: ${BASE[tcp]}), pool active ${AFTER[active]} (${BASE[active]}), pending ${AFTER[pending]} (${BASE[pending]})"

    local added=$((AFTER[rows] - M_ROWS[0]))
    rule "added >= SOAK_ADDS_ANSWERED && added <= SOAK_ADDS_SENT" \
        "nothing lost: $added rows added during the soak; adds answered $SOAK_ADDS_ANSWERED, sent $SOAK_ADDS_SENT"
}

# ---- the report ---------------------------------------------------------------------------

report() {
    local out=$1 elapsed=$2 m
    local fmt='%-8s %7s %8s %8s %6s %8s %5s %6s %7s %6s %7s %7s\n'
    {
        echo "Phrasebook soak — $(date -u '+%F %T UTC') — $(hostname)"
        echo "app: $JAR_DESC"
        echo "java: $JAVA_DESC; JAVA_OPTS='$JAVA_OPTS'; DATABASE_POOL_SIZE: the app's default"
        echo "database: PostgreSQL $PG_VERSION, private cluster on loopback, fsync on, synchronous_commit on, shared_buffers 128MB; $ROWS rows at the start"
        echo "load: bench/mixed.lua, wrk -t$WRK_THREADS -c$CLIENTS: 55% GET /, 30% GET /?before=<id>, 5% each GET /<phrase>, POST /phrases (form), POST /api/phrases (JSON)"
        echo "maximum: $MAX_RPS req/s (p50 $MAX_P50 ms, p99 $MAX_P99 ms, others $MAX_OTHERS%), ${PROBE_SECONDS} s as fast as it goes after ${WARMUP} s of warm-up"
        echo "soak: $SOAK_MINUTES × 60 s at $TARGET req/s (half the maximum), paced by delay() in bench/mixed.lua"
        echo "machine: $NCPU cores; load average before ${LOAD_BEFORE}, after $(cut -d' ' -f1-3 /proc/loadavg)"
        echo
        # shellcheck disable=SC2059
        printf "$fmt" minute "req/s" "p50 ms" "p99 ms" errors "RSS MiB" tcp "pool" "pool" jetty rows others
        # shellcheck disable=SC2059
        printf "$fmt" "" "" "" "" "" "" "" active pending busy "" ""
        # shellcheck disable=SC2059
        printf "$fmt" -------- ------- -------- -------- ------ -------- ----- ------ ------- ------ ------- -------
        # shellcheck disable=SC2059
        printf "$fmt" before - - - - "${BASE[rss]}" "${BASE[tcp]}" "${BASE[active]}" "${BASE[pending]}" "${BASE[busy]}" "${BASE[rows]}" -
        # shellcheck disable=SC2059
        printf "$fmt" 0 - - - - "${M_RSS[0]}" - - - - "${M_ROWS[0]}" -
        for ((m = 1; m <= SOAK_MINUTES; m++)); do
            # shellcheck disable=SC2059
            printf "$fmt" "$m" "${M_RPS[m]}" "${M_P50[m]}" "${M_P99[m]}" "${M_ERRORS[m]}" "${M_RSS[m]}" \
                "${M_TCP[m]}" "${M_ACTIVE[m]}" "${M_PENDING[m]}" "${M_BUSY[m]}" "${M_ROWS[m]}" "${M_OTHERS[m]}%"
        done
        # shellcheck disable=SC2059
        printf "$fmt" "+${SETTLE_SECONDS} s" - - - - "${AFTER[rss]}" "${AFTER[tcp]}" "${AFTER[active]}" "${AFTER[pending]}" "${AFTER[busy]}" "${AFTER[rows]}" -
        echo
        echo "before: after start-up and the fill, no load yet; 0: after the warm-up and the maximum, just before the soak;"
        echo "1, 2...: each minute's wrk run: req/s of expected answers, its p50/p99, its errors; RSS and rows when it ended;"
        echo "tcp (established connections on the app's port), pool and jetty: the highest of the samples taken every ${SAMPLE_EVERY} s under load;"
        echo "+${SETTLE_SECONDS} s: after the load stopped. others: CPU taken by processes outside the soak, in % of all $NCPU cores"
        echo
        echo "flatness (rule: bench/soak.sh and docs/PERFORMANCE.md):"
        printf '  %s\n' "${RULES[@]}"
        echo "app log: $APP_LOG_ISSUES WARN/ERROR lines; peak RSS (VmHWM) $HWM_MB MiB"
        echo "whole run: $elapsed s"
        ((${#ERRORS[@]} == 0)) || { echo; list_errors; }
        echo
        if ((FLAT)); then echo "verdict: flat"; else echo "verdict: NOT flat"; fi
    } >"$out"
}

main() {
    local started=$EPOCHREALTIME
    begin_run soak-
    SOAK_ADDS_SENT=0 SOAK_ADDS_ANSWERED=0

    preflight
    make_workdir
    describe_app
    say "soak: ${WARMUP} s warm-up, ${PROBE_SECONDS} s maximum, $SOAK_MINUTES × 60 s at half of it (about $(((WARMUP + PROBE_SECONDS + 60 * SOAK_MINUTES + SETTLE_SECONDS + 30) / 60 + 1)) minutes)"

    start_cluster
    PG_VERSION=$(psql_admin 'SHOW server_version')
    APP_PORT=$(free_port)
    ADMIN_PORT=$(free_port)
    start_app
    say "the app is ready after $STARTUP_MS ms (Flyway created the schema)"
    fill "$ROWS"
    sample || die "before the load: $SAMPLE_FAILED"
    BASE=([tcp]=$S_TCP [active]=$S_ACTIVE [pending]=$S_PENDING [busy]=$S_BUSY [rss]=$(rss VmRSS) [rows]=$(row_count))

    find_target
    soak

    kill -0 "$APP_PID" 2>/dev/null || die "the app is no longer running"
    HWM_MB=$(rss VmHWM)
    APP_LOG_ISSUES=$(app_errors)
    if ((APP_LOG_ISSUES > 0)); then
        loud "the app logged $APP_LOG_ISSUES WARN/ERROR lines, e.g.: $(grep -m 3 -E '^[0-9:.]+ (ERROR|WARN) ' "$WORK/app.log" | cut -c1-200 | tr '\n' ' ')"
    fi
    { echo "==== app log (without access lines)"; grep -vE '^[0-9:.]+ INFO  o\.p\.http\.AccessLog' "$WORK/app.log" | tail -n 200; } >>"$RAW"
    { echo "==== PostgreSQL log"; tail -n 300 "$PG_DIR/postgres.log"; } >>"$RAW"
    stop_app
    verdict

    local elapsed
    elapsed=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
    report "$RESULTS_DIR/soak-$STAMP.txt" "$elapsed"
    show_results "$RESULTS_DIR/soak-$STAMP.txt"
    ((FLAT && ${#ERRORS[@]} == 0)) || exit 3
}

# Sourcing this file (for experiments) defines the functions without running.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then run_main "$@"; fi
