//go:build tools

// Package tools pins kube-router, which enforces NetworkPolicies on the real-node tier (firewall only).
package tools

import _ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
