--[[
  Queues notification lists in a subscription's outbox and advances the record past them, only
  if gen, pos and idx are still as the caller read them (compare-and-set against a concurrent
  update or another instance's append).

  Input:
    KEYS[1] the subscription's record hash (gen, pos, idx, tok, reset)
    KEYS[2] the subscription's outbox list of '<index>\n<body>' strings

    ARGV[1] expected gen
    ARGV[2] expected pos
    ARGV[3] expected idx (the index of the first item)
    ARGV[4] new pos
    ARGV[5] new restart token
    ARGV[6] '1' to clear the pending reset, else '0'
    ARGV[7..] the items, '<index>\n<body>', in index order

  Output:
    1 appended
    0 the record is gone or moved on
]]
local r = redis.call('HMGET', KEYS[1], 'gen', 'pos', 'idx')
if not r[1] or r[1] ~= ARGV[1] or r[2] ~= ARGV[2] or r[3] ~= ARGV[3] then return 0 end
for i = 7, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'pos', ARGV[4], 'tok', ARGV[5], 'idx', tostring(tonumber(ARGV[3]) + #ARGV - 6))
if ARGV[6] == '1' then redis.call('HSET', KEYS[1], 'reset', '0') end
return 1
