--[[
  Starts a long poll on a channel: makes the poll current, extends the channel's expiry and
  drops what the previous response carried (items up to `sent`).

  Input:
    KEYS[1] the channel's record hash (exp, poll, sent)
    KEYS[2] the channel's queue list of '<seq>\n<body>' strings

    ARGV[1] poll id
    ARGV[2] expiresAt: ms since the epoch; the expiry only moves forward

  Output:
    1 the poll is current
    0 the channel is gone
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local exp = tonumber(redis.call('HGET', KEYS[1], 'exp') or '0')
if tonumber(ARGV[2]) > exp then redis.call('HSET', KEYS[1], 'exp', ARGV[2]) end
local sent = tonumber(redis.call('HGET', KEYS[1], 'sent') or '0')
while sent > 0 do
  local head = redis.call('LINDEX', KEYS[2], 0)
  if not head then break end
  local seq = tonumber(string.match(head, '^(%d+)\n'))
  if seq == nil or seq > sent then break end
  redis.call('LPOP', KEYS[2])
end
redis.call('HSET', KEYS[1], 'poll', ARGV[1], 'sent', '0')
return 1
