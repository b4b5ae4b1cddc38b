package main

import (
	"archive/zip"
	"bytes"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"onramp/backend/help"
	"onramp/backend/instance"
	"onramp/backend/lifecycle"
	"onramp/backend/mail"
	"onramp/backend/notify"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/settings"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/version"
	"onramp/backend/webinar"
)

// The built frontend, packed by `make frontend` (tools/zipdist) into one
// deflated archive: frontend/bundle holds only a placeholder until then.
//
//go:embed all:frontend/bundle
var bundle embed.FS

// frontendAssets is the packed frontend as a file system. Without it (a
// plain `go build` before `make frontend`) the app serves nothing; `wails
// dev` serves frontend/dist from disk either way.
func frontendAssets() (fs.FS, error) {
	raw, err := bundle.ReadFile("frontend/bundle/dist.zip")
	if err != nil {
		return nil, errors.New("this build has no frontend: build it with `make build`")
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("the packed frontend is damaged: %w", err)
	}
	return zr, nil
}

//go:embed build/linux/icon-256.png
var icon []byte

func main() {
	softwareRenderingDefaults()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "Onramp:", err)
		os.Exit(1)
	}
}

func run() error {
	// The connection flags below are defaults: once the Settings screen is
	// saved, the saved settings win over them (settings.Service.Connection).
	dataDirFlag := flag.String("data-dir", "", "folder for Onramp's data (default: $"+store.EnvDataDir+", else Onramp in your settings folder)")
	intakeFlag := flag.String("intake-url", os.Getenv("ONRAMP_INTAKE_URL"), "the network's intake server (HTTPS; plain HTTP only on this computer); a default: settings saved in the app win")
	defaultEvery := lifecycle.DefaultSyncInterval
	if d, err := time.ParseDuration(os.Getenv("ONRAMP_SYNC_EVERY")); err == nil && d > 0 {
		defaultEvery = d
	}
	syncEvery := flag.Duration("sync-every", defaultEvery, "how often to sync when online ($ONRAMP_SYNC_EVERY)")
	smtpFlag := flag.String("smtp", os.Getenv("ONRAMP_SMTP_URL"), "mail relay, smtp://user:password@host:port ($ONRAMP_SMTP_URL); a default: settings saved in the app win")
	supportFlag := flag.String("support-email", envOr("ONRAMP_SUPPORT_EMAIL", "support@onramp.invalid"), "where help requests are emailed")
	credFlag := flag.String("credentialing-email", envOr("ONRAMP_CREDENTIALING_EMAIL", "credentialing@onramp.invalid"), "where exported support packets are emailed")
	fromFlag := flag.String("mail-from", envOr("ONRAMP_MAIL_FROM", "onramp@localhost"), "the From address of the app's email")
	npiFlag := flag.String("npi-registry", os.Getenv("ONRAMP_NPI_URL"), "the NPPES NPI Registry API's address ($ONRAMP_NPI_URL; default: the public registry)")
	versionFlag := flag.Bool("version", false, "print Onramp's version and stop")
	flag.Parse()
	if *versionFlag {
		fmt.Println("Onramp", version.String())
		return nil
	}

	lib, err := help.Bundled()
	if err != nil {
		return fmt.Errorf("load help: %w", err)
	}
	dir, err := store.ResolveDataDir(*dataDirFlag, os.Getenv)
	if err != nil {
		return err
	}
	// A newer webinar from the network lands in the data folder; tests may
	// point the app at a short clip instead.
	videoDir := os.Getenv("ONRAMP_WEBINAR_DIR")
	if videoDir == "" {
		videoDir = filepath.Join(dir, "webinar")
	}
	video, err := webinar.Current(videoDir)
	if err != nil {
		log.Printf("%v; using the bundled webinar", err)
		if video, err = webinar.Bundled(); err != nil {
			return fmt.Errorf("load the training webinar: %w", err)
		}
	}
	mailCfg := outmail.Config{From: mail.Address{Name: "Onramp", Email: *fromFlag}, Support: *supportFlag, Credentialing: *credFlag}
	if *smtpFlag != "" {
		relay, err := mail.ParseRelay(*smtpFlag)
		if err != nil {
			return err
		}
		mailCfg.Relay = &relay
	}
	app := NewApp(lifecycle.Config{
		DataDir: dir, Keyring: secret.SystemKeyring{}, Now: time.Now, Video: video,
		Defaults:  settings.Connection{IntakeURL: *intakeFlag, Mail: mailCfg, NPIRegistry: *npiFlag},
		SyncEvery: *syncEvery,
		Desktop:   &notify.Desktop{}, // reminders as desktop notifications
	}, lib)

	var lock *instance.Lock
	if !generatingBindings {
		if err := store.EnsureDataDir(dir); err != nil {
			return err
		}
		lock, err = instance.Acquire(dir)
		if errors.Is(err, instance.ErrRunning) {
			log.Printf("%v: brought its window to the front.", err)
			return nil
		}
		if err != nil {
			return err
		}
		defer lock.Release()
		lock.OnFocus(app.focus)
	}

	assets, err := frontendAssets()
	if err != nil {
		log.Print(err) // wails dev serves the frontend from disk
	}
	return wails.Run(&options.App{
		Title:            "Onramp",
		Width:            1200,
		Height:           840,
		MinWidth:         880,
		MinHeight:        620,
		AssetServer:      &assetserver.Options{Assets: assets, Handler: video.Handler()},
		BackgroundColour: &options.RGBA{R: 247, G: 248, B: 250, A: 255},
		OnStartup:        app.startWindow,
		OnBeforeClose:    app.beforeClose,
		OnShutdown:       app.shutdown,
		Bind:             []any{app},
		Linux:            &linux.Options{Icon: icon, ProgramName: "onramp"},
	})
}

// softwareRenderingDefaults turns WebKitGTK's DMA-BUF renderer off on a
// computer with no GPU render node (a virtual machine, a remote desktop,
// Xvfb): there it renders through Mesa's software GL anyway, and its
// buffers cost about 90 MB of memory for nothing. A computer with a GPU,
// or a user who set the variable, keeps WebKit's choice.
func softwareRenderingDefaults() {
	const v = "WEBKIT_DISABLE_DMABUF_RENDERER"
	if _, set := os.LookupEnv(v); set {
		return
	}
	if nodes, _ := filepath.Glob("/dev/dri/renderD*"); len(nodes) == 0 {
		os.Setenv(v, "1")
	}
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
