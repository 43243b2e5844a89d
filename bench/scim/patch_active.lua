-- PATCH /Users/{id} replacing active, the way Entra ID sends it (a string boolean).
dofile(os.getenv("ROSTERD_BENCH_DIR") .. "/common.lua")
flip = false
request = function()
  flip = not flip
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"' ..
    (flip and "False" or "True") .. '"}]}'
  return wrk.format("PATCH", "/scim/v2/Users/" .. user_id(math.random(1, users)), nil, body)
end
