-- wrk script: one voyage per request, each with a new movementId, spread over the admitted
-- vessels of the bench register (bench/tools.py ingest-targets writes the list), departing on
-- the bench day (the port's local date, with its UTC offset) at times that differ per request.
--   PORTDAILY_TOKEN   the bearer token
--   PORTDAILY_TARGETS the Lua file with the vessels, the date and an area
local targets = dofile(os.getenv("PORTDAILY_TARGETS"))
local token = os.getenv("PORTDAILY_TOKEN")
--   PORTDAILY_RUN     a tag unique to this run of wrk
local run = os.getenv("PORTDAILY_RUN") or tostring(os.time())
local counter = 0
thread_tag = "t"  -- set per thread by setup() (a global: thread:set writes globals)
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_tag", run .. "-" .. tostring(threads))
end

local function clock(second)
  return string.format("%sT%02d:%02d:%02d%s", targets.date, math.floor(second / 3600), math.floor(second / 60) % 60,
    second % 60, targets.offset)
end

function request()
  counter = counter + 1
  local vessel = targets.vessels[(counter * 7919) % #targets.vessels + 1]
  -- From local midnight through the port's day (arrivals before 24:00): one open day.
  local second = counter % 85000
  local departed = clock(second)
  local arrived = clock(second + 600)
  local body = string.format(
    '{"movementId":"bench-%s-%d","operator":"%s","mmsi":"%s","job":"berthing-assist","departedAt":"%s",' ..
    '"fromArea":"%s","arrivedAt":"%s","toArea":"%s"}',
    thread_tag, counter, vessel[2], vessel[1], departed, targets.area, arrived, targets.area)
  return wrk.format("POST", "/v1/voyages", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end
