#!/usr/bin/env bash
# Thousands of simulated appliances need a socket each on both sides: raise the open-file limit
# where the machine allows (root may raise the hard limit), then run the benchmarks.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec node "$(dirname "$0")/../dist/bench/run.js" "$@"
