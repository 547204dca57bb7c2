--[[
  Removes the head of a subscription's outbox once it is delivered, only if it carries the
  delivered index (a retried acknowledgement never drops the next list).

  Input:
    KEYS[1] the subscription's outbox list of '<index>\n<body>' strings

    ARGV[1] the delivered index (decimal string)

  Output:
    1 the head was removed
    0 the outbox is empty or its head has another index
]]
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then return 0 end
local idx = string.match(head, '^(%d+)\n')
if idx ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
return 1
