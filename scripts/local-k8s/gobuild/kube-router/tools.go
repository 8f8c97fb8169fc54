//go:build tools

// Package tools records the main package built from this module (kube-router, run with only its
// network policy controller), so that `go mod tidy` keeps its dependencies.
package tools

import _ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
