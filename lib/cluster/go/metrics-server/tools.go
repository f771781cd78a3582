//go:build tools

// Package tools pins metrics-server, which gives the real-node tier's HPAs their CPU metrics.
package tools

import _ "sigs.k8s.io/metrics-server/cmd/metrics-server"
