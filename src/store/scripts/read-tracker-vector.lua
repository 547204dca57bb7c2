--[[
  Reads what resolving the folder vector at a seq needs, consistently with concurrent trims:
  the newest snapshot at or below the seq and the log entries after it up to the seq.

  Input:
    KEYS[1] tracker head hash (seq, floor)
    KEYS[2] snapshots sorted set (score = seq)
    KEYS[3] log sorted set (score = seq)

    ARGV[1] the seq to resolve

  Output:
    false when the seq is outside [floor, head] or has no snapshot at or below it
    else an array: the snapshot JSON, then the log entries after it up to the seq, in order
]]
local seq = tonumber(ARGV[1])
local head = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local floor = tonumber(redis.call('HGET', KEYS[1], 'floor') or '0')
if head == 0 or seq < floor or seq > head then return false end
local snap = redis.call('ZREVRANGEBYSCORE', KEYS[2], seq, '-inf', 'WITHSCORES', 'LIMIT', 0, 1)
if #snap == 0 then return false end
local entries = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. snap[2], seq)
table.insert(entries, 1, snap[1])
return entries
