//go:build tools

// Package tools records the main package built from this module (the KWOK controller), so that
// `go mod tidy` keeps its dependencies.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
