--[[
  The one removal of a subscription or a notification channel, which keep the same shape: a
  record hash with a `spec` JSON field, its list (outbox or queue), the owner's ids set and the
  owner's clientCorrelator index. One script, so no reader sees a record without its list or a
  correlator pointing at nothing.

  Input:
    KEYS[1] the record hash
    KEYS[2] the record's list (subscription outbox or channel queue)
    KEYS[3] the owner's ids set
    KEYS[4] the owner's correlators hash (clientCorrelator -> id)

    ARGV[1] the record's id

  Output:
    the removed record's spec JSON
    false when it did not exist
]]
local spec = redis.call('HGET', KEYS[1], 'spec')
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
if not spec then return false end
local corr = cjson.decode(spec).clientCorrelator
if type(corr) == 'string' and redis.call('HGET', KEYS[4], corr) == ARGV[1] then redis.call('HDEL', KEYS[4], corr) end
return spec
