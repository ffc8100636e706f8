-- Give an admission back (the database refused it), unless the gate was rebuilt since.
-- KEYS: sale hash. ARGV: drop, customer id, generation.
if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[3] then return 0 end
redis.call('HINCRBY', KEYS[1], 'taken', -1)
redis.call('HINCRBY', KEYS[1] .. ':d:' .. ARGV[1], ARGV[2], -1)
return 1
