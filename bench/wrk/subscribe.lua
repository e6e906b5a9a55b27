-- The rush's new subscribers: PUT /products/{id}/subscriptions/{userId} on a product that is not
-- restocked; args: product id, first user id. Each request takes the next user id, so every one
-- creates a subscription (201). The counter is per wrk thread: the bench runs wrk with -t1.
dofile("bench/wrk/common.lua")

local product
local nextUser

function init(args)
  product = args[1]
  nextUser = tonumber(args[2])
end

function request()
  local path = "/products/" .. product .. "/subscriptions/" .. string.format("%d", nextUser)
  nextUser = nextUser + 1
  return wrk.format("PUT", path)
end
