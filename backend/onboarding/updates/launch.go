package updates

import (
	"fmt"
	"os/exec"
	"runtime"
)

// Install checks the downloaded update once more (Verified) and hands it
// to the system's installer: on Windows the installer itself runs, on
// Linux the package opens in the desktop's software installer (xdg-open).
// Nothing that failed a check is ever started.
func (s *Service) Install() error {
	path, err := s.Verified()
	if err != nil {
		return err
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command(path)
	case "linux":
		cmd = exec.Command("xdg-open", path)
	default:
		return fmt.Errorf("no installer to open %s on %s", path, runtime.GOOS)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open the update with the system's installer: %w", err)
	}
	go cmd.Wait() // reap it; the installer carries on by itself
	return nil
}
