-- POST /v1/organization/users/{id} {"role": …}: every request changes a member's role, so every
-- request is a durable write with its audit event (a replay that changes nothing writes nothing).
-- The ids file is a slice no other run touched, all readers at the start: the script walks it in
-- order, promoting on odd passes and demoting on even ones. The slice is large enough that two
-- requests for one member are never in flight together.
package.path = os.getenv("ROSTER_BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
local ids = common.read_lines(os.getenv("ROSTER_BENCH_IDS"))
local headers = common.headers()
local next_index = 0

request = function()
  local pass = math.floor(next_index / #ids)
  local id = ids[next_index % #ids + 1]
  next_index = next_index + 1
  local role = (pass % 2 == 0) and "owner" or "reader"
  return wrk.format("POST", "/v1/organization/users/" .. id, headers,
                    '{"role":"' .. role .. '"}')
end
done = common.done
setup = common.setup
response = common.response
