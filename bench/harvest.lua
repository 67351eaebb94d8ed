-- Opens the campaign page again and again, as a crowd would, and keeps each one-time form
-- token it was given in the file named by the first script argument (one per line).
local out
init = function(args)
  out = assert(io.open(args[1], "a"))
  out:setvbuf("line") -- whole lines only: wrk ends without closing the file
end
request = function()
  return wrk.format("GET", wrk.path)
end
response = function(status, headers, body)
  local token = body:match('name="form_token" value="([^"]+)"')
  if token then out:write(token, "\n") end
end
done = function(summary, latency, requests)
  io.write(string.format("HARVESTED %d\n", summary.requests))
end
