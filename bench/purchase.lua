-- wrk script: purchaseChallenge with code BENCH, each request from a random seeded
-- client (its own token) for a random challenge, under a fresh idempotency key.
-- Settings come from the environment (see bench/run_bench.py):
--   BENCH_TOKENS      file with one bearer token per line (clients bench-1 ... bench-N)
--   BENCH_CHALLENGES  comma-separated global ids of the challenges
--   BENCH_KEY_PREFIX  makes keys unique across wrk runs on the same database
--   BENCH_SEQUENTIAL  "1": take the clients in turn instead of at random (warm-up: every client once)

local QUERY = "mutation P($c: ID!, $k: String!, $code: String) { purchaseChallenge(input: "
  .. "{challengeId: $c, promoCode: $code, idempotencyKey: $k}) { purchase { id client { id } "
  .. "challenge { id } promoCode { code } listPrice { amount currency } promoDiscount { amount } "
  .. "total { amount } } errors { code } } }"

local tokens, challenges = {}, {}
counter, errors, sample = 0, 0, ""  -- globals: done() reads them per thread
local prefix = os.getenv("BENCH_KEY_PREFIX") or "run"
local sequential = os.getenv("BENCH_SEQUENTIAL") == "1"
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if #line > 0 then table.insert(tokens, line) end
  end
  for id in string.gmatch(os.getenv("BENCH_CHALLENGES"), "[^,]+") do
    table.insert(challenges, id)
  end
  math.randomseed(42 + (id or 0))
  wrk.method = "POST"
end

function request()
  counter = counter + 1
  local token = sequential and tokens[(counter - 1) % #tokens + 1] or tokens[math.random(#tokens)]
  local body = '{"query":"' .. QUERY .. '","variables":{"c":"' .. challenges[math.random(#challenges)]
    .. '","k":"' .. prefix .. '-' .. tostring(id) .. '-' .. counter .. '","code":"BENCH"}}'
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors":[{', 1, true) then
    errors = errors + 1
    if sample == "" then sample = string.sub(body, 1, 300) end
  end
end

function done(summary, latency, requests)
  local failed, first = 0, ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("errors")
    if first == "" then first = thread:get("sample") end
  end
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_s":%.3f,"p50_ms":%.2f,"p99_ms":%.2f,"mean_ms":%.2f,"errors":%d,"socket_errors":%d,"first_error":"%s"}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, failed,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    (string.gsub(first, '[^%w _:,.{}%[%]-]', "'"))))
end
