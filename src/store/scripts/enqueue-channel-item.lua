--[[
  Queues one notification on a channel under the channel's next seq.

  Input:
    KEYS[1] the channel's record hash (seq)
    KEYS[2] the channel's queue list of '<seq>\n<body>' strings

    ARGV[1] the notification body

  Output:
    the new item's seq
    -1 the channel is gone
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('RPUSH', KEYS[2], seq .. '\n' .. ARGV[1])
return seq
