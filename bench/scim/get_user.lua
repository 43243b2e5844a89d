-- GET /Users/{id} of a random seeded user.
dofile(os.getenv("ROSTERD_BENCH_DIR") .. "/common.lua")
request = function()
  return wrk.format("GET", "/scim/v2/Users/" .. user_id(math.random(1, users)))
end
