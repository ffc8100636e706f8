-- wrk script for purchases: each request is the next customer's purchase of their own cart.
-- wrk -s bench/purchase.lua URL -- BUYERS_FILE THREADS
-- BUYERS_FILE lines: "<access token> <cart id> [<Idempotency-Key> or -] [<JSON body>]"
local threads = {}
local buyers = {}
local counter, stride = 0, 1
s201, s409, s4xx, s5xx = 0, 0, 0, 0

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local token, cart, key, body = line:match("^(%S+) (%S+) ?(%S*) ?(%S*)$")
    if key == "-" then key = "" end
    buyers[#buyers + 1] = { token = token, cart = cart, key = key, body = body }
  end
  stride = tonumber(args[2])
  counter = offset
end

function request()
  local buyer = buyers[counter % #buyers + 1]
  counter = counter + stride
  local headers = { ["Authorization"] = "Bearer " .. buyer.token }
  if buyer.key ~= "" then headers["Idempotency-Key"] = buyer.key end
  if buyer.body ~= "" then headers["Content-Type"] = "application/json" end
  return wrk.format("POST", "/api/carts/" .. buyer.cart .. "/purchase", headers, buyer.body)
end

function response(status, headers, body)
  if status == 201 then s201 = s201 + 1
  elseif status == 409 then s409 = s409 + 1
  elseif status >= 500 then s5xx = s5xx + 1
  else s4xx = s4xx + 1 end
end

function done(summary, latency, requests)
  local t = { s201 = 0, s409 = 0, s4xx = 0, s5xx = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(t) do t[name] = t[name] + thread:get(name) end
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "statuses": {"201": %d, "409": %d, "4xx": %d, "5xx": %d}, ' ..
    '"socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    t.s201, t.s409, t.s4xx, t.s5xx,
    errors.connect + errors.read + errors.write, errors.timeout))
end
