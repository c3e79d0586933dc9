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
STEPS="${STEPS:-all}"         # all, or search: only the search steps (start, 1,000,000-row fill, search)
SMALL_ROWS="${SMALL_ROWS:-1000}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# ----------------------------------------------------------------------------------------

set -Eeuo pipefail
shopt -s inherit_errexit

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly BENCH_DIR
# shellcheck source=SCRIPTDIR/lib.sh
. "$BENCH_DIR/lib.sh"

RUN_SEQ=0
LAST_RPS=""       # rate of the latest wrk run
WARM_CURVE=""     # the warm-up slices' rates
LAST_WARM_LIST=""
declare -A RPS=() P50=() P99=() NOTE=() TPS=() PGLAT=() PG_P50=() PG_P99=() CEIL_OF=() OTHERS=() BAD=()
QUERIES="$BENCH_DIR/search-queries.txt" # the search steps' queries (bench/wrk.lua, mode search)
declare -a SEARCH_ALONE=()               # each query alone: "group ms status items query"

ratio() {
    awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'
}

# ---- preparation --------------------------------------------------------------------------

preflight() {
    [[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a whole number of seconds, not '$DURATION'"
    [[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a whole number of seconds, not '$WARMUP'"
    [[ $STARTS =~ ^[1-9][0-9]*$ ]] || die "STARTS must be a whole number, not '$STARTS'"
    [[ $LARGE_ROWS =~ ^[1-9][0-9]*$ && $SMALL_ROWS =~ ^[1-9][0-9]*$ ]] || die "SMALL_ROWS and LARGE_ROWS must be whole numbers"
    ((SMALL_ROWS >= 200)) || die "SMALL_ROWS must be at least 200 (the deep page needs rows below it)"
    [[ $STEPS == all || $STEPS == search ]] || die "STEPS must be all or search, not '$STEPS'"
    check_needs initdb pg_ctl psql pgbench
}

# The keyset cursor of a page deep in the table: a tenth of the way up from the oldest.
deep_id() { echo $(($1 / 10 + 1)); }

# ---- measurements -------------------------------------------------------------------------

# wrk_run KEY MODE EXPECTED_STATUS SECONDS PATH [warmup|measure [QUERY_GROUP]]
wrk_run() {
    local key=$1 mode=$2 expected=$3 seconds=$4 path=$5 kind=${6:-measure} group=${7:-}
    local out="$WORK/wrk-$key.txt"
    RUN_SEQ=$((RUN_SEQ + 1))
    local what="GET $path"
    case $mode in
    path) what="GET /<unique phrase>" ;;
    api) what="POST /api/phrases" ;;
    search) what="GET $path<$group queries of $(basename "$QUERIES"), in turn>" ;;
    esac
    say "wrk $kind: $key — $what, ${seconds} s, $CLIENTS connections"
    local rc=0 others
    cpu_mark
    run_tool "$out" wrk -t"$WRK_THREADS" -c"$CLIENTS" -d"${seconds}s" --timeout 5s --latency -s "$BENCH_DIR/wrk.lua" \
        "$APP_URL$path" -- "$expected" "$mode" "${RUN_ID}r$RUN_SEQ" "$QUERIES" "$group" || rc=$?
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
    statuses=$(awk -v want="$expected" 'BEGIN { n = split(want, w, ","); for (i = 1; i <= n; i++) ok[w[i]] = 1 }
        $1 == "BENCH" && $2 == "status" && !($3 in ok) { printf "%s%s×%s", sep, $4, $3; sep = ", " }' "$out")
    [[ -n $ok && -n $duration ]] || { loud "$key: no results from wrk"; ok=0 duration=1; }
    local note=""
    if [[ ${unexpected:-0} != 0 ]]; then note="unexpected answers: $statuses"; fi
    if [[ -n $sockets ]]; then note="${note:+$note; }socket errors: $sockets"; fi
    if ((ok == 0)); then note="${note:+$note; }no $expected answer at all"; fi
    if [[ -n $note ]]; then loud "$kind $key: $note (expected $expected)"; fi
    if [[ $expected == *,* ]]; then # more than one right answer: say how many of each
        note="${note:+$note; }answers: $(awk '$1 == "BENCH" && $2 == "status" { printf "%s%s×%s", sep, $4, $3; sep = ", " }' "$out")"
    fi
    LAST_RPS=$(awk -v ok="$ok" -v d="$duration" 'BEGIN { printf "%.0f", ok / (d / 1e6) }')
    if [[ $kind == measure ]]; then
        RPS[$key]=$LAST_RPS
        P50[$key]=$(ms "${p50:-0}")
        P99[$key]=$(ms "${p99:-0}")
        NOTE[$key]=$note
        BAD[$key]=$((${unexpected:-0} + $(awk '$1 == "BENCH" && $2 == "socket_errors" { print $3 + $4 + $5 + $6 }' "$out")))
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

# pgbench_run KEY MODE VARS_FILE BEFORE SCRIPT...: the scripts in one pgbench, each
# transaction one of them at random; MODE is pgbench's -M; BEFORE may be empty. Every
# transaction's latency is logged, for the p50 and p99.
pgbench_run() {
    local key=$1 mode=$2 vars=$3 before=$4
    shift 4
    local out="$WORK/pgbench-$key.txt" line script
    local -a defines=() scripts=()
    while IFS= read -r line; do defines+=(-D "$line"); done <"$vars"
    [[ -z $before ]] || defines+=(-D "before=$before")
    for script in "$@"; do scripts+=(-f "$script"); done
    if (($# == 1)); then
        say "pgbench: $key — $(grep -v '^--' "$1" | grep -v '^[\]' | tr '\n' ' ' | cut -c1-110)…"
    else
        say "pgbench: $key — $# scripts, each transaction one of them"
    fi
    local rc=0
    rm -f "$WORK/pglog-$key".*
    cpu_mark
    run_tool "$out" "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U bench -n -M "$mode" -c "$CLIENTS" -j "$WRK_THREADS" \
        -T "$DURATION" -l --log-prefix="$WORK/pglog-$key" "${scripts[@]}" "${defines[@]}" bench || rc=$?
    OTHERS[$key]=$(cpu_others)
    { echo "==== pgbench $key"; cat "$out"; } >>"$RAW"
    ((rc == 0)) || loud "pgbench exited with status $rc in $key: $(grep -m3 -iE 'error|abort' "$out" | tr '\n' ' ')"
    TPS[$key]=$(awk '/^tps = / { printf "%.0f", $3 }' "$out")
    PGLAT[$key]=$(awk '/^latency average = / { print $4 }' "$out")
    # the log's third field: the transaction's latency in µs
    local p50 p99
    read -r p50 p99 < <(cat "$WORK/pglog-$key".* | awk '{ print $3 }' | sort -n |
        awk '{ v[NR] = $1 } END { if (NR) printf "%.2f %.2f\n", v[int((NR - 1) * 0.5) + 1] / 1000, v[int((NR - 1) * 0.99) + 1] / 1000; else print "? ?" }')
    PG_P50[$key]=$p50 PG_P99[$key]=$p99
    rm -f "$WORK/pglog-$key".*
    local failed
    failed=$(awk -F': ' '/^number of failed transactions/ { split($2, a, " "); print a[1] }' "$out")
    [[ -z $failed || $failed == 0 ]] || loud "pgbench $key: $failed failed transactions"
    [[ -n ${TPS[$key]} ]] || loud "pgbench $key: no tps in its output"
    say "  $key: ${TPS[$key]:-?} tps, latency average ${PGLAT[$key]:-?} ms, p50 ${PG_P50[$key]} ms, p99 ${PG_P99[$key]} ms; other processes: ${OTHERS[$key]}% CPU"
}

# statement_log all|none: sets log_statement and waits until the server logs accordingly.
statement_log() {
    local setting=$1 probe i
    psql_admin "ALTER SYSTEM SET log_statement = '$setting'" >/dev/null
    psql_admin "SELECT pg_reload_conf()" >/dev/null
    for i in $(seq 1 100); do
        [[ $(psql_bench "SHOW log_statement") == "$setting" ]] && break
        sleep 0.05
    done
    [[ $(psql_bench "SHOW log_statement") == "$setting" ]] || die "log_statement did not become $setting"
    if [[ $setting == all ]]; then
        probe="bench-log-probe-$RUN_ID"
        psql_bench "SELECT '$probe'" >/dev/null
        for i in $(seq 1 100); do
            grep -q -- "$probe" "$PG_DIR/postgres.log" && break
            sleep 0.05
        done
        grep -q -- "$probe" "$PG_DIR/postgres.log" || die "log_statement = all did not take effect"
    fi
    sleep 0.2 # the app's connections read the new setting before their next statement
}

# Logs every statement for a moment, makes one request of each kind, and turns each
# request's statements into a pgbench script (bench/sql-from-log.pl).
extract_sql() {
    local deep=$1 log="$PG_DIR/postgres.log"
    say "extracting the app's SQL from the PostgreSQL log (log_statement = all for a moment)"
    statement_log all

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

    statement_log none
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

# ---- search -------------------------------------------------------------------------------

# Issue 8's search on the large table: SETTLE seconds of unmeasured load on the words (the
# warm-up above never searched: the JIT and the index's pages), then each group of
# bench/search-queries.txt for DURATION seconds, then every query alone.
search_steps() {
    local settle=$1
    wrk_run settle-search-1m search 200 "$settle" "/?q=" warmup words
    wrk_run search-1m search 200 "$DURATION" "/?q=" measure words
    # No trigram to use: a page or the 2 s statement timeout's 503, both the right answer.
    wrk_run search-hostile-1m search 200,503 "$DURATION" "/?q=" measure hostile
    # The hostile load's last searches run on in the database after wrk stops, up to their
    # 2 s timeout; the first queries alone would share the cores with them (0.7 s for `que`).
    sleep 3
    search_alone
    search_ceiling
}

# The words searches' own ceiling: the statements each "words" query sends (from the
# PostgreSQL log, one search each), run by pgbench with the same clients, one search a
# transaction. As unnamed statements planned for their values (-M extended), as the app's
# searches are (PlannedForTheirValues). What PostgreSQL alone does with the app's SQL.
search_ceiling() {
    local log="$PG_DIR/postgres.log" group query mark code n=0
    local -a scripts=()
    say "extracting the words searches' SQL from the PostgreSQL log (log_statement = all for a moment)"
    statement_log all
    : >"$WORK/search.vars"
    : >"$WORK/search-sql.txt"
    while IFS=$'\t' read -r group query; do
        [[ $group == words ]] || continue
        n=$((n + 1))
        mark=$(stat -c %s "$log")
        code=$(curl -s -o /dev/null -w '%{http_code}' -G --data-urlencode "q=$query" "$APP_URL/")
        sleep 0.2
        [[ $code == 200 ]] || loud "SQL probe q=$query answered $code, not 200"
        tail -c +"$((mark + 1))" "$log" >"$WORK/sql-search-$n.log"
        {
            echo "-- GET /?q=$query:"
            perl "$BENCH_DIR/sql-from-log.pl" bench none "$WORK/sql-search-$n.log" \
                "$WORK/search-$n.pgbench" "$WORK/search-$n.vars" "q$n"
        } >>"$WORK/search-sql.txt" 2>&1 || die "cannot turn the SQL of q=$query into a pgbench script: $(tail -n 2 "$WORK/search-sql.txt")"
        cat "$WORK/search-$n.vars" >>"$WORK/search.vars"
        scripts+=("$WORK/search-$n.pgbench")
    done <"$QUERIES"
    statement_log none
    say "statement logging is off again"
    ((n > 0)) || die "no words query in $QUERIES"
    pgbench_run search-words extended "$WORK/search.vars" "" "${scripts[@]}"
    CEIL_OF[search-1m]=search-words
}

# Each query with nothing else running, three times in a row (the median is kept): which
# queries are slow in themselves, as opposed to slow because others load the machine.
search_alone() {
    local group query i code seconds items ms status
    local -a times
    say "each search query alone, 3 times in a row (median), GET /?q="
    while IFS=$'\t' read -r group query; do
        [[ -n $group && $group != \#* ]] || continue
        times=() status=""
        for i in 1 2 3; do
            read -r code seconds < <(curl -s -o "$WORK/search-alone.html" -w '%{http_code} %{time_total}\n' \
                --max-time 10 -G --data-urlencode "q=$query" "$APP_URL/" || echo "000 0")
            times+=("$seconds")
            [[ $status == *$code* ]] || status+="${status:+,}$code"
        done
        items=$(grep -o '<span class="text">' "$WORK/search-alone.html" 2>/dev/null | wc -l || true)
        ms=$(printf '%s\n' "${times[@]}" | sort -n | awk 'NR == 2 { printf "%.1f", $1 * 1000 }')
        [[ $status == 200 ]] || loud "search alone: q=$query answered $status"
        SEARCH_ALONE+=("$(printf '%-8s %8s %6s %5s  %s' "$group" "$ms" "$status" "$items" "$query")")
        say "  $group: $ms ms, $status, $items on the page: $query"
    done <"$QUERIES"
}

# ---- the report ---------------------------------------------------------------------------

report() {
    local out=$1 elapsed=$2
    local fmt='%-44s %9s %9s %9s %7s %11s %9s %7s\n'
    {
        echo "Phrasebook benchmark — $(date -u '+%F %T UTC') — $(hostname)"
        echo "app: $JAR_DESC"
        echo "java: $JAVA_DESC; JAVA_OPTS='$JAVA_OPTS'; DATABASE_POOL_SIZE: the app's default"
        echo "database: PostgreSQL $PG_VERSION, private cluster on loopback, fsync on, synchronous_commit on, shared_buffers 128MB"
        echo "load: wrk -t$WRK_THREADS -c$CLIENTS, $DURATION s per measurement after ${WARMUP} s of warm-up; ceiling: pgbench -M prepared (search: -M extended) -c $CLIENTS -j $WRK_THREADS -T $DURATION"
        echo "machine: $(nproc) cores; load average before ${LOAD_BEFORE}, after $(cut -d' ' -f1-3 /proc/loadavg)"
        echo
        # shellcheck disable=SC2059
        printf "$fmt" "measured path (16 clients)" "req/s" "p50 ms" "p99 ms" "errors" "ceiling/s" "÷ ceiling" "others"
        # shellcheck disable=SC2059
        printf "$fmt" "--------------------------------------------" "---------" "---------" "---------" "-------" "-----------" "---------" "-------"
        local key label ceil
        for key in cold-list list-1k deep-1k add-path add-api list-1m deep-1m search-1m search-hostile-1m; do
            [[ -n ${RPS[$key]:-} || $STEPS == all ]] || continue
            case $key in
            cold-list) label="GET /             cold, first $DURATION s, ${SMALL_ROWS} rows" ;;
            list-1k) label="GET /             steady, ${SMALL_ROWS} rows" ;;
            deep-1k) label="GET /?before=$DEEP_SMALL  steady, ${SMALL_ROWS} rows" ;;
            add-path) label="GET /<phrase>     add, 303" ;;
            add-api) label="POST /api/phrases add, 201" ;;
            list-1m) label="GET /             steady, ${LARGE_ROWS} rows" ;;
            deep-1m) label="GET /?before=$DEEP_LARGE  steady, ${LARGE_ROWS} rows" ;;
            search-1m) label="GET /?q=<words>   search, ${LARGE_ROWS} rows" ;;
            search-hostile-1m) label="GET /?q=<hostile> search, ${LARGE_ROWS} rows" ;;
            esac
            ceil=${CEIL_OF[$key]:-none} # a path without a ceiling (search) reads TPS[none], unset
            # shellcheck disable=SC2059
            printf "$fmt" "$label" "${RPS[$key]:-—}" "${P50[$key]:-—}" "${P99[$key]:-—}" "${BAD[$key]:-—}" \
                "${TPS[$ceil]:-—}" "$(ratio "${RPS[$key]:-}" "${TPS[$ceil]:-}")" "${OTHERS[$key]:-?}%"
            [[ -z ${NOTE[$key]:-} ]] || echo "  !!! ${NOTE[$key]}"
        done
        echo "errors: answers other than the expected status and socket errors (a hostile query's 503 search-timeout is expected: the 2 s bound, not a hang)"
        if ((${#SEARCH_ALONE[@]})); then
            echo
            echo "search queries (bench/search-queries.txt), each alone, median of 3, GET /?q=:"
            printf '  %-8s %8s %6s %5s  %s\n' group ms status items query
            printf '  %s\n' "${SEARCH_ALONE[@]}"
        fi
        echo
        echo "ceilings (pgbench running the app's SQL, see below):"
        for key in page-new-1k page-deep-1k add-path add-api page-new-1m page-deep-1m search-words; do
            [[ -n ${TPS[$key]:-} ]] || continue
            printf '  %-16s %9s tps   latency average %8s ms, p50 %8s ms, p99 %8s ms   others %s%%\n' "$key" "${TPS[$key]}" \
                "${PGLAT[$key]:-?}" "${PG_P50[$key]:-?}" "${PG_P99[$key]:-?}" "${OTHERS[$key]:-?}"
        done
        echo
        if [[ $STEPS == all ]]; then # STEPS=search measures no ratio or warm-up slice
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
        list_errors "errors: none (every request got its expected status; no socket errors; pgbench had no failures)"
        if [[ -s $WORK/sql.txt ]]; then
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
        fi
        if [[ -s $WORK/search-sql.txt ]]; then
            echo
            echo "the SQL of each words search (one search each; the search-words ceiling runs them, -M extended):"
            sed 's/^/  /' "$WORK/search-sql.txt"
        fi
    } >"$out"
}

# ---- the run ------------------------------------------------------------------------------

# Every step but the start-ups: the list and add paths and their ceilings at both sizes,
# then search on the large table.
all_steps() {
    wrk_run cold-list get 200 "$DURATION" "/"
    warm_up "$WARMUP" "$DEEP_SMALL"
    extract_sql "$DEEP_SMALL"

    fill "$SMALL_ROWS"
    wrk_run list-1k get 200 "$DURATION" "/"
    wrk_run deep-1k get 200 "$DURATION" "/?before=$DEEP_SMALL"
    pgbench_run page-new-1k prepared "$WORK/page-new.vars" "" "$WORK/page-new.pgbench"
    pgbench_run page-deep-1k prepared "$WORK/page-deep.vars" "$DEEP_SMALL" "$WORK/page-deep.pgbench"
    CEIL_OF[cold-list]=page-new-1k CEIL_OF[list-1k]=page-new-1k CEIL_OF[deep-1k]=page-deep-1k

    wrk_run add-path path 303 "$DURATION" "/"
    wrk_run add-api api 201 "$DURATION" "/"
    pgbench_run add-path prepared "$WORK/add-path.vars" "" "$WORK/add-path.pgbench"
    CEIL_OF[add-path]=add-path CEIL_OF[add-api]=add-path
    if ! cmp -s "$WORK/add-path.pgbench" "$WORK/add-api.pgbench"; then
        pgbench_run add-api prepared "$WORK/add-api.vars" "" "$WORK/add-api.pgbench"
        CEIL_OF[add-api]=add-api
    fi

    fill "$LARGE_ROWS"
    wrk_run settle-1m get 200 2 "/" warmup
    wrk_run settle-deep-1m get 200 2 "/?before=$DEEP_LARGE" warmup
    wrk_run list-1m get 200 "$DURATION" "/"
    wrk_run deep-1m get 200 "$DURATION" "/?before=$DEEP_LARGE"
    pgbench_run page-new-1m prepared "$WORK/page-new.vars" "" "$WORK/page-new.pgbench"
    pgbench_run page-deep-1m prepared "$WORK/page-deep.vars" "$DEEP_LARGE" "$WORK/page-deep.pgbench"
    CEIL_OF[list-1m]=page-new-1m CEIL_OF[deep-1m]=page-deep-1m
    search_steps 5
}

main() {
    local started=$EPOCHREALTIME run_mark
    cpu_mark
    run_mark=$CPU_MARK
    begin_run ""

    preflight
    make_workdir
    describe_app
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

    if [[ $STEPS == search ]]; then
        say "STEPS=search: only the search steps, after $WARMUP s of unmeasured search load"
        fill "$LARGE_ROWS"
        search_steps "$((WARMUP > 2 ? WARMUP : 2))"
    else
        all_steps
    fi

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
    report "$RESULTS_DIR/$STAMP.txt" "$elapsed"
    show_results "$RESULTS_DIR/$STAMP.txt"
    ((${#ERRORS[@]} == 0)) || exit 3
}

# Sourcing this file (for experiments) defines the functions without running.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then run_main "$@"; fi
