#!/usr/bin/env bash
# The list page's floor on this machine, one command: bench/floor.sh
#
# In one run, on one private cluster with SMALL_ROWS phrases: the app's GET /, the same
# page from bench/ListFloor.java (the app's Jetty, pool and driver, its SQL, the rows'
# markup in a StringBuilder, nothing else), and pgbench running the app's page query (the
# ceiling of bench/run.sh). Prints each one's rate, p99, CPU per page and memory, and the
# rates as ratios of the ceiling: how much of issue 7's gap to 0.40 any JVM design on this
# stack and machine could close (docs/PERFORMANCE.md, Round 12).
#
# Settings as bench/run.sh (JAVA, JAVA_OPTS, DURATION, WARMUP, SMALL_ROWS, PG_BIN); WARMUP
# (default 60 here) is given to the app and to the floor alike. JAVA must be a JDK's java
# (the floor is compiled with the javac beside it). Exit status as bench/run.sh's.

WARMUP="${WARMUP:-60}"
# shellcheck source=SCRIPTDIR/run.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run.sh" # its functions and settings, not its run

declare -A CPU_US=() RSS_OF=()

# measure KEY: warm-up, then DURATION s of GET /, with the current app's CPU per page and RSS.
measure() {
    local key=$1 ticks
    wrk_run "warm-$key" get 200 "$WARMUP" "/" warmup
    ticks=$(awk '{ print $14 + $15 }' "/proc/$APP_PID/stat")
    wrk_run "$key" get 200 "$DURATION" "/"
    CPU_US[$key]=$(awk -v a="$ticks" -v b="$(awk '{ print $14 + $15 }' "/proc/$APP_PID/stat")" -v hz="$CLK_TCK" \
        -v n="$(awk -v r="${RPS[$key]}" -v d="$DURATION" 'BEGIN { print r * d }')" 'BEGIN { printf "%.0f", (b - a) * 1e6 / hz / n }')
    RSS_OF[$key]=$(rss VmRSS)
    say "  $key: $(curl -s "$APP_URL/" | wc -c) bytes a page, ${CPU_US[$key]} µs of CPU a page, RSS ${RSS_OF[$key]} MB"
}

# Compiles bench/ListFloor.java against the app's lib/ without logback (whose default would
# log every request at DEBUG), and starts it; compiled apart, not by the source launcher,
# whose compiler would count in the floor's memory.
start_floor() {
    local javac cp
    javac="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac"
    [[ -x $javac ]] || die "the floor needs a JDK: no javac beside $JAVA"
    cp=$(find "$(dirname "$JAR")/lib" -name '*.jar' ! -name 'logback-*' | sort | tr '\n' ':')
    "$javac" -d "$WORK/floor" -cp "$cp" "$BENCH_DIR/ListFloor.java" >>"$WORK/floor.log" 2>&1 ||
        { tail -n 20 "$WORK/floor.log" >&2; die "bench/ListFloor.java did not compile (above)"; }
    APP_URL="http://127.0.0.1:$APP_PORT"
    PORT="$APP_PORT" DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/bench" DATABASE_USER=bench \
        "$JAVA" -XX:+UseSerialGC -XX:NewRatio=1 -Xmx64m -cp "$WORK/floor:$cp" ListFloor >>"$WORK/floor.log" 2>&1 &
    APP_PID=$!
    local i
    for i in $(seq 1 600); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$APP_URL/" || true) == 200 ]] && return 0
        kill -0 "$APP_PID" 2>/dev/null || { tail -n 20 "$WORK/floor.log" >&2; die "the floor exited (log above)"; }
        sleep 0.1
    done
    die "the floor did not answer within 60 s"
}

main() {
    begin_run floor-
    preflight
    make_workdir
    describe_app
    start_cluster
    APP_PORT=$(free_port)
    ADMIN_PORT=$(free_port)
    start_app
    fill "$SMALL_ROWS"
    extract_sql "$(deep_id "$SMALL_ROWS")"
    measure app
    stop_app
    APP_PORT=$(free_port)
    start_floor
    measure floor
    stop_app
    pgbench_run page-new-1k prepared "$WORK/page-new.vars" "" "$WORK/page-new.pgbench"

    local out="$RESULTS_DIR/floor-$STAMP.txt" key
    {
        echo "Phrasebook list floor — $(date -u '+%F %T UTC') — $(hostname)"
        echo "app: $JAR_DESC"
        echo "java: $JAVA_DESC; the app: JAVA_OPTS='$JAVA_OPTS'; the floor: -XX:+UseSerialGC -XX:NewRatio=1 -Xmx64m"
        echo "load: wrk -t$WRK_THREADS -c$CLIENTS, $WARMUP s of warm-up and $DURATION s measured each; $SMALL_ROWS rows"
        echo
        printf '%-40s %9s %9s %11s %9s %9s %7s\n' "GET / (16 clients)" "req/s" "p99 ms" "CPU µs/page" "RSS MB" "÷ ceiling" "others"
        for key in app floor; do
            printf '%-40s %9s %9s %11s %9s %9s %6s%%\n' "$key" "${RPS[$key]}" "${P99[$key]}" "${CPU_US[$key]}" "${RSS_OF[$key]}" \
                "$(ratio "${RPS[$key]}" "${TPS[page-new-1k]}")" "${OTHERS[$key]}"
        done
        printf '%-40s %9s %9s\n' "ceiling: pgbench, the app's page query" "${TPS[page-new-1k]}" "${PG_P99[page-new-1k]}"
        echo "app ÷ floor: $(ratio "${RPS[app]}" "${RPS[floor]}")"
        echo
        list_errors "errors: none"
    } >"$out"
    show_results "$out"
    ((${#ERRORS[@]} == 0)) || exit 3
}

run_main "$@"
