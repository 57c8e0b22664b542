-- Assign and unassign a custom role: POST /v1/organization/users/{id}/roles {"role_id"} on odd
-- passes over a fresh slice of members, DELETE /v1/organization/users/{id}/roles/{role_id} on
-- even passes. Every request is a real, durable change. The slice must be much larger than the
-- requests a slow answer can be overtaken by (a few seconds of traffic), or an unassign can
-- arrive before its assign and be refused with 404.
package.path = os.getenv("ROSTER_BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
local ids = common.read_lines(os.getenv("ROSTER_BENCH_IDS"))
local role_id = assert(os.getenv("ROSTER_BENCH_ROLE"), "ROSTER_BENCH_ROLE")
local headers = common.headers()
local next_index = 0

request = function()
  local pass = math.floor(next_index / #ids)
  local id = ids[next_index % #ids + 1]
  next_index = next_index + 1
  if pass % 2 == 0 then
    return wrk.format("POST", "/v1/organization/users/" .. id .. "/roles", headers,
                      '{"role_id":"' .. role_id .. '"}')
  end
  return wrk.format("DELETE", "/v1/organization/users/" .. id .. "/roles/" .. role_id, headers)
end
done = common.done
setup = common.setup
response = common.response
