-- wrk_report.lua - prints one JSON line per run: throughput, latency
-- percentiles (ms) and errors (socket errors, timeouts and answers >= 400;
-- wrk counts those itself, so no per-response Lua runs).
-- Also drives writes: set WRK_MODE=post or WRK_MODE=patch and WRK_TOKEN.
-- WRK_GZIP=1 asks for gzip-compressed answers.

local mode = os.getenv("WRK_MODE") or "get"
local token = os.getenv("WRK_TOKEN") or ""
-- WRK_COOKIE set: sign in with that session cookie instead of the token.
local cookie = os.getenv("WRK_COOKIE") or ""
local max_id = tonumber(os.getenv("WRK_MAX_ID") or "1000")
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + (tid or 0) * 7919)
  if cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  else
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  if mode ~= "get" then
    wrk.headers["Content-Type"] = "application/json"
  end
  -- WRK_GZIP=1: ask for gzip, as browsers do (the response cache keeps both).
  if os.getenv("WRK_GZIP") == "1" then
    wrk.headers["Accept-Encoding"] = "gzip"
  end
end

function request()
  counter = counter + 1
  if mode == "post" then
    local body = string.format(
      '{"name":"bench %d-%d-%d","track":"azure","status":"pilot","criticality":"medium",' ..
      '"owner":"Bench owner","ai_act_tier":"minimal","data_classification":"internal",' ..
      '"monthly_spend":1200,"dependencies":[{"offering":1,"role":"model"}]}',
      tid or 0, counter, math.random(1, 1000000000))
    return wrk.format("POST", "/api/v1/workloads", nil, body)
  elseif mode == "patch" then
    local id = math.random(1, max_id)
    local body = string.format('{"users":%d}', math.random(1, 100000))
    return wrk.format("PATCH", "/api/v1/workloads/" .. id, nil, body)
  end
  return wrk.format(nil, wrk.path)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"rps":%.1f,"p50":%.3f,"p99":%.3f,"p999":%.3f,"requests":%d,"errors":%d}\n',
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.requests, errors))
end
