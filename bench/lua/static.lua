-- nginx ceiling: the same request line shape as the matching Roster script, answered by a fixed
-- body of the same size. ROSTER_BENCH_PATH is the nginx location for the endpoint.
package.path = os.getenv("ROSTER_BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
local path = assert(os.getenv("ROSTER_BENCH_PATH"), "ROSTER_BENCH_PATH")
local headers = common.headers()

request = function()
  return wrk.format("GET", path, headers)
end
done = common.done
setup = common.setup
response = common.response
