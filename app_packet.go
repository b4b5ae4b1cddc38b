package main

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"onramp/backend/onboarding"
	"onramp/backend/onboarding/packets"
	"onramp/backend/packet"
)

// Packets: preview, export (native save dialog, progress events, "Show in
// folder") and support's "Open packet…" (native open dialog, verify, view).
//
// $ONRAMP_DIALOG_DIR is a test seam: when set, the save dialog answers with
// that folder and the suggested name, and the open dialog with the newest
// .onramp file there, so whole-app tests can drive the flow without a
// native dialog.

// PreviewPacket makes the packet from the latest submitted forms and
// returns its pages.
func (a *App) PreviewPacket() (packets.PacketPreview, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (packets.PacketPreview, error) {
		return svc.Packets.PreviewPacket(ctx)
	})
}

// ExportResult is where a packet was saved; Cancelled when the provider
// closed the dialog.
type ExportResult struct {
	Cancelled bool        `json:"cancelled"`
	Path      string      `json:"path,omitempty"`
	Made      packet.Made `json:"made"`
}

// ExportPacket asks where to save the previewed packet and writes it,
// emitting "packet:progress" with each stage.
func (a *App) ExportPacket(packetID, suggestedName string) (ExportResult, error) {
	svc, err := a.ready()
	if err != nil {
		return ExportResult{}, err
	}
	name := safeFileName(suggestedName) + ".onramp"
	path, err := a.saveDialog(name)
	if err != nil || path == "" {
		return ExportResult{Cancelled: path == ""}, uiError(err)
	}
	a.Notify("packet:progress", "start")
	made, err := svc.Packets.ExportPacket(a.ctx, packetID, path, func(stage string) { a.Notify("packet:progress", stage) })
	if err != nil {
		return ExportResult{}, uiError(err)
	}
	if !strings.HasSuffix(strings.ToLower(path), ".onramp") {
		path += ".onramp"
	}
	return ExportResult{Path: path, Made: made}, nil
}

func (a *App) saveDialog(name string) (string, error) {
	if dir := os.Getenv("ONRAMP_DIALOG_DIR"); dir != "" {
		return filepath.Join(dir, name), nil
	}
	home, _ := os.UserHomeDir()
	return runtime.SaveFileDialog(a.ctx, runtime.SaveDialogOptions{
		Title:            "Export the support packet",
		DefaultDirectory: home,
		DefaultFilename:  name,
		Filters:          []runtime.FileFilter{{DisplayName: "Onramp support packet (*.onramp)", Pattern: "*.onramp"}},
	})
}

func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 32 {
			return '-'
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		return "Credentialing packet"
	}
	return s
}

// ShowInFolder opens the folder holding a file in the file manager.
func (a *App) ShowInFolder(path string) {
	runtime.BrowserOpenURL(a.ctx, fileURL(filepath.Dir(path)))
}

// OpenPacket asks for a packet file, verifies it and returns what it
// holds; an empty path means the dialog was closed.
func (a *App) OpenPacket() (packets.PacketView, error) {
	svc, err := a.ready()
	if err != nil {
		return packets.PacketView{}, err
	}
	path, err := a.openDialog()
	if err != nil || path == "" {
		return packets.PacketView{}, uiError(err)
	}
	v, err := svc.Packets.OpenPacket(a.ctx, path)
	return v, uiError(err)
}

func (a *App) openDialog() (string, error) {
	if dir := os.Getenv("ONRAMP_DIALOG_DIR"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.onramp"))
		sort.Slice(files, func(i, j int) bool {
			fi, _ := os.Stat(files[i])
			fj, _ := os.Stat(files[j])
			return fi != nil && fj != nil && fi.ModTime().After(fj.ModTime())
		})
		if len(files) == 0 {
			return "", errors.New("no packet in " + dir)
		}
		return files[0], nil
	}
	return runtime.OpenFileDialog(a.ctx, runtime.OpenDialogOptions{
		Title:   "Open a support packet",
		Filters: []runtime.FileFilter{{DisplayName: "Onramp support packet (*.onramp)", Pattern: "*.onramp"}, {DisplayName: "All files", Pattern: "*"}},
	})
}

// fileURL is a local path as a file:// URL, escaped (folder names have
// spaces and accents).
func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: path}).String()
}

// OpenPacketPDF opens a verified packet's PDF in the system's viewer.
func (a *App) OpenPacketPDF(path string) error {
	svc, err := a.ready()
	if err != nil {
		return err
	}
	pdf, err := svc.Packets.PacketPDF(path)
	if err != nil {
		return uiError(err)
	}
	runtime.BrowserOpenURL(a.ctx, fileURL(pdf))
	return nil
}
