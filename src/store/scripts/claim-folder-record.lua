--[[
  Claims a folder id for a mailbox: the record already stored for the same path and
  UIDVALIDITY wins, so concurrent instances that discover one folder agree on one id.

  Input:
    KEYS[1] folder records hash (folderId -> record JSON)

    ARGV[1] the new record's JSON
    ARGV[2] the new record's folder id
    ARGV[3] the folder's path
    ARGV[4] the folder's UIDVALIDITY (decimal string, compared as a string)

  Output:
    the JSON of the record that wins (a stored one, or ARGV[1] once written)
]]
local all = redis.call('HVALS', KEYS[1])
for _, v in ipairs(all) do
  local r = cjson.decode(v)
  if r.path == ARGV[3] and r.uidValidity == ARGV[4] then return v end
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[1])
return ARGV[1]
