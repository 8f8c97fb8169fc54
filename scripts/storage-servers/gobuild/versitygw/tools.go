//go:build tools

// Package tools records the main package built from this module (the versitygw S3 gateway), so that
// `go mod tidy` keeps its dependencies.
package tools

import _ "github.com/versity/versitygw/cmd/versitygw"
