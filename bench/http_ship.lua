-- wrk script: durable bookings, POST /v1/shipments, 8 unique serials each.
--   CT_TOKEN=... CT_LICENSES=64 CT_BATCHES=4 CT_RUN=tag wrk -s bench/http_ship.lua URL
-- Serials are unique across threads and runs: "<run>-<thread>-<counter>-<k>".
-- Licenses 1..CT_LICENSES and batches BENCH-B1..BENCH-B<CT_BATCHES> are
-- taken in turn. done() prints "status N COUNT" per status, so the bench
-- can check the 201s against the shipments in the database.
local threads = {}
local next_id = 0
function setup(thread)
	thread:set("tid", next_id)
	next_id = next_id + 1
	table.insert(threads, thread)
end

local token = os.getenv("CT_TOKEN") or ""
local licenses = tonumber(os.getenv("CT_LICENSES") or "64")
local batches = tonumber(os.getenv("CT_BATCHES") or "4")
local run = os.getenv("CT_RUN") or "r"
local headers = {
	["Authorization"] = "Bearer " .. token,
	["Content-Type"] = "application/json",
}
local n = 0
counts = {}

function request()
	n = n + 1
	local p = string.format("%s-%d-%d-", run, tid, n)
	local body = string.format(
		'{"license":%d,"units":8,"unit_value":"27000.00","batch":"BENCH-B%d",' ..
		'"serials":["%s1","%s2","%s3","%s4","%s5","%s6","%s7","%s8"]}',
		(n + tid) % licenses + 1, n % batches + 1, p, p, p, p, p, p, p, p)
	return wrk.format("POST", "/v1/shipments", headers, body)
end

function response(status, headers, body)
	counts[status] = (counts[status] or 0) + 1
	if status ~= 201 and not printed then
		printed = true
		io.stderr:write("first non-201: " .. status .. " " .. body .. "\n")
	end
end

function done(summary, latency, requests)
	local total = {}
	for _, t in ipairs(threads) do
		local c = t:get("counts")
		for s, k in pairs(c) do total[s] = (total[s] or 0) + k end
	end
	for s, k in pairs(total) do io.write(string.format("status %d %d\n", s, k)) end
end
