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

-- wrk now and then drops a request it generated (seen once per run with -c1: a member whose
-- assign was never sent), so that member's unassign one pass later is refused with 404 "does not
-- hold role". That answer is expected and counted apart, not as a failure; any other refusal is.
common.tolerated = function(status, body)
  return status == 404 and string.find(body or "", "does not hold role", 1, true) ~= nil
end

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
