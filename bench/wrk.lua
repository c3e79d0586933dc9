-- One wrk script for every path bench/run.sh measures.
--
--   wrk ... -s bench/wrk.lua URL -- <expected statuses, e.g. 200 or 200,503> <mode> <tag> [<queries file> <group>]
--
-- mode "get":    GET of the URL's own path (the list pages)
-- mode "path":   GET /<unique phrase>, a new path segment for every request (adds; 303 expected)
-- mode "api":    POST /api/phrases with a unique {"text": "..."} (adds; 201 expected)
-- mode "search": GET <the URL's path><a query, percent-encoded>, e.g. URL .../?q=, the queries
--                being the lines "<group><TAB><query>" of the file whose group is <group>
--                (bench/search-queries.txt), in turn; each thread starts at another one
-- tag keeps the phrases of one run apart from those of another.
--
-- Every response's status is counted; done() prints machine-readable "BENCH" lines that
-- run.sh reads: requests, duration, the expected-status count, every other status, socket
-- errors and latency percentiles (microseconds).

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("tid", thread_count)
   table.insert(threads, thread)
end

function init(args)
   expected = args[1] or "200"
   mode = args[2] or "get"
   tag = args[3] or "0"
   statuses = {}
   n = 0
   if mode == "get" then
      fixed = wrk.format("GET", wrk.path)
   elseif mode == "api" then
      api_headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
   elseif mode == "search" then
      queries = read_queries(args[4], args[5])
      n = tid - 1
   elseif mode ~= "path" then
      error("unknown mode " .. mode)
   end
end

-- Every byte but the unreserved ones as %XX: the query's UTF-8 goes out as it is in the file.
local function encode(text)
   return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function read_queries(file, group)
   local list = {}
   for line in io.lines(file) do
      local g, query = line:match("^([^#\t][^\t]*)\t(.+)$")
      if g == group then
         table.insert(list, wrk.format("GET", wrk.path .. encode(query)))
      end
   end
   if #list == 0 then
      error("no queries of group " .. tostring(group) .. " in " .. tostring(file))
   end
   return list
end

function request()
   if mode == "get" then
      return fixed
   end
   n = n + 1
   if mode == "search" then
      return queries[n % #queries + 1]
   end
   if mode == "path" then
      -- one path segment of letters, digits and dashes: a new phrase every request
      return wrk.format("GET", string.format("/w%s-%d-%d", tag, tid, n))
   end
   return wrk.format("POST", "/api/phrases", api_headers,
      string.format('{"text": "api %s-%d-%d"}', tag, tid, n))
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local total = {}
   for _, thread in ipairs(threads) do
      local counted = thread:get("statuses")
      for status, count in pairs(counted) do
         total[status] = (total[status] or 0) + count
      end
   end
   local want = {}
   for code in string.gmatch(threads[1] and threads[1]:get("expected") or "200", "%d+") do
      want[tonumber(code)] = true
   end
   local ok, other = 0, 0
   for status, count in pairs(total) do
      io.write(string.format("BENCH status %d %d\n", status, count))
      if want[status] then ok = ok + count else other = other + count end
   end
   local e = summary.errors
   io.write(string.format("BENCH requests %d\n", summary.requests))
   io.write(string.format("BENCH duration_us %d\n", summary.duration))
   io.write(string.format("BENCH ok %d\n", ok))
   io.write(string.format("BENCH unexpected %d\n", other))
   io.write(string.format("BENCH socket_errors %d %d %d %d\n", e.connect, e.read, e.write, e.timeout))
   io.write(string.format("BENCH p50_us %d\n", latency:percentile(50.0)))
   io.write(string.format("BENCH p99_us %d\n", latency:percentile(99.0)))
   io.write(string.format("BENCH max_us %d\n", latency.max))
end
