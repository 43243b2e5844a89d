-- Shared by the SCIM wrk scripts: the token and the fixed ids of seed_identities.
token = os.getenv("ROSTERD_BENCH_TOKEN") or "bench-token"
users = tonumber(os.getenv("ROSTERD_BENCH_USERS") or "100000")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/scim+json"
function user_id(n) return string.format("00000000-0000-4000-8000-%012d", n) end
function group_id(n) return string.format("00000000-0000-4000-9000-%012d", n) end
-- Two wrk processes started in the same second (two instances) need different seeds.
math.randomseed(os.time() * 31 + string.byte(os.getenv("ROSTERD_BENCH_SALT") or "a"))
