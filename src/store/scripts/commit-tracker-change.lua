--[[
  Applies one change-tracker commit: the folder vector at the head, the log entry, the
  tombstones, an optional full snapshot and the flag snapshots, under the next box sequence
  number. Compare-and-set on the head's seq, so two instances never commit over each other.
  MODSEQ values stay inside the JSON strings; nothing here compares them as numbers.

  Input:
    KEYS[1] tracker head hash (epoch, seq, floor, snap, since, trimmed)
    KEYS[2] tracked folders hash (folderId -> TrackedFolder JSON)
    KEYS[3] log sorted set (score = seq)
    KEYS[4] snapshots sorted set (score = seq)
    KEYS[5] tombstones sorted set (score = seq)
    KEYS[6] box sequence counter
    KEYS[7] flag snapshots hash (folderId -> FlagSnapshot JSON)

    ARGV[1] expected seq of the head (0 for a box not tracked yet)
    ARGV[2] commit time, ms since the epoch
    ARGV[3] epoch, written when the head is created
    ARGV[4] '1' to store a full snapshot of the folders, '0' not to
    ARGV[5] upserts, JSON [[folderId, TrackedFolder JSON], ...]
    ARGV[6] removed folder ids, JSON [folderId, ...]
    ARGV[7] tombstone bodies, JSON [members after seq and at, closing brace included, ...]
    ARGV[8] log entry body (JSON members after the seq, closing brace included)
    ARGV[9] flag snapshots, JSON [[folderId, FlagSnapshot JSON], ...]

  Output:
    the new seq
    -1 the head is not at the expected seq
]]
local cur = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if cur ~= tonumber(ARGV[1]) then return -1 end
if cur == 0 then
  redis.call('HSET', KEYS[1], 'epoch', ARGV[3], 'floor', '0', 'snap', '0', 'since', '0', 'trimmed', ARGV[2])
end
local seq = redis.call('INCR', KEYS[6])
local ups = cjson.decode(ARGV[5])
for i = 1, #ups do redis.call('HSET', KEYS[2], ups[i][1], ups[i][2]) end
local rem = cjson.decode(ARGV[6])
for i = 1, #rem do
  redis.call('HDEL', KEYS[2], rem[i])
  redis.call('HDEL', KEYS[7], rem[i])
end
local snaps = cjson.decode(ARGV[9])
for i = 1, #snaps do redis.call('HSET', KEYS[7], snaps[i][1], snaps[i][2]) end
redis.call('ZADD', KEYS[3], seq, '{"seq":' .. seq .. ',' .. ARGV[8])
local tombs = cjson.decode(ARGV[7])
for i = 1, #tombs do
  redis.call('ZADD', KEYS[5], seq, '{"seq":' .. seq .. ',"at":' .. ARGV[2] .. ',' .. tombs[i])
end
if ARGV[4] == '1' then
  local all = redis.call('HVALS', KEYS[2])
  redis.call('ZADD', KEYS[4], seq, '{"seq":' .. seq .. ',"folders":[' .. table.concat(all, ',') .. ']}')
  redis.call('HSET', KEYS[1], 'snap', tostring(seq), 'since', '0')
else
  redis.call('HINCRBY', KEYS[1], 'since', 1)
end
redis.call('HSET', KEYS[1], 'seq', tostring(seq))
return seq
