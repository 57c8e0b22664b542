-- GET /v1/organization/users?emails[]=a&emails[]=b&emails[]=c: three random members by email.
package.path = os.getenv("ROSTER_BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
local emails = common.read_lines(os.getenv("ROSTER_BENCH_EMAILS"))
local headers = common.headers()
common.seed_random()

local function pick()
  -- Emails are alphanumerics, '.', '@' and '-': nothing to percent-encode but '@'.
  return (emails[math.random(#emails)]:gsub("@", "%%40"))
end

request = function()
  return wrk.format("GET", "/v1/organization/users?emails%5B%5D=" .. pick() ..
                    "&emails%5B%5D=" .. pick() .. "&emails%5B%5D=" .. pick(), headers)
end
done = common.done
setup = common.setup
response = common.response
