//go:build !linux

package updates

func linuxPlatform() string { return "" }
