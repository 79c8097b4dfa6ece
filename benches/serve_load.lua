-- wrk script for benches/serve_load.sh: each request takes the next path of a list file
-- (many entities, names and pairs, not one URL hammered); every wrk thread starts at its own
-- place in the list. `done` prints one machine-readable line for the table.
--
--   wrk -t2 -c50 -d60s --latency -s benches/serve_load.lua http://127.0.0.1:PORT -- LIST

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local paths = {}
local at = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  -- Threads start spread over the list, so they do not ask the same things in step.
  at = math.floor((id - 1) * #paths / 7) % #paths
end

function request()
  at = at % #paths + 1
  return wrk.format("GET", paths[at])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
