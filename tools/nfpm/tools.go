//go:build tools

// Package tools pins nfpm, which packs the Linux .deb and .rpm (make dist).
// Its own module keeps nfpm's many dependencies out of the app's go.mod.
package tools

import _ "github.com/goreleaser/nfpm/v2/cmd/nfpm"
