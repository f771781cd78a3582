#!/usr/bin/env bash
# Deploys dist/local to the current kubectl context (Minikube or Docker Desktop).
# Checks every prerequisite first and applies nothing if one is missing.
#
# Deploys with npm run deploy (plan first), which prunes what dist/local no longer holds and
# waits until every workload is ready.
#
# Usage: scripts/deploy-local.sh [--dry-run] [--skip-image-check]
#   --dry-run            print the commands instead of running them
#   --skip-image-check   do not check that the images are loaded into Minikube
# Environment: KUBECTL (default kubectl), NAMESPACE (default todo), SECRET (default todo-secrets)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

SECRET="${SECRET:-todo-secrets}"
CHECK_IMAGES=1
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    --skip-image-check) CHECK_IMAGES=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown option $arg (try --help)" ;;
  esac
done

[ -d dist/local ] || die "dist/local is missing; run: npm ci && npm run synth"

info "checking prerequisites"
require_cluster
require_secret "$SECRET"
if [ "$CHECK_IMAGES" = 1 ] && [ "$DRY_RUN" = 0 ] && command -v minikube >/dev/null 2>&1; then
  loaded="$(minikube image ls 2>/dev/null || true)"
  while read -r image; do
    case "$loaded" in
      *"$image"*) ;;
      *) die "image $image is not loaded into Minikube; run: minikube image load $image" ;;
    esac
  done < <(grep -h '^ *image: ' dist/local/*.yaml | awk '{print $2}' | sort -u)
fi

# plan exits 2 when the deploy would change something: that is information, not an error.
info "plan: what the deploy will change"
plan_rc=0
run npm run --silent plan -- --env local --set "namespace=$NAMESPACE" || plan_rc=$?
[ "$plan_rc" = 0 ] || [ "$plan_rc" = 2 ] || die "npm run plan failed (exit $plan_rc)"
info "deploy: apply dist/local, prune what it no longer holds, wait until ready"
export KUBECTL
run npm run --silent deploy -- --env local --set "namespace=$NAMESPACE"
info "done: minikube service todo-frontend --namespace $NAMESPACE"
