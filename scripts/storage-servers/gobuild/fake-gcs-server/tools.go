//go:build tools

// Package tools records the main package built from this module (fake-gcs-server), so that
// `go mod tidy` keeps its dependencies.
package tools

import _ "github.com/fsouza/fake-gcs-server"
