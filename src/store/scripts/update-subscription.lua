--[[
  Sets moving fields of a subscription record that still exists and bumps its generation, so a
  feed append computed against the old fields fails its compare-and-set.

  Input:
    KEYS[1] the subscription's record hash

    ARGV[1..] pairs of field, value to set (exp, pos, reset, tok)

  Output:
    1 updated
    0 the record is gone
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('HINCRBY', KEYS[1], 'gen', 1)
return 1
