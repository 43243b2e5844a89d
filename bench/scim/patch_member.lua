-- PATCH /Groups/{id} adding one member to the 50,000-member group (users above 50,000
-- are not members yet).
dofile(os.getenv("ROSTERD_BENCH_DIR") .. "/common.lua")
request = function()
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"' ..
    user_id(math.random(50001, users)) .. '"}]}]}'
  return wrk.format("PATCH", "/scim/v2/Groups/" .. group_id(1), nil, body)
end
