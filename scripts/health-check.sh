#!/bin/bash
# health-check.sh (OPERATIONS.md "Health Check Script"), calling our Python commands.
# Env: DAEMON_URL (where the fee daemon listens, default http://localhost:3030), NETWORK (default
# devnet), PYTHON. The daemon itself needs DAEMON_API_TOKEN for POST /flush (see README).

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  cat <<'HELP'
usage: [DAEMON_URL=http://127.0.0.1:3030] [NETWORK=devnet] scripts/health-check.sh

The seed's health check: the fee daemon's /health and /stats (at $DAEMON_URL, default
http://localhost:3030), then the DAT's consecutive failures on $NETWORK (default devnet).
Reads only: no token needed here. The daemon's POST /flush (what execute-ecosystem-cycle calls
first) needs DAEMON_API_TOKEN, the same value for the daemon and the cycle command.
HELP
  exit 0
fi

DAEMON_URL="${DAEMON_URL:-http://localhost:3030}"
NETWORK="${NETWORK:-devnet}"
SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "$PYTHON" ]; then
  if [ -x "$SCRIPTS/../.venv/bin/python" ]; then PYTHON="$SCRIPTS/../.venv/bin/python"; else PYTHON=python3; fi
fi

# Check daemon
if curl -s "$DAEMON_URL/health" | grep -q "ok"; then
  echo "✅ Daemon: Healthy"
else
  echo "❌ Daemon: Down"
  exit 1
fi

# Check pending fees age
LAST_UPDATE=$(curl -s "$DAEMON_URL/stats" | jq -r '.lastUpdate')
NOW=$(date +%s)
if [ -n "$LAST_UPDATE" ] && [ "$LAST_UPDATE" != "null" ] && LAST_TS=$(date -d "$LAST_UPDATE" +%s 2>/dev/null); then
  AGE=$((NOW - LAST_TS))
  if [ $AGE -lt 300 ]; then
    echo "✅ Sync: Recent ($AGE seconds)"
  else
    echo "⚠️ Sync: Stale ($AGE seconds)"
  fi
else
  echo "⚠️ Sync: unknown (no lastUpdate in /stats)"
fi

# Check consecutive failures
FAILURES=$("$PYTHON" "$SCRIPTS/check-dat-state.py" --network "$NETWORK" 2>/dev/null | grep "Consecutive Failures" | awk '{print $NF}')
if [ -z "$FAILURES" ]; then
  echo "❌ Failures: could not read the DAT state"
  exit 1
elif [ "$FAILURES" -lt 3 ]; then
  echo "✅ Failures: $FAILURES"
else
  echo "⚠️ Failures: $FAILURES (warning threshold)"
fi
