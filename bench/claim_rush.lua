-- wrk script for the flash-sale rush: every request a claim by the next customer's token.
-- wrk -s bench/claim_rush.lua URL -- PATH TOKENS_FILE THREADS
local threads = {}
local tokens = {}
local counter, stride, path = 0, 1, "/"
s201, s409, s429, s5xx, sother = 0, 0, 0, 0, 0

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  path = args[1]
  for line in io.lines(args[2]) do tokens[#tokens + 1] = line end
  stride = tonumber(args[3])
  counter = offset
end

function request()
  local token = tokens[counter % #tokens + 1]
  counter = counter + stride
  return wrk.format("POST", path, { ["Authorization"] = "Bearer " .. token }, "")
end

function response(status, headers, body)
  if status == 201 then s201 = s201 + 1
  elseif status == 409 then s409 = s409 + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status >= 500 then s5xx = s5xx + 1
  else sother = sother + 1 end
end

function done(summary, latency, requests)
  local totals = { s201 = 0, s409 = 0, s429 = 0, s5xx = 0, sother = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "statuses": {"201": %d, "409": %d, "429": %d, "5xx": %d, "other": %d}, ' ..
    '"socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    totals.s201, totals.s409, totals.s429, totals.s5xx, totals.sother,
    errors.connect + errors.read + errors.write, errors.timeout))
end
