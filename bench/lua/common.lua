-- Shared by every Roster benchmark script: the admin key and the sampled ids come from the
-- environment (set by bench/bench.mjs), requests pick ids at random, and done() prints one JSON
-- line that bench.mjs parses.
local M = {}

function M.read_lines(path)
  local lines = {}
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in file:lines() do
    if #line > 0 then lines[#lines + 1] = line end
  end
  file:close()
  assert(#lines > 0, path .. " is empty")
  return lines
end

function M.headers()
  return {
    ["Authorization"] = "Bearer " .. assert(os.getenv("ROSTER_BENCH_KEY"), "ROSTER_BENCH_KEY"),
    ["Content-Type"] = "application/json",
  }
end

function M.seed_random()
  -- Distinct per run (bench.mjs passes a run number), reproducible for a given run number.
  math.randomseed(tonumber(os.getenv("ROSTER_BENCH_SEED") or "1"))
end

-- The first refused request of the run (status and body), reported by done(): a benchmark that
-- starts failing must say why. wrk calls setup() per thread and response() for every answer.
local threads = {}

function M.setup(thread)
  threads[#threads + 1] = thread
end

-- `tolerated(status, body)`, when a script sets it, names answers that are expected and are not
-- failures; they are counted apart (see assign.lua).
function M.response(status, headers, body)
  if status < 300 then return end
  if M.tolerated ~= nil and M.tolerated(status, body) then
    tolerated_count = (tolerated_count or 0) + 1
  elseif first_refusal == nil then
    first_refusal = tostring(status) .. " " .. string.sub(body or "", 1, 300)
  end
end

local function json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

-- One JSON line: requests/s, latency percentiles in microseconds, errors. Status errors count
-- every non-2xx/3xx response, so a benchmark that starts failing shows it in the table.
function M.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local refusal = "null"
  local tolerated = 0
  for _, thread in ipairs(threads) do
    local seen = thread:get("first_refusal")
    if seen ~= nil then refusal = json_string(seen) end
    tolerated = tolerated + (thread:get("tolerated_count") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"status_errors":%d,"tolerated":%d,"socket_errors":%d,"first_refusal":%s}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), latency.max,
    errors.status - tolerated, tolerated,
    errors.connect + errors.read + errors.write + errors.timeout, refusal))
end

return M
