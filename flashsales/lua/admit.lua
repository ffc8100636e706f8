-- The flash sale's admission (flashsales/gate.py); verdict names come from gate.Code.
-- KEYS: sale hash, customer rate, address rate, denylist "loaded" key ('' = checked already),
--       the token's and its session's denylist keys, the account's token-generation key.
-- ARGV: now, customer id, drop-key lifetime, customer rate, its window, address rate, its window,
--       the token's generation.
if KEYS[4] ~= '' then
  if redis.call('EXISTS', KEYS[4]) == 0 then return {DENYLIST_UNLOADED} end
  if redis.call('EXISTS', KEYS[5]) == 1 then return {TOKEN_DENIED} end
  if KEYS[6] ~= '' and redis.call('EXISTS', KEYS[6]) == 1 then return {TOKEN_DENIED} end
  -- A password reset or change since the token was minted (accounts/tokens.py).
  local generation = KEYS[7] ~= '' and redis.call('GET', KEYS[7])
  if generation and tonumber(generation) > tonumber(ARGV[8]) then return {TOKEN_DENIED} end
end
local state = redis.call('HMGET', KEYS[1], 'ready', 'first', 'interval', 'drops', 'per_drop',
                         'limit', 'taken', 'closed', 'gen')
if not state[1] then return {UNKNOWN} end
local now = tonumber(ARGV[1])
-- Seconds until the clock-aligned window closes, at least 1 (core.throttles.window_retry_after).
local function retry_after(window)
  return math.max(math.ceil((math.floor(now / window) + 1) * window - now), 1)
end
local customer_rate, address_rate = tonumber(ARGV[4]), tonumber(ARGV[6])
if customer_rate > 0 then
  local used = redis.call('INCR', KEYS[2])
  if used == 1 then redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5])) end
  if used > customer_rate then return {THROTTLED, 0, 0, retry_after(tonumber(ARGV[5]))} end
end
if address_rate > 0 then
  local used = redis.call('INCR', KEYS[3])
  if used == 1 then redis.call('EXPIRE', KEYS[3], tonumber(ARGV[7])) end
  if used > address_rate then return {THROTTLED, 0, 0, retry_after(tonumber(ARGV[7]))} end
end
local first, interval, drops = tonumber(state[2]), tonumber(state[3]), tonumber(state[4])
if now < first then return {NOT_OPEN} end
if state[8] == '1' or now >= first + drops * interval then return {ENDED} end
local drop = math.floor((now - first) / interval)
local released = tonumber(state[5]) * (drop + 1)
if tonumber(state[7]) >= released then return {SOLD_OUT, drop, state[9]} end
local drop_key = KEYS[1] .. ':d:' .. drop
local mine = tonumber(redis.call('HGET', drop_key, ARGV[2]) or '0')
if mine >= tonumber(state[6]) then return {LIMIT, drop, state[9]} end
redis.call('HINCRBY', KEYS[1], 'taken', 1)
redis.call('HINCRBY', drop_key, ARGV[2], 1)
redis.call('EXPIRE', drop_key, tonumber(ARGV[3]))
return {ADMIT, drop, state[9]}
