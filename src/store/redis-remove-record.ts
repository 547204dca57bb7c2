/**
 * The one removal of the Redis subscription and channel stores, which keep the same shape: a
 * record hash with a `spec` JSON field, its list (outbox or queue), the owner's id set and the
 * owner's clientCorrelator index. One script, so no reader sees a record without its list or a
 * correlator pointing at nothing.
 *
 * KEYS: 1 record, 2 list, 3 ids set, 4 correlators. ARGV: 1 id.
 * Returns the removed record's spec JSON, or false when it did not exist.
 */
export const REMOVE_RECORD_LUA = `
local spec = redis.call('HGET', KEYS[1], 'spec')
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
if not spec then return false end
local corr = cjson.decode(spec).clientCorrelator
if type(corr) == 'string' and redis.call('HGET', KEYS[4], corr) == ARGV[1] then redis.call('HDEL', KEYS[4], corr) end
return spec
`
