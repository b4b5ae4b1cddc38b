// Package windows checks the cross-built Windows artefacts (`make
// dist-windows`) without running them: Windows programs cannot run on this
// machine (Debian 12's Wine cannot start Go 1.26 binaries), so these tests
// read the files as Windows would load them, with debug/pe.
package windows

import (
	"bytes"
	"debug/pe"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"onramp/backend/testenv"
)

// distEnv names the folder holding onramp.exe and its installer.
const distEnv = "ONRAMP_WINDOWS_DIST"

// artefacts returns the paths of onramp.exe and its installer and the
// app's version from wails.json, the one place it is set.
func artefacts(t *testing.T) (exe, installer, version string) {
	t.Helper()
	dir := os.Getenv(distEnv)
	if dir == "" {
		t.Skipf("the Windows checks need %s (the folder `make dist-windows` writes): run them with `make test-windows`", distEnv)
	}
	// Asked to run: from here what is missing fails under ONRAMP_REQUIRE_ALL.
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	version = productVersion(t, root)
	exe = filepath.Join(dir, "onramp.exe")
	installer = filepath.Join(dir, "onramp_"+version+"_amd64-setup.exe")
	for _, f := range []string{exe, installer} {
		if _, err := os.Stat(f); err != nil {
			testenv.Missing(t, "the Windows build in %s (`make dist-windows`): %v", dir, err)
		}
	}
	return exe, installer, version
}

func productVersion(t *testing.T, root string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "wails.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Info struct{ ProductVersion string }
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatalf("wails.json: %v", err)
	}
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(cfg.Info.ProductVersion) {
		t.Fatalf("wails.json's productVersion %q is not major.minor.patch", cfg.Info.ProductVersion)
	}
	return cfg.Info.ProductVersion
}

func openPE(t *testing.T, path string) *pe.File {
	t.Helper()
	f, err := pe.Open(path)
	if err != nil {
		t.Fatalf("%s is not a PE file Windows would load: %v", filepath.Base(path), err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestExecutableAndInstallerHeaders: the app is a 64-bit (PE32+, x86-64)
// GUI program, so Windows opens no console window beside it; the NSIS
// installer is NSIS's own 32-bit GUI stub, which runs on 64-bit Windows.
func TestExecutableAndInstallerHeaders(t *testing.T) {
	exe, installer, _ := artefacts(t)
	tests := []struct {
		path    string
		machine uint16
		pe32    bool // PE32 (32-bit optional header) rather than PE32+
	}{
		{exe, pe.IMAGE_FILE_MACHINE_AMD64, false},
		{installer, pe.IMAGE_FILE_MACHINE_I386, true},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			f := openPE(t, tt.path)
			if f.Machine != tt.machine {
				t.Errorf("machine %#x, want %#x", f.Machine, tt.machine)
			}
			var subsystem uint16
			switch h := f.OptionalHeader.(type) {
			case *pe.OptionalHeader64:
				if tt.pe32 {
					t.Error("a PE32+ file, want PE32")
				}
				subsystem = h.Subsystem
			case *pe.OptionalHeader32:
				if !tt.pe32 {
					t.Error("a PE32 file, want PE32+")
				}
				subsystem = h.Subsystem
			default:
				t.Fatalf("optional header %T", f.OptionalHeader)
			}
			if subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
				t.Errorf("subsystem %d, want %d (Windows GUI: no console window)", subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
			}
		})
	}
}

// TestVersionResourceCarriesTheAppVersion: Windows' file Details tab, and
// Programs and Features through the installer, show wails.json's
// productVersion.
func TestVersionResourceCarriesTheAppVersion(t *testing.T) {
	exe, installer, version := artefacts(t)
	for _, path := range []string{exe, installer} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			info, err := readVersionInfo(openPE(t, path))
			if err != nil {
				t.Fatal(err)
			}
			if info.FileVersion != version+".0" {
				t.Errorf("fixed file version %s, want %s.0", info.FileVersion, version)
			}
			if got := info.Strings["ProductVersion"]; got != version {
				t.Errorf("ProductVersion %q, want %q (all strings: %q)", got, version, info.Strings)
			}
			if got := info.Strings["ProductName"]; got != "Onramp" {
				t.Errorf("ProductName %q, want Onramp", got)
			}
		})
	}
}

// expectedDLLs are the only DLLs onramp.exe may import statically, each
// part of every Windows 10 and 11. Go itself imports only kernel32.dll and
// loads the rest (user32, ws2_32, advapi32, WebView2's loader, …) at run
// time with LoadLibrary, which a missing DLL turns into an error message
// rather than a program that cannot start.
var expectedDLLs = map[string]string{
	"kernel32.dll": "the Go runtime and MinGW's C start-up code",
	"msvcrt.dll":   "the C library MinGW-w64 links go-sqlite3's C code against",
}

// TestImportsOnlySystemDLLs: the .exe starts on a stock Windows, with no
// MinGW runtime DLL (libgcc, libwinpthread) shipped beside it.
func TestImportsOnlySystemDLLs(t *testing.T) {
	exe, _, _ := artefacts(t)
	// debug/pe's ImportedLibraries returns nothing for PE files; each
	// imported symbol reads "name:dll".
	syms, err := openPE(t, exe).ImportedSymbols()
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, sym := range syms {
		_, dll, ok := strings.Cut(sym, ":")
		if !ok {
			t.Fatalf("imported symbol %q names no DLL", sym)
		}
		name := strings.ToLower(dll)
		if slices.Contains(seen, name) {
			continue
		}
		seen = append(seen, name)
		if _, ok := expectedDLLs[name]; !ok {
			t.Errorf("onramp.exe imports %s (%s…), which is not one of the expected system DLLs", dll, sym)
		}
	}
	t.Logf("onramp.exe imports %d symbols from %s", len(syms), strings.Join(seen, ", "))
	for name, why := range expectedDLLs {
		if !slices.Contains(seen, name) {
			t.Errorf("onramp.exe does not import %s (%s): the build changed, review expectedDLLs", name, why)
		}
	}
}

// TestSQLiteIsCompiledIn: with cgo off, go-sqlite3 quietly compiles a stub
// that fails every query at run time; the real build carries SQLite's own
// version and source-id strings, read from the go-sqlite3 source the build
// used.
func TestSQLiteIsCompiledIn(t *testing.T) {
	exe, _, _ := artefacts(t)
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testenv.Path(t, "go"), "list", "-m", "-f", "{{.Dir}}", "github.com/mattn/go-sqlite3")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("find go-sqlite3's source: %v", err)
	}
	amalgamation, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "sqlite3-binding.h"))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	for _, macro := range []string{"SQLITE_VERSION", "SQLITE_SOURCE_ID"} {
		m := regexp.MustCompile(`(?m)^#define ` + macro + `\s+"([^"]+)"`).FindSubmatch(amalgamation)
		if m == nil {
			t.Fatalf("no %s in go-sqlite3's sqlite3-binding.h", macro)
		}
		// NUL on both sides: the C string itself, not a longer one holding it.
		if !bytes.Contains(bin, append(append([]byte{0}, m[1]...), 0)) {
			t.Errorf("onramp.exe lacks SQLite's %s %q: SQLite is not compiled in", macro, m[1])
		}
	}
	if stub := []byte("go-sqlite3 requires cgo to work"); bytes.Contains(bin, stub) {
		t.Errorf("onramp.exe holds go-sqlite3's no-cgo stub (%q): built without CGO_ENABLED=1", stub)
	}
}

// TestManifestAndIcon: onramp.exe carries the app's icon (Explorer, the
// taskbar) and build/windows/wails.exe.manifest filled in: the app's
// identity and version, Common Controls 6 (themed native dialogs),
// per-monitor DPI awareness (sharp text on scaled displays) and no request
// for administrator rights (only the installer asks). The manifest is
// rewritten by Wails' resource writer, so single settings are looked for.
func TestManifestAndIcon(t *testing.T) {
	const rtGroupIcon, rtManifest = 14, 24
	exe, _, version := artefacts(t)
	sec := openPE(t, exe).Section(".rsrc")
	if sec == nil {
		t.Fatal("onramp.exe has no resources")
	}
	rsrc, err := sec.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := firstResource(rsrc, sec.VirtualAddress, rtGroupIcon); err != nil {
		t.Errorf("icon: %v", err)
	}
	manifest, err := firstResource(rsrc, sec.VirtualAddress, rtManifest)
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	for _, want := range []string{
		`name="com.wails.Onramp" version="` + version + `.0"`,
		`name="Microsoft.Windows.Common-Controls" version="6.0.0.0"`,
		`WindowsSettings">permonitorv2,`,
		`<requestedExecutionLevel level="asInvoker"`,
	} {
		if !bytes.Contains(manifest, []byte(want)) {
			t.Errorf("the manifest lacks %s:\n%s", want, manifest)
		}
	}
}
