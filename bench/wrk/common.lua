-- Shared by the rush scripts (bench/src/io/restock/bench/ApiLoad.java runs wrk from the
-- repository root, so this path is relative to it). Counts every answer by HTTP status, so the
-- bench can tell the status it expects (200 or 201) from every other; wrk's own
-- summary.errors.status only counts statuses >= 400.
counts = {}

function response(status, headers, body)
  local key = tostring(status)
  counts[key] = (counts[key] or 0) + 1
end

-- setup() runs in the main Lua state, once per wrk thread; done() runs there too and reads each
-- thread's counts through the handle kept here.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- One machine-readable line for the bench to parse (latencies in microseconds).
function done(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts") or {}) do
      statuses[status] = (statuses[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(statuses) do
    table.insert(parts, status .. ":" .. n)
  end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format("WRK requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d"
      .. " status_errors=%d connect=%d read=%d write=%d timeout=%d statuses=%s\n",
      summary.requests, summary.duration, math.floor(latency:percentile(50)),
      math.floor(latency:percentile(99)), latency.max, e.status, e.connect, e.read, e.write,
      e.timeout, table.concat(parts, ",")))
end
