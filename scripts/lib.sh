#!/usr/bin/env bash
# Shared helpers of the deploy scripts: dry-run aware command runner and prerequisite checks.
# shellcheck disable=SC2034  # variables used by the scripts that source this file

KUBECTL="${KUBECTL:-kubectl}"
NAMESPACE="${NAMESPACE:-todo}"
DRY_RUN=0

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

info() {
  printf '==> %s\n' "$*"
}

# run CMD...: runs the command, or prints it with --dry-run.
run() {
  if [ "$DRY_RUN" = 1 ]; then
    printf '+ %s\n' "$*"
  else
    "$@"
  fi
}

# require_cluster: kubectl is installed and its current context answers.
require_cluster() {
  if [ "$DRY_RUN" = 1 ]; then
    printf '+ %s version --request-timeout=5s\n' "$KUBECTL"
    return 0
  fi
  command -v "$KUBECTL" >/dev/null 2>&1 || die "kubectl is not installed (looked for '$KUBECTL'); see DEPLOYMENT.md step 1"
  "$KUBECTL" version --request-timeout=5s >/dev/null 2>&1 \
    || die "the Kubernetes cluster of context '$("$KUBECTL" config current-context 2>/dev/null || echo none)' is not reachable; start it (minikube start) or pick a context (kubectl config use-context ...)"
}

# require_secret NAME: the Secret exists in $NAMESPACE with the three keys.
require_secret() {
  local name="$1"
  if [ "$DRY_RUN" = 1 ]; then
    printf '+ %s get secret %s --namespace %s\n' "$KUBECTL" "$name" "$NAMESPACE"
    return 0
  fi
  local keys
  keys="$("$KUBECTL" get secret "$name" --namespace "$NAMESPACE" -o jsonpath='{.data}' 2>/dev/null)" \
    || die "Secret '$name' is missing in namespace '$NAMESPACE'; create it first: kubectl create namespace $NAMESPACE; kubectl create secret generic $name --namespace $NAMESPACE --from-env-file=.env (DEPLOYMENT.md step 3)"
  local key
  for key in DATABASE_URL OPENAI_API_KEY BETTER_AUTH_SECRET; do
    case "$keys" in
      *"\"$key\""*) ;;
      *) die "Secret '$name' in namespace '$NAMESPACE' has no key $key; recreate it from .env.example" ;;
    esac
  done
}
