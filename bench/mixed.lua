-- The mixed load of bench/soak.sh: what visitors do, in fixed proportions.
--
--   wrk ... -s bench/mixed.lua URL -- <tag> <rows> [<rate> <threads>]
--
-- Every 20 requests of a wrk thread: 11 GET / (the newest page), 6 GET /?before=<id>
-- (older pages, id between 2 and <rows>), and 3 adds, each with a new phrase: one
-- GET /<phrase> (303), one POST /phrases form with the server's own Origin (303), one
-- POST /api/phrases JSON (201). tag keeps the phrases of one run apart from another's.
--
-- Without <rate> every connection sends its next request as soon as the answer is in
-- (the maximum rate). With <rate> (requests per second, all threads together) the load
-- is paced through wrk's delay() callback; see pace() below.
--
-- done() prints machine-readable "BENCH" lines for soak.sh: every status, how many
-- requests of each expected status were sent, socket errors, latency percentiles (µs).

local ffi = require("ffi")
ffi.cdef [[
   typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
   int clock_gettime(int clock_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local now_ts = ffi.new("bench_timespec")

local function now_ms()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, now_ts)
   return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("tid", thread_count)
   table.insert(threads, thread)
end

-- L: GET /, D: GET /?before=, P: GET /<phrase>, F: POST /phrases, A: POST /api/phrases
local CYCLE = "LDLLDPLDLLDFLDLLDALL"
local EXPECTED = { L = 200, D = 200, P = 303, F = 303, A = 201 }

function init(args)
   tag = args[1] or "0"
   rows = tonumber(args[2]) or 1000
   local rate = tonumber(args[3]) or 0
   local nthreads = tonumber(args[4]) or 1
   statuses = {}
   sent = { [200] = 0, [201] = 0, [303] = 0 }
   n = 0
   list_request = wrk.format("GET", "/")
   origin = string.format("%s://%s:%s", wrk.scheme, wrk.host, wrk.port)
   form_headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = origin }
   api_headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
   if rate > 0 then
      -- wrk looks for a global delay() after init(): defined only when the load is paced
      interval_ms = 1000 * nthreads / rate
      delay = pace
   end
end

-- The thread's connections share one schedule: each call (a connection about to send)
-- takes the next free slot, interval_ms after the previous one, and waits for it. So the
-- thread's rate is rate/threads whatever the response time, as long as one of its
-- connections is free at each slot; a fixed per-connection delay would instead add the
-- response time to every interval and fall short of the target. Behind schedule by up to
-- 50 ms (timer granularity, a busy moment) the slots are caught up at once; further
-- behind, the missed slots are dropped rather than sent in a burst, and the shortfall
-- shows as a lower achieved rate.
local next_slot = nil
function pace()
   local now = now_ms()
   if next_slot == nil or next_slot < now - 50 then
      next_slot = now
   end
   local wait = next_slot - now
   next_slot = next_slot + interval_ms
   if wait < 0 then
      return 0
   end
   return wait
end

function request()
   if n == 0 then
      math.randomseed(1000 + tid) -- tid is set by setup(), which wrk calls after init()
   end
   n = n + 1
   local kind = CYCLE:sub((n - 1) % #CYCLE + 1, (n - 1) % #CYCLE + 1)
   local want = EXPECTED[kind]
   sent[want] = sent[want] + 1
   if kind == "L" then
      return list_request
   elseif kind == "D" then
      return wrk.format("GET", "/?before=" .. math.random(2, rows))
   end
   -- a new phrase every time: letters, digits and dashes, valid in a path segment and a form
   local phrase = string.format("m%s-%d-%d", tag, tid, n)
   if kind == "P" then
      return wrk.format("GET", "/" .. phrase)
   elseif kind == "F" then
      return wrk.format("POST", "/phrases", form_headers, "text=" .. phrase)
   end
   return wrk.format("POST", "/api/phrases", api_headers, string.format('{"text": "%s"}', phrase))
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local answered, sent_total = {}, { [200] = 0, [201] = 0, [303] = 0 }
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses")) do
         answered[status] = (answered[status] or 0) + count
      end
      for status, count in pairs(thread:get("sent")) do
         sent_total[status] = sent_total[status] + count
      end
   end
   -- Answers cannot be matched to requests here, only counted: a status outside 200, 201
   -- and 303 is unexpected, and more answers of one expected status than requests that
   -- expected it means some request got another request's status (misanswered). The few
   -- requests still in flight when wrk stops have no answer and are not counted.
   local ok, unexpected, misanswered = 0, 0, 0
   for status, count in pairs(answered) do
      io.write(string.format("BENCH status %d %d\n", status, count))
      if sent_total[status] then
         ok = ok + count
         if count > sent_total[status] then
            misanswered = misanswered + count - sent_total[status]
         end
      else
         unexpected = unexpected + count
      end
   end
   for status, count in pairs(sent_total) do
      io.write(string.format("BENCH sent %d %d\n", status, count))
   end
   local e = summary.errors
   io.write(string.format("BENCH requests %d\n", summary.requests))
   io.write(string.format("BENCH duration_us %d\n", summary.duration))
   io.write(string.format("BENCH ok %d\n", ok - misanswered))
   io.write(string.format("BENCH unexpected %d\n", unexpected))
   io.write(string.format("BENCH misanswered %d\n", misanswered))
   io.write(string.format("BENCH adds_sent %d\n", sent_total[201] + sent_total[303]))
   io.write(string.format("BENCH adds_answered %d\n", (answered[201] or 0) + (answered[303] or 0)))
   io.write(string.format("BENCH socket_errors %d %d %d %d\n", e.connect, e.read, e.write, e.timeout))
   io.write(string.format("BENCH p50_us %d\n", latency:percentile(50.0)))
   io.write(string.format("BENCH p99_us %d\n", latency:percentile(99.0)))
   io.write(string.format("BENCH max_us %d\n", latency.max))
end
