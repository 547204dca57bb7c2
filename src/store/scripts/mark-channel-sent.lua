--[[
  Records the last queue seq a poll's response carried, while that poll is still current, so
  the next poll drops those items.

  Input:
    KEYS[1] the channel's record hash (poll, sent)

    ARGV[1] poll id
    ARGV[2] the last seq sent; `sent` only moves forward

  Output:
    1 recorded
    0 another poll is current
]]
if redis.call('HGET', KEYS[1], 'poll') ~= ARGV[1] then return 0 end
local sent = tonumber(redis.call('HGET', KEYS[1], 'sent') or '0')
if tonumber(ARGV[2]) > sent then redis.call('HSET', KEYS[1], 'sent', ARGV[2]) end
return 1
