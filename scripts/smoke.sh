#!/usr/bin/env bash
# Smoke test of a running stack: rollout status, health endpoints through port-forward, and
# that a deleted backend pod is replaced.
#
# Usage: scripts/smoke.sh [--dry-run] [--skip-health]
#   --skip-health   skip the HTTP health checks (a cluster that runs no containers, such as the
#                   kwok-based test cluster of npm run test:cluster)
# Environment: KUBECTL (default kubectl), NAMESPACE (default todo), RELEASE (object name prefix, default todo)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

RELEASE="${RELEASE:-todo}"
CHECK_HEALTH=1
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    --skip-health) CHECK_HEALTH=0 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown option $arg (try --help)" ;;
  esac
done

FORWARD_PID=""
cleanup() {
  if [ -n "$FORWARD_PID" ]; then kill "$FORWARD_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

# check_health SERVICE PORT PATH LOCAL_PORT
check_health() {
  local service="$1" port="$2" path="$3" local_port="$4"
  info "GET $path on svc/$service"
  if [ "$DRY_RUN" = 1 ]; then
    printf '+ %s port-forward svc/%s %s:%s --namespace %s\n' "$KUBECTL" "$service" "$local_port" "$port" "$NAMESPACE"
    printf '+ curl -fsS http://127.0.0.1:%s%s\n' "$local_port" "$path"
    return 0
  fi
  "$KUBECTL" port-forward "svc/$service" "$local_port:$port" --namespace "$NAMESPACE" >/dev/null 2>&1 &
  FORWARD_PID=$!
  local i
  for i in $(seq 1 20); do
    if curl -fsS --max-time 2 "http://127.0.0.1:$local_port$path" >/dev/null 2>&1; then
      kill "$FORWARD_PID" 2>/dev/null || true
      FORWARD_PID=""
      return 0
    fi
    sleep 0.5
  done
  die "svc/$service did not answer $path with 2xx (attempts: $i)"
}

require_cluster
info "rollout status"
for d in frontend backend mcp; do
  run "$KUBECTL" rollout status "deployment/$RELEASE-$d" --namespace "$NAMESPACE" --timeout=120s
done

if [ "$CHECK_HEALTH" = 1 ]; then
  check_health "$RELEASE-frontend" 3000 /api/health 13000
  check_health "$RELEASE-backend" 8000 /health 18000
else
  info "health checks skipped (--skip-health)"
fi

info "self-healing: delete one backend pod and wait for the replacement"
if [ "$DRY_RUN" = 1 ]; then
  printf '+ %s delete pod -l app.kubernetes.io/instance=%s,app.kubernetes.io/name=backend --namespace %s --wait=false (one pod)\n' "$KUBECTL" "$RELEASE" "$NAMESPACE"
  printf '+ %s rollout status deployment/%s-backend --namespace %s --timeout=120s\n' "$KUBECTL" "$RELEASE" "$NAMESPACE"
else
  pod="$("$KUBECTL" get pods -l "app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/name=backend" --namespace "$NAMESPACE" -o jsonpath='{.items[0].metadata.name}')"
  [ -n "$pod" ] || die "no backend pod found"
  "$KUBECTL" delete pod "$pod" --namespace "$NAMESPACE" --wait=false
  sleep 2
  "$KUBECTL" rollout status "deployment/$RELEASE-backend" --namespace "$NAMESPACE" --timeout=120s
  "$KUBECTL" wait --for=condition=Available "deployment/$RELEASE-backend" --namespace "$NAMESPACE" --timeout=120s
fi
info "smoke test passed"
