//go:build tools

// Package tools pins the Wails CLI that builds Onramp. Its own go.mod keeps
// golang.org/x/tools at a version that compiles under Go 1.26 (the CLI's own
// pin does not), without touching the app's dependency graph.
package tools

import _ "github.com/wailsapp/wails/v2/cmd/wails"
