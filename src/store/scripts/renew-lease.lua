--[[
  Extends a lease we still own.

  Input:
    KEYS[1] the lease key

    ARGV[1] owner
    ARGV[2] time to live, ms

  Output:
    1 renewed
    0 the lease is gone or another owner holds it
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
