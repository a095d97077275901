-- wrk script: authenticated GET of one license.
--   CT_TOKEN=... CT_PATH=/v1/licenses/1 wrk -s bench/http_get.lua URL
-- The request is built once (no request() hook), so wrk spends as little
-- of the machine's two cores as it can. Counts statuses per thread and
-- prints them in done() as "status N COUNT".
wrk.method = "GET"
wrk.path = os.getenv("CT_PATH") or "/v1/licenses/1"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("CT_TOKEN") or "")

local threads = {}
function setup(thread)
	table.insert(threads, thread)
end

counts = {}
function response(status, headers, body)
	counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
	local total = {}
	for _, t in ipairs(threads) do
		local c = t:get("counts")
		for s, n in pairs(c) do total[s] = (total[s] or 0) + n end
	end
	for s, n in pairs(total) do io.write(string.format("status %d %d\n", s, n)) end
end
