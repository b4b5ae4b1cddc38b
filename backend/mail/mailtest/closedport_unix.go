//go:build unix

package mailtest

import (
	"syscall"
	"testing"
)

// ClosedPort is a loopback port where nothing answers, and where nothing
// can start answering while the test runs: the port is bound by a socket
// that never listens, so a connection is refused, and no server the test
// (or another test) starts can be given it. A port that was only free a
// moment ago can be handed to the next server that asks.
func ClosedPort(t testing.TB) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return sa.(*syscall.SockaddrInet4).Port
}
