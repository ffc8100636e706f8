-- The database refused an admission the gate let through: agree with it, never less strict.
-- KEYS: sale hash. ARGV: refusal code, drop, customer id, generation.
if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[4] then return 0 end
if ARGV[1] == 'sold_out' then
  local released = tonumber(redis.call('HGET', KEYS[1], 'per_drop')) * (tonumber(ARGV[2]) + 1)
  if tonumber(redis.call('HGET', KEYS[1], 'taken')) < released then
    redis.call('HSET', KEYS[1], 'taken', released)
  end
else
  local limit = tonumber(redis.call('HGET', KEYS[1], 'limit'))
  redis.call('HSET', KEYS[1] .. ':d:' .. ARGV[2], ARGV[3], limit)
end
return 1
