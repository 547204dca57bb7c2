--[[
  Creates a notification channel record, unless a live channel of the user already holds the
  clientCorrelator (then that one is the answer, OMA idempotent create). A correlator whose
  holder is gone is taken over.

  Input:
    KEYS[1] the channel's record hash (its key ends in ':<id>')
    KEYS[2] the user's channel ids set
    KEYS[3] the user's correlators hash (clientCorrelator -> channel id)

    ARGV[1] channel id
    ARGV[2] clientCorrelator ('' for none)
    ARGV[3] spec JSON (the fixed part)
    ARGV[4] exp: end of the lifetime, ms since the epoch
    ARGV[5] life: channelLifetime in seconds

  Output:
    '' created
    else the id of the live channel that holds the correlator
]]
if ARGV[2] ~= '' then
  local other = redis.call('HGET', KEYS[3], ARGV[2])
  if other then
    local rec = string.gsub(KEYS[1], '[^:]+$', other)
    if redis.call('EXISTS', rec) == 1 then return other end
  end
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[1])
end
redis.call('HSET', KEYS[1], 'spec', ARGV[3], 'exp', ARGV[4], 'life', ARGV[5], 'poll', '', 'sent', '0', 'seq', '0')
redis.call('SADD', KEYS[2], ARGV[1])
return ''
