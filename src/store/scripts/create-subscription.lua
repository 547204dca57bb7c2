--[[
  Creates a subscription record, unless a live subscription of the box already holds the
  clientCorrelator (then that one is the answer, OMA idempotent create). A correlator whose
  holder is gone is taken over.

  Input:
    KEYS[1] the subscription's record hash (its key ends in ':<id>')
    KEYS[2] the box's subscription ids set
    KEYS[3] the box's correlators hash (clientCorrelator -> subscription id)

    ARGV[1] subscription id
    ARGV[2] clientCorrelator ('' for none)
    ARGV[3] spec JSON (the fixed part)
    ARGV[4] exp: end of the duration, ms since the epoch
    ARGV[5] pos: box seq the feed has reached
    ARGV[6] reset: '1' when a reset notification is pending, else '0'
    ARGV[7] idx: the next notification index
    ARGV[8] tok: the restart token after pos

  Output:
    '' created
    else the id of the live subscription that holds the correlator
]]
if ARGV[2] ~= '' then
  local other = redis.call('HGET', KEYS[3], ARGV[2])
  if other then
    -- The record key ends in ':<id>'; '+' (not '*'), or Lua 5.1 also matches the empty tail.
    local rec = string.gsub(KEYS[1], '[^:]+$', other)
    if redis.call('EXISTS', rec) == 1 then return other end
  end
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[1])
end
redis.call('HSET', KEYS[1], 'spec', ARGV[3], 'exp', ARGV[4], 'pos', ARGV[5], 'reset', ARGV[6], 'idx', ARGV[7], 'tok', ARGV[8], 'gen', '0')
redis.call('SADD', KEYS[2], ARGV[1])
return ''
