--[[
  Replaces a folder record only while it exists, so an update racing a removal cannot bring a
  deleted folder's id back.

  Input:
    KEYS[1] folder records hash (folderId -> record JSON)

    ARGV[1] folder id
    ARGV[2] the record's new JSON

  Output:
    1 replaced
    0 no such record
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
