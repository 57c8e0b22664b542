-- GET /v1/organization/users?limit=100&after={id}: a page of 100 from a random cursor anywhere
-- in the list (the sampled ids span the whole join order, so most cursors are deep).
package.path = os.getenv("ROSTER_BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
local ids = common.read_lines(os.getenv("ROSTER_BENCH_IDS"))
local headers = common.headers()
common.seed_random()

request = function()
  return wrk.format("GET", "/v1/organization/users?limit=100&after=" .. ids[math.random(#ids)],
                    headers)
end
done = common.done
setup = common.setup
response = common.response
