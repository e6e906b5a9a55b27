-- The rush's buyers: POST /products/{id}/purchases {"quantity":1}; args: product id.
dofile("bench/wrk/common.lua")

local req

function init(args)
  req = wrk.format("POST", "/products/" .. args[1] .. "/purchases",
      { ["Content-Type"] = "application/json" }, '{"quantity":1}')
end

function request()
  return req
end
