-- Mixed read traffic over SpineGraph's main endpoints, for wrk (https://github.com/wg/wrk).
--   wrk -t2 -c256 -d60s --timeout 30s -s tools/load/mixed.lua http://127.0.0.1:5197
-- Each connection walks the list below from its own offset, so every endpoint gets its share at any moment.
-- Ids and names are real ones from graph-seed/. DELAY_MS (environment) pauses each connection between requests
-- (the soak's moderate rate). At the end it prints the answers per status code, so a 5xx cannot hide among the
-- 4xx that wrk lumps together as "Non-2xx". PREFLIGHT=1 (with -t1 -c1) prints each request's status once.

local pattern1 = '{"message":{"query_graph":{"nodes":{"c":{"ids":["sg:spinal-cord-injury"]},'
  .. '"m":{"categories":["biolink:PathologicalProcess"]},"s":{"categories":["biolink:PhenotypicFeature"]}},'
  .. '"edges":{"a":{"subject":"c","object":"m","predicates":["biolink:causes"]},"b":{"subject":"m","object":"s"}}}}}'
local pattern2 = '{"message":{"query_graph":{"nodes":{"t":{"categories":["biolink:Treatment"]},'
  .. '"s":{"ids":["sg:muscle-spasm"]}},"edges":{"r":{"subject":"t","object":"s"}}}}}'

local paths = {
  "/api/v1/search?q=stenossis",
  "/api/v1/search?q=back%20spasm",
  "/api/v1/search?q=numb%20leg",
  "/api/v1/search?q=pinched%20nerve",
  "/api/v1/nodes/sg:muscle-spasm",
  "/api/v1/nodes/sg:herniated-disc",
  "/api/v1/nodes/sg:oral-baclofen",
  "/api/v1/nodes/sg:muscle-spasm/edges",
  "/api/v1/nodes/sg:spinal-stenosis/edges?direction=in&minTier=T3",
  "/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression",
  "/api/v1/treatments?symptom=sg:spasticity",
  "/api/v1/treatments?condition=sg:herniated-disc",
  "/api/v1/treatments/sg:laminectomy/paths?symptom=muscle%20spasm&cause=nerve%20compression",
  "/api/v1/symptoms/sg:muscle-spasm/causes",
  "/api/v1/symptoms/sg:numbness/causes",
  "/api/v1/conditions/sg:spinal-stenosis/treatments",
  "/api/v1/paths?from=sg:herniated-disc&to=sg:muscle-spasm&maxHops=5",
  "/api/v1/paths?from=sg:spinal-cord-injury&to=sg:spasticity",
  "/api/v1/subgraph?ids=sg:spinal-stenosis,sg:muscle-spasm&depth=1",
  "/api/v1/subgraph?ids=sg:dystonia&depth=2&format=cytoscape",
  "/api/v1/export?format=csv&ids=sg:muscle-spasm&depth=1",
  "/api/v1/export?format=cytoscape&ids=sg:sciatica&depth=1",
  "/api/v1/meta",
}

-- Built in init(): wrk adds the Host header to wrk.headers only when a thread starts.
local requests, labels = {}, {}
local function build()
  local function add(method, path, headers, body)
    requests[#requests + 1] = wrk.format(method, path, headers, body)
    labels[#labels + 1] = method .. " " .. path
  end
  for _, p in ipairs(paths) do add("GET", p) end
  local json = { ["Content-Type"] = "application/json" }
  add("POST", "/api/v1/query", json, pattern1)
  add("POST", "/api/v1/query?limit=20", json, pattern2)
end

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

-- statuses is global: done() reads each thread's copy with thread:get, which sees only globals.
local next_index, delay_ms, preflight, answered
function init(args)
  build()
  next_index = (id * 7) % #requests
  statuses = {}
  delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
  preflight = os.getenv("PREFLIGHT") == "1"
  answered = 0
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  answered = answered + 1
  -- One connection answers in order: this is the answer to the request just sent.
  if preflight and answered <= #requests then print(status .. " " .. #body .. " B  " .. labels[next_index]) end
  if preflight and answered == #requests then wrk.thread:stop() end
end

if tonumber(os.getenv("DELAY_MS") or "0") > 0 then
  function delay() return delay_ms end
end

function done(summary, latency, requests_done)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  local keys = {}
  for status in pairs(total) do keys[#keys + 1] = status end
  table.sort(keys)
  io.write("Statuses:")
  for _, status in ipairs(keys) do io.write(string.format(" %d=%d", status, total[status])) end
  io.write("\n")
  io.write(string.format("Latency p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
