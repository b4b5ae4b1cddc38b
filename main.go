package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"onramp/backend/help"
	"onramp/backend/instance"
	"onramp/backend/store"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "Onramp:", err)
		os.Exit(1)
	}
}

func run() error {
	dataDirFlag := flag.String("data-dir", "", "folder for Onramp's data (default: $"+store.EnvDataDir+", else Onramp in your settings folder)")
	flag.Parse()

	lib, err := help.Bundled()
	if err != nil {
		return fmt.Errorf("load help: %w", err)
	}
	dir, err := store.ResolveDataDir(*dataDirFlag, os.Getenv)
	if err != nil {
		return err
	}
	app := NewApp(dir, lib, time.Now)

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

	return wails.Run(&options.App{
		Title:            "Onramp",
		Width:            1200,
		Height:           840,
		MinWidth:         880,
		MinHeight:        620,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 247, G: 248, B: 250, A: 255},
		OnStartup:        app.startup,
		OnShutdown:       app.shutdown,
		Bind:             []any{app},
		Linux:            &linux.Options{Icon: icon, ProgramName: "onramp"},
	})
}
