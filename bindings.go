//go:build bindings

package main

// generatingBindings is true when the Wails CLI runs the program only to
// write the frontend bindings: no data folder is touched then.
const generatingBindings = true
