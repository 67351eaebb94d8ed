-- Signs the campaign once per harvested token (file named by the first argument), each as a
-- new person. Counts the answers that acknowledged a sign-up (303 to the thanks page) and
-- times them itself, from the first request to the last acknowledgement, because the run
-- may end early when the tokens run out (wrk would count the idle rest of its duration).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *now);
]]
local function now()
  local t = ffi.new("bench_timespec")
  ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC
  return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local tokens, next_token, sent = {}, 1, 0
acknowledged, refused, first_sent, last_acknowledged = 0, 0, 0, 0
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
end

request = function()
  if first_sent == 0 then first_sent = now() end
  local token = tokens[next_token]
  -- Out of tokens: stop this thread. The sign-ups still in flight are not counted as
  -- acknowledged (the database count after the run includes them); the one request wrk may
  -- still send is for a small static page, whose 200 no sign-up answers.
  if token == nil then
    wrk.thread:stop()
    return wrk.format("GET", "/robots.txt")
  end
  next_token = next_token + 1
  sent = sent + 1
  local body = "form_token=" .. token .. "&given_name=Bench&family_name=Parent+" .. sent
    .. "&email=bench" .. sent .. "." .. token:sub(1, 12):gsub("[^%w]", "") .. "%40example.org&postal_code=10007"
  return wrk.format("POST", wrk.path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

response = function(status, headers, body)
  if status == 200 then return end -- the request sent after the tokens ran out
  if status == 303 then
    acknowledged = acknowledged + 1
    last_acknowledged = now()
  else
    refused = refused + 1
  end
end

done = function(summary, latency, requests)
  local acked, other, first, last = 0, 0, math.huge, 0
  for _, thread in ipairs(threads) do
    acked = acked + thread:get("acknowledged")
    other = other + thread:get("refused")
    first = math.min(first, thread:get("first_sent"))
    last = math.max(last, thread:get("last_acknowledged"))
  end
  local rate = last > first and acked / (last - first) or 0
  io.write(string.format("RESULT %.1f %.3f %.3f %d\n", rate, latency:percentile(50) / 1000, latency:percentile(99) / 1000, other))
  io.write(string.format("SIGNUPS %d %d\n", acked, other))
end
