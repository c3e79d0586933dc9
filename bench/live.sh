#!/usr/bin/env bash
# Phrasebook's live-updates benchmark, one command: bench/live.sh
#
# Issue 8's targets for live updates, measured in one run: a private PostgreSQL 15 cluster
# and two replicas of the app's runnable jar on loopback (A and B, one database). On B: the
# list page's rate (wrk, 16 connections) and the heap's live set, then STREAMS open streams
# (bench/LiveLoad.java), the heap and the list page's rate again. Then adds through A at
# RATE a second for DURATION seconds, every stream on B timing each one's arrival; once
# more with the list load on B at the same time. Prints one table (figure, measured,
# target, verdict). Method: docs/PERFORMANCE.md. Results also go to bench/results/live-*.txt.
#
# Exit status: 0 when every request got its expected answer and every stream got every add
# exactly once, 3 when not (the table is still printed), another status when the run failed.

# ---- settings: each one can be overridden from the environment ------------------------
# JVM options of the app (split on spaces); the default is what the README's run uses.
JAVA_OPTS="${JAVA_OPTS-@$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/modules/web/target/jvm.options -Xmx64m}"
JAVA="${JAVA:-java}"          # e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java; also runs LiveLoad.java
DURATION="${DURATION:-10}"    # seconds of each measurement: the list runs and each round of adds
WARMUP="${WARMUP:-60}"        # seconds of unmeasured GET / on replica B first (see docs)
STREAMS="${STREAMS:-1000}"    # streams opened on replica B
RATE="${RATE:-100}"           # adds a second through replica A
ROWS="${ROWS:-1000}"          # phrases in the table
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# ----------------------------------------------------------------------------------------

set -Eeuo pipefail
shopt -s inherit_errexit

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly BENCH_DIR
# shellcheck source=SCRIPTDIR/lib.sh
. "$BENCH_DIR/lib.sh"

# ---- issue 8's targets ------------------------------------------------------------------
readonly TARGET_P99_MS=1000      # an add through A on a stream of B, p99
readonly TARGET_HEAP_MIB=64      # heap of STREAMS (1,000) open streams
readonly TARGET_LIST_SHARE=0.90  # list rate with the streams open ÷ without
# ----------------------------------------------------------------------------------------

declare -A RPS=() P50=() P99=() OTHERS=() HEAP=() RSS=() LIVE=()
A_URL="" B_URL="" A_ADMIN="" B_ADMIN=""

preflight() {
    local name
    for name in DURATION STREAMS RATE ROWS; do
        [[ ${!name} =~ ^[1-9][0-9]*$ ]] || die "$name must be a whole number above 0, not '${!name}'"
    done
    [[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a whole number of seconds, not '$WARMUP'"
    check_needs initdb pg_ctl psql
    JCMD="$(dirname "$(command -v "$JAVA")")/jcmd"
    [[ -x $JCMD ]] || die "$JCMD is missing: JAVA must be a JDK's java (jcmd reads the heap, the source launcher runs LiveLoad.java)"
}

# ---- measurements on replica B (the current app) ------------------------------------------

# list_run KEY SECONDS [warmup]: wrk with bench/wrk.lua, GET / on B; only 200 counts.
# With WRK_ON="URL STATUS MODE" set, another path of bench/wrk.lua (A's adds' warm-up).
list_run() {
    local key=$1 seconds=$2 kind=${3:-measure} out="$WORK/wrk-$1.txt" rc=0 others url status mode
    read -r url status mode <<<"${WRK_ON:-$B_URL/ 200 get}"
    say "wrk $kind: $key — $mode $url, ${seconds} s, $CLIENTS connections"
    cpu_mark
    run_tool "$out" wrk -t"$WRK_THREADS" -c"$CLIENTS" -d"${seconds}s" --timeout 5s --latency \
        -s "$BENCH_DIR/wrk.lua" "$url" -- "$status" "$mode" "${RUN_ID}$key" || rc=$?
    others=$(cpu_others)
    { echo "==== wrk $kind $key"; cat "$out"; } >>"$RAW"
    ((rc == 0)) || loud "wrk exited with status $rc in $key: $(tail -n 3 "$out" | tr '\n' ' ')"
    local ok duration p50 p99 bad
    read -r ok duration p50 p99 bad < <(awk '$1 == "BENCH" { v[$2] = $3 }
        $1 == "BENCH" && $2 == "socket_errors" { sockets = $3 + $4 + $5 + $6 }
        END { print v["ok"] + 0, v["duration_us"] + 0, v["p50_us"] + 0, v["p99_us"] + 0, v["unexpected"] + sockets }' "$out")
    ((bad == 0 && ok > 0)) || loud "$key: $bad answers other than $status or socket errors, $ok answered $status (see $RAW)"
    ((duration > 0)) || duration=1
    RPS[$key]=$(awk -v ok="$ok" -v d="$duration" 'BEGIN { printf "%.0f", ok / (d / 1e6) }')
    P50[$key]=$(ms "$p50") P99[$key]=$(ms "$p99") OTHERS[$key]=$others
    say "  $key: ${RPS[$key]} req/s, p50 ${P50[$key]} ms, p99 ${P99[$key]} ms; other processes: $others% CPU"
}

# heap KEY: B's live heap in MiB. GC.class_histogram counts only live objects (it runs a
# full collection first) and names their classes, so two of them also say what grew.
heap() {
    local key=$1
    "$JCMD" "$APP_PID" GC.class_histogram >"$WORK/histogram-$key.txt" 2>&1 || die "jcmd GC.class_histogram failed: $(tail -n 2 "$WORK/histogram-$key.txt")"
    HEAP[$key]=$(awk '$1 == "Total" { printf "%.1f", $3 / 1048576 }' "$WORK/histogram-$key.txt")
    [[ -n ${HEAP[$key]} ]] || die "no Total line in jcmd's class histogram (see $WORK/histogram-$key.txt)"
    RSS[$key]=$(rss VmRSS)
    say "  heap in use after a full GC ($key): ${HEAP[$key]} MiB; RSS ${RSS[$key]} MiB"
}

# What grew from one histogram to the other, per stream: the classes that hold the most.
growth() {
    awk -v n="$STREAMS" 'FNR == 1 { file++ } $1 ~ /^[0-9]+:$/ { b[file, $4] = $3; c[file, $4] = $2; names[$4] = 1 }
        END { for (k in names) { d = b[2, k] - b[1, k]; if (d > 0) printf "%d %d %s\n", d, c[2, k] - c[1, k], k } }' \
        "$WORK/histogram-$1.txt" "$WORK/histogram-$2.txt" | sort -rn | head -n 12 |
        awk -v n="$STREAMS" '{ printf "  %-64s %8.0f B/stream %7.1f objects/stream\n", $3, $1 / n, $2 / n }'
}

metric_of() { # metric_of ADMIN_PORT NAME: a gauge's value from /metrics, "?" when absent
    curl -s --max-time 5 "http://127.0.0.1:$1/metrics" |
        awk -v name="$2" '$1 == name || index($1, name "{") == 1 { printf "%.0f", $2; found = 1; exit } END { if (!found) print "?" }'
}

# ---- the load client ------------------------------------------------------------------------

start_client() {
    say "LiveLoad: opening $STREAMS streams on replica B"
    : >"$WORK/live.ctl"
    # The client's own JVM: small, so that it takes little of the two cores.
    "$JAVA" -XX:+UseSerialGC -Xmx256m "$BENCH_DIR/LiveLoad.java" "$B_URL/api/phrases/stream" "$A_URL/api/phrases" \
        "$STREAMS" "$RATE" "$DURATION" "$RUN_ID" "$WORK/live.ctl" $$ >"$WORK/live.out" 2>"$WORK/live.err" &
    LOAD_PID=$!
    await_client "LIVE ready " 180
    local line
    line=$(grep '^LIVE ready ' "$WORK/live.out")
    say "  ${line#LIVE }"
    [[ $line == "LIVE ready $STREAMS of $STREAMS "* ]] || die "not every stream opened: ${line#LIVE }"
    LIVE[open]=$(metric_of "$B_ADMIN" phrasebook_live_streams)
    say "  phrasebook_live_streams on B: ${LIVE[open]}"
}

# await_client LINE SECONDS: waits until the client printed a line that begins with LINE.
await_client() {
    local line=$1 limit=$2 t0=$SECONDS
    until grep -q "^$line" "$WORK/live.out"; do
        kill -0 "$LOAD_PID" 2>/dev/null || die "LiveLoad exited: $(tail -n 5 "$WORK/live.err" | tr '\n' ' ')"
        ((SECONDS - t0 < limit)) || die "LiveLoad did not print '$line' within $limit s"
        sleep 0.2
    done
}

# CPU seconds a process has used so far: user and system (the kernel's share, sockets mostly).
cpu_seconds() { awk -v hz="$CLK_TCK" '{ printf "%.2f %.2f", $14 / hz, $15 / hz }' "/proc/$1/stat" 2>/dev/null || echo 0 0; }

# adds ROUND [list]: one round of adds through A; with "list", GET / on B at the same time.
adds() {
    local round=$1 with=${2:-} key mark b0 a0 c0 t0=$EPOCHREALTIME
    say "adds: $RATE a second through replica A for $DURATION s, $STREAMS streams on B${with:+, GET / on B at the same time}"
    b0=$(cpu_seconds "$APP_PID") a0=$(cpu_seconds "${PARKED%%|*}") c0=$(cpu_seconds "$LOAD_PID")
    cpu_mark
    mark=$CPU_MARK
    echo "adds $round" >>"$WORK/live.ctl"
    [[ -z $with ]] || list_run list-broadcast "$DURATION"
    await_client "LIVE $round done" $((DURATION + 330)) # LiveLoad waits up to 300 s for a backlog
    CPU_MARK=$mark
    OTHERS[$round]=$(cpu_others)
    LIVE[$round-cpu]=$(awk -v t0="$t0" -v now="$EPOCHREALTIME" -v b="$(cpu_seconds "$APP_PID")" -v b0="$b0" \
        -v a="$(cpu_seconds "${PARKED%%|*}")" -v a0="$a0" -v c="$(cpu_seconds "$LOAD_PID")" -v c0="$c0" \
        'function cpu(x, x0,  u, s, u0, s0) { split(x, u, " "); split(x0, u0, " "); return sprintf("%.1f s (%.1f user, %.1f system)", u[1] + u[2] - u0[1] - u0[2], u[1] - u0[1], u[2] - u0[2]) }
         BEGIN { printf "%.0f s: CPU of B %s, A %s, LiveLoad %s", now - t0, cpu(b, b0), cpu(a, a0), cpu(c, c0) }')
    while read -r _ _ key value; do
        LIVE[$round-$key]=$value
    done < <(grep "^LIVE $round " "$WORK/live.out")
    say "  $round: p50 ${LIVE[$round-latency_p50_ms]} ms, p99 ${LIVE[$round-latency_p99_ms]} ms, max ${LIVE[$round-latency_max_ms]} ms;" \
        "${LIVE[$round-delivered]} of ${LIVE[$round-deliveries_expected]} delivered, missing ${LIVE[$round-missing]}," \
        "duplicate ${LIVE[$round-duplicate]}; adds ${LIVE[$round-adds_ok]} of ${LIVE[$round-adds_sent]} answered 201;" \
        "other processes: ${OTHERS[$round]}% CPU; ${LIVE[$round-cpu]}"
    local problems=$((LIVE[$round-missing] + LIVE[$round-duplicate] + LIVE[$round-adds_failed] + LIVE[$round-adds_unanswered] + LIVE[$round-streams_ended]))
    ((problems == 0)) || loud "$round: missing ${LIVE[$round-missing]}, duplicate ${LIVE[$round-duplicate]}," \
        "adds failed ${LIVE[$round-adds_failed]}, unanswered ${LIVE[$round-adds_unanswered]}, streams ended ${LIVE[$round-streams_ended]}"
    ((LIVE[$round-out_of_order] == 0)) || loud "$round: ${LIVE[$round-out_of_order]} events came after a higher id"
}

# ---- the report ---------------------------------------------------------------------------

verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "ok" : "MISS") }'; }

report() {
    local out=$1 elapsed=$2 heap_cost share without p99 fmt='%-58s %16s %12s %8s\n'
    heap_cost=$(awk -v a="${HEAP[streams]}" -v b="${HEAP[adds]}" -v z="${HEAP[before]}" 'BEGIN { d = (a > b ? a : b) - z; printf "%.1f", d }')
    without=$(awk -v a="${RPS[list-before]}" -v b="${RPS[list-after]}" 'BEGIN { printf "%.0f", (a + b) / 2 }')
    share=$(awk -v a="${RPS[list-streams]}" -v b="$without" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    p99=${LIVE[quiet-latency_p99_ms]}
    {
        echo "Phrasebook live updates — $(date -u '+%F %T UTC') — $(hostname)"
        echo "app: $JAR_DESC"
        echo "java: $JAVA_DESC; JAVA_OPTS='$JAVA_OPTS' (both replicas); DATABASE_POOL_SIZE, STREAM_LIMIT: the app's defaults"
        echo "database: PostgreSQL $PG_VERSION, private cluster on loopback, fsync on; $ROWS rows; replicas A and B on one database"
        echo "load: wrk -t$WRK_THREADS -c$CLIENTS GET / on B, $DURATION s per measurement after ${WARMUP} s of warm-up; bench/LiveLoad.java: $STREAMS streams on B, $RATE adds/s through A for $DURATION s a round"
        echo "machine: $NCPU cores, shared; load average before ${LOAD_BEFORE}, after $(cut -d' ' -f1-3 /proc/loadavg)"
        echo
        # shellcheck disable=SC2059
        printf "$fmt" "figure" "measured" "target" "verdict"
        # shellcheck disable=SC2059
        printf "$fmt" "----------------------------------------------------------" "----------------" "------------" "--------"
        # shellcheck disable=SC2059
        printf "$fmt" "add via A on a stream of B, p99 ($RATE adds/s, $STREAMS streams)" "$p99 ms" "<= $TARGET_P99_MS ms" \
            "$(verdict "$(awk -v p="$p99" -v t="$TARGET_P99_MS" 'BEGIN { print (p != "n/a" && p <= t) }')")"
        # shellcheck disable=SC2059
        printf "$fmt" "  p50 / max" "${LIVE[quiet-latency_p50_ms]} / ${LIVE[quiet-latency_max_ms]} ms" "" ""
        # shellcheck disable=SC2059
        printf "$fmt" "heap of $STREAMS open streams on B (live set after full GC)" "$heap_cost MiB" "<= $TARGET_HEAP_MIB MiB" \
            "$(verdict "$(awk -v h="$heap_cost" -v t="$TARGET_HEAP_MIB" 'BEGIN { print (h <= t) }')")"
        # shellcheck disable=SC2059
        printf "$fmt" "list rate on B, $STREAMS streams open ÷ none (mean before/after)" "$share" ">= $TARGET_LIST_SHARE" \
            "$(verdict "$(awk -v s="$share" -v t="$TARGET_LIST_SHARE" 'BEGIN { print (s >= t) }')")"
        # shellcheck disable=SC2059
        printf "$fmt" "deliveries missing / duplicate (each stream, every add once)" "${LIVE[quiet-missing]} / ${LIVE[quiet-duplicate]}" "0 / 0" \
            "$(verdict "$((LIVE[quiet-missing] + LIVE[quiet-duplicate] == 0))")"
        # shellcheck disable=SC2059
        printf "$fmt" "errors (requests, streams, app logs)" "${#ERRORS[@]}" "0" "$(verdict "$((${#ERRORS[@]} == 0))")"
        echo
        echo "details:"
        printf '  %-52s %s\n' \
            "GET / on B, no streams yet" "${RPS[list-before]} req/s, p50 ${P50[list-before]} ms, p99 ${P99[list-before]} ms (others ${OTHERS[list-before]}%)" \
            "GET / on B, no streams any more (at the end)" "${RPS[list-after]} req/s, p50 ${P50[list-after]} ms, p99 ${P99[list-after]} ms (others ${OTHERS[list-after]}%)" \
            "GET / on B, $STREAMS streams open, idle" "${RPS[list-streams]} req/s, p50 ${P50[list-streams]} ms, p99 ${P99[list-streams]} ms (others ${OTHERS[list-streams]}%)" \
            "GET / on B, streams + $RATE adds/s broadcast" "${RPS[list-broadcast]} req/s, p50 ${P50[list-broadcast]} ms, p99 ${P99[list-broadcast]} ms (others ${OTHERS[list-broadcast]}%); ratio to none $(awk -v a="${RPS[list-broadcast]}" -v b="$without" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" \
            "B's heap after full GC: no streams / open / after adds" "${HEAP[before]} / ${HEAP[streams]} / ${HEAP[adds]} MiB (the cost above: the larger of the two differences)" \
            "B's RSS: no streams / open / after adds" "${RSS[before]} / ${RSS[streams]} / ${RSS[adds]} MiB" \
            "phrasebook_live_streams on B with the streams open" "${LIVE[open]}"
        local round label
        for round in quiet busy; do
            label="adds, streams only"
            [[ $round == quiet ]] || label="adds, with GET / on B"
            printf '  %-52s %s\n' "$label" "latency p50 ${LIVE[$round-latency_p50_ms]} ms, p99 ${LIVE[$round-latency_p99_ms]} ms, max ${LIVE[$round-latency_max_ms]} ms; delivered ${LIVE[$round-delivered]} of ${LIVE[$round-deliveries_expected]}, missing ${LIVE[$round-missing]}, duplicate ${LIVE[$round-duplicate]}, out of order ${LIVE[$round-out_of_order]}" \
                "" "all delivered (or no progress for 5 s) ${LIVE[$round-drain_s]} s after the last send" \
                "" "adds sent ${LIVE[$round-adds_sent]} at ${LIVE[$round-send_rate]}/s, 201 ${LIVE[$round-adds_ok]}, failed ${LIVE[$round-adds_failed]}, unanswered ${LIVE[$round-adds_unanswered]}; add p50 ${LIVE[$round-add_p50_ms]} ms, p99 ${LIVE[$round-add_p99_ms]} ms; round of ${LIVE[$round-cpu]}; others ${OTHERS[$round]}%"
        done
        echo
        echo "what the open streams hold on B's heap (jcmd GC.class_histogram, open ÷ no streams; top classes by bytes):"
        growth before streams
        echo "latency: from LiveLoad sending the add to A until the event's id: line reached a stream on B, over every delivery"
        echo "others: CPU taken by processes outside this benchmark during the measurement, in % of all $NCPU cores"
        echo "app logs: replica A $A_LOG_ISSUES, replica B $B_LOG_ISSUES WARN/ERROR lines; whole run $elapsed s"
        ((${#ERRORS[@]} == 0)) || { echo; list_errors; }
    } >"$out"
}

# ---- the run ------------------------------------------------------------------------------

main() {
    local started=$EPOCHREALTIME
    begin_run live-
    preflight
    make_workdir
    describe_app
    say "live: ${WARMUP} s warm-up, then 4 list runs and 3 rounds of adds of $DURATION s, $STREAMS streams (at least $(((WARMUP * 5 / 4 + 7 * DURATION + 60) / 60 + 1)) minutes; longer when the streams fall behind)"
    start_cluster
    PG_VERSION=$(psql_admin 'SHOW server_version')

    APP_NAME=replica-a
    APP_PORT=$(free_port)
    ADMIN_PORT=$(free_port)
    start_app
    say "replica A is ready after $STARTUP_MS ms (Flyway created the schema), on $APP_URL"
    A_URL=$APP_URL A_ADMIN=$ADMIN_PORT
    fill "$ROWS"
    swap_app replica-b
    APP_PORT=$(free_port)
    ADMIN_PORT=$(free_port)
    start_app
    say "replica B is ready after $STARTUP_MS ms, on $APP_URL"
    B_URL=$APP_URL B_ADMIN=$ADMIN_PORT
    [[ $(metric_of "$A_ADMIN" phrasebook_live_listening)$(metric_of "$B_ADMIN" phrasebook_live_listening) == 11 ]] ||
        die "phrasebook_live_listening is not 1 on both replicas"

    if ((WARMUP > 0)); then
        list_run warm-up "$WARMUP" warmup
        # A's add path too (at full speed, not RATE: the JIT needs the calls), no streams yet.
        WRK_ON="$A_URL/ 201 api" list_run warm-up-adds "$(((WARMUP + 3) / 4))" warmup
    fi
    list_run list-before "$DURATION"
    heap before
    start_client
    heap streams
    list_run list-streams "$DURATION"
    # And the broadcast to the streams, once, unmeasured: its figures go to the raw log only.
    adds warm-up
    adds quiet
    adds busy list
    heap adds
    echo quit >>"$WORK/live.ctl"
    wait "$LOAD_PID" || loud "LiveLoad exited with status $?: $(tail -n 3 "$WORK/live.err" | tr '\n' ' ')"
    LOAD_PID=""
    { echo "==== LiveLoad"; cat "$WORK/live.out" "$WORK/live.err"; } >>"$RAW"
    local ended
    ended=$(awk '$2 == "all" && $3 == "streams_ended_early" { print $4 }' "$WORK/live.out")
    [[ $ended == 0 ]] || loud "$ended streams ended before the client closed them"
    # The list once more without streams: the JIT may still be gaining, so "without" is the
    # mean of the runs before and after the one with the streams open.
    local t0=$SECONDS
    until [[ $(metric_of "$B_ADMIN" phrasebook_live_streams) == 0 ]]; do
        ((SECONDS - t0 < 30)) || die "B still counts open streams 30 s after the client left"
        sleep 0.2
    done
    list_run list-after "$DURATION"

    local name
    for name in replica-a replica-b; do
        { echo "==== $name log (without access lines)"; grep -vE '^[0-9:.]+ INFO  o\.p\.http\.AccessLog' "$WORK/$name.log" | tail -n 100; } >>"$RAW"
        if grep -qE '^[0-9:.]+ (ERROR|WARN) ' "$WORK/$name.log"; then
            loud "$name logged WARN/ERROR lines, e.g.: $(grep -m 3 -E '^[0-9:.]+ (ERROR|WARN) ' "$WORK/$name.log" | cut -c1-200 | tr '\n' ' ')"
        fi
    done
    { echo "==== PostgreSQL log"; tail -n 100 "$PG_DIR/postgres.log"; } >>"$RAW"
    kill -0 "$APP_PID" 2>/dev/null || die "replica B is no longer running (its log: $RAW)"
    B_LOG_ISSUES=$(app_errors)
    swap_app
    kill -0 "$APP_PID" 2>/dev/null || die "replica A is no longer running (its log: $RAW)"
    A_LOG_ISSUES=$(app_errors)

    local elapsed
    elapsed=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
    report "$RESULTS_DIR/live-$STAMP.txt" "$elapsed"
    show_results "$RESULTS_DIR/live-$STAMP.txt"
    ((${#ERRORS[@]} == 0)) || exit 3
}

# Sourcing this file (for experiments) defines the functions without running.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then run_main "$@"; fi
