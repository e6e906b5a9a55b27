-- The rush's lookers: GET /products/{id}; args: product id.
dofile("bench/wrk/common.lua")

local req

function init(args)
  req = wrk.format("GET", "/products/" .. args[1])
end

function request()
  return req
end
