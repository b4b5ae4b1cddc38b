//go:build !unix && !windows

package instance

import "os"

// tryLock on platforms with neither flock nor LockFileEx relies on the
// socket alone, so two launches at the same instant may both start.
func tryLock(f *os.File) (bool, error) { return !socketAnswers(f.Name()), nil }

func unlock(*os.File) {}

func socketAnswers(lockPath string) bool {
	return askFocus(lockPath[:len(lockPath)-len(lockName)]+socketName) == nil
}
