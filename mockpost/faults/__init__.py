"""The unhappy paths on demand: latency distributions, error rates, rate limits and broken
connections, reproducible with a seed."""
