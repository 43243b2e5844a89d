-- GET /Users?filter=userName eq "..." of a random seeded user (the IdPs' look-up).
dofile(os.getenv("ROSTERD_BENCH_DIR") .. "/common.lua")
request = function()
  local n = math.random(1, users)
  return wrk.format("GET", "/scim/v2/Users?filter=userName+eq+%22user" .. n .. "%40bench.example%22")
end
