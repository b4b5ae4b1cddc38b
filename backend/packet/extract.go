package packet

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Extract writes a verified packet's files into dir, which it creates if
// needed and which must be empty. Every file is created new (0600), inside
// dir, without following a symbolic link.
func (p *Packet) Extract(dir string) error {
	if p == nil || !p.verified {
		return errors.New("only a verified packet can be extracted")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("making the folder to extract into: %w", err)
	}
	if entries, err := os.ReadDir(dir); err != nil {
		return fmt.Errorf("reading the folder to extract into: %w", err)
	} else if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: a packet is extracted only into an empty folder", dir)
	}
	// os.Root refuses any path, symbolic link included, that leads out of dir.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("opening the folder to extract into: %w", err)
	}
	defer root.Close()
	made := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(p.Files)) {
		if err := insideDir(dir, name); err != nil {
			return err
		}
		if err := makeParents(root, name, made); err != nil {
			return err
		}
		if err := writeNew(root, name, p.Files[name]); err != nil {
			return err
		}
	}
	return nil
}

func insideDir(dir, name string) error {
	if why := pathProblem(name); why != "" {
		return fmt.Errorf("refusing to extract %q: it %s", name, why)
	}
	target := filepath.Join(dir, filepath.FromSlash(name))
	rel, err := filepath.Rel(dir, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return fmt.Errorf("refusing to extract %q: it would land outside %s", name, dir)
	}
	return nil
}

func makeParents(root *os.Root, name string, made map[string]bool) error {
	parts := strings.Split(name, "/")
	for i := 1; i < len(parts); i++ {
		parent := strings.Join(parts[:i], "/")
		if made[parent] {
			continue
		}
		if err := root.Mkdir(filepath.FromSlash(parent), 0o700); err != nil {
			return fmt.Errorf("extracting %q: %w", name, err)
		}
		made[parent] = true
	}
	return nil
}

func writeNew(root *os.Root, name string, data []byte) error {
	f, err := root.OpenFile(filepath.FromSlash(name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("extracting %q: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("extracting %q: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("extracting %q: %w", name, err)
	}
	return nil
}
