-- Prints one machine-readable line after a wrk run: requests/s, p50 and p99 latency in ms,
-- and the count of answers that were not 2xx/3xx. Used by bench/run.sh.
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
