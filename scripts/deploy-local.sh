#!/usr/bin/env bash
# Deploys dist/local to the current kubectl context (Minikube or Docker Desktop).
# Checks every prerequisite first and applies nothing if one is missing.
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
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
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

info "applying dist/local"
run "$KUBECTL" apply -f dist/local
info "waiting for the rollout"
for d in todo-frontend todo-backend todo-mcp; do
  run "$KUBECTL" rollout status "deployment/$d" --namespace "$NAMESPACE" --timeout=180s
done
info "done: minikube service todo-frontend --namespace $NAMESPACE"
