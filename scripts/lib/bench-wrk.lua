-- wrk script for scripts/bench: rotates a mixed query set of POST /indexes/<uid>/search bodies.
-- Arguments (after `--`): QUERIES_FILE INDEX_UID [BEARER_TOKEN]
--   QUERIES_FILE: one JSON search body per line.
-- Each thread starts at a different place in the set, then takes the queries in order, round-robin.
-- done() prints one line `BENCH_JSON {...}` with the counts and latency percentiles (microseconds).

local requests = {}
local position = 0

local thread_counter = 0
function setup(thread)
  thread:set("thread_id", thread_counter)
  thread_counter = thread_counter + 1
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  local path = "/indexes/" .. args[2] .. "/search"
  local headers = { ["Content-Type"] = "application/json" }
  if args[3] and args[3] ~= "" then
    headers["Authorization"] = "Bearer " .. args[3]
  end
  for line in file:lines() do
    if line ~= "" then
      requests[#requests + 1] = wrk.format("POST", path, headers, line)
    end
  end
  file:close()
  position = ((thread_id or 0) * 7) % #requests
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function done(summary, latency, requests_stats)
  local e = summary.errors
  local parts = {
    string.format('"requests":%d', summary.requests),
    string.format('"duration_us":%d', summary.duration),
    string.format('"bytes":%d', summary.bytes),
    string.format('"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}',
      e.connect, e.read, e.write, e.status, e.timeout),
    string.format('"latency_us":{"min":%d,"mean":%.1f,"max":%d,"stdev":%.1f,"p50":%d,"p90":%d,"p95":%d,"p99":%d,"p999":%d}',
      latency.min, latency.mean, latency.max, latency.stdev,
      latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99), latency:percentile(99.9)),
  }
  io.write("BENCH_JSON {" .. table.concat(parts, ",") .. "}\n")
end
