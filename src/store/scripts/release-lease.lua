--[[
  Releases a lease if we still own it; a lease taken over meanwhile stays with its new owner.

  Input:
    KEYS[1] the lease key

    ARGV[1] owner

  Output:
    1 always
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
