-- GET /Users?startIndex=..&count=100: a random page of 100 users.
dofile(os.getenv("ROSTERD_BENCH_DIR") .. "/common.lua")
request = function()
  local start = math.random(0, users / 100 - 1) * 100 + 1
  return wrk.format("GET", "/scim/v2/Users?startIndex=" .. start .. "&count=100")
end
