--[[
  Takes a free lease or extends our own (the single-instance lock of the Redis documentation's
  "Distributed Locks with Redis", with the owner as the value).

  Input:
    KEYS[1] the lease key

    ARGV[1] owner
    ARGV[2] time to live, ms

  Output:
    1 the lease is ours
    0 another owner holds it
]]
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
