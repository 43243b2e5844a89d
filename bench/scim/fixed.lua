-- The reference: a plain GET against the minimal Beast server.
request = function() return wrk.format("GET", "/") end
