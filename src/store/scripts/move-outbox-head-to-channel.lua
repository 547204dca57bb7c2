--[[
  Moves the head of a subscription's outbox, if it has the given index, to the end of a
  notification channel's queue under the channel's next seq. The channel and the subscription
  belong to one box, so the keys share its hash tag (one slot in Redis Cluster).

  Input:
    KEYS[1] the channel's record hash (seq)
    KEYS[2] the channel's queue list of '<seq>\n<body>' strings
    KEYS[3] the subscription's outbox list of '<index>\n<body>' strings

    ARGV[1] the outbox index to move (decimal string)

  Output:
    1 moved
    0 nothing to move (empty outbox, or its head has another index)
    -1 the channel is gone
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local head = redis.call('LINDEX', KEYS[3], 0)
if not head then return 0 end
local nl = string.find(head, '\n', 1, true)
if not nl or string.sub(head, 1, nl - 1) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[3])
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('RPUSH', KEYS[2], seq .. '\n' .. string.sub(head, nl + 1))
return 1
