-- wrk: POST a body the size of a webhook event (the reference for bench/webhook).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.rep("x", 650)
