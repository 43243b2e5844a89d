-- POST /Users with a new userName each time.
dofile(os.getenv("ROSTERD_BENCH_DIR") .. "/common.lua")
counter = 0
run = tostring(os.time()) .. tostring(math.random(1, 1000000))
request = function()
  counter = counter + 1
  local name = "new" .. run .. "-" .. counter .. "@bench.example"
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' .. name ..
    '","name":{"givenName":"New","familyName":"User"},"emails":[{"value":"' .. name ..
    '","type":"work","primary":true}],"active":true}'
  return wrk.format("POST", "/scim/v2/Users", nil, body)
end
