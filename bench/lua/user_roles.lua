-- GET /v1/organization/users/{id}/roles for a random member (base role plus custom roles).
package.path = os.getenv("ROSTER_BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
local ids = common.read_lines(os.getenv("ROSTER_BENCH_IDS"))
local headers = common.headers()
common.seed_random()

request = function()
  return wrk.format("GET", "/v1/organization/users/" .. ids[math.random(#ids)] .. "/roles",
                    headers)
end
done = common.done
setup = common.setup
response = common.response
