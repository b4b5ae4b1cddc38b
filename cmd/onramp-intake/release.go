package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"onramp/backend/intake"
	"onramp/backend/intake/server"
)

// The release commands: release-key makes the release signing key,
// release add records a signed release the apps download.

// releaseFlags are the flags only the release commands take.
type releaseFlags struct {
	version, platform, file, notes string
}

// define adds name to fs when it is a release flag.
func (r *releaseFlags) define(fs *flag.FlagSet, name string) bool {
	switch name {
	case "version":
		fs.StringVar(&r.version, name, "", "the release's version, dotted numbers like 1.2.3 (newer than the platform's last)")
	case "platform":
		fs.StringVar(&r.platform, name, "", "what the file installs on: "+strings.Join(intake.Platforms(), ", "))
	case "file":
		fs.StringVar(&r.file, name, "", "the installer file (.deb, .rpm or .exe)")
	case "notes":
		fs.StringVar(&r.notes, name, "", "a text file of release notes the provider sees")
	default:
		return false
	}
	return true
}

func releaseKeyCommand() command {
	return command{name: "release-key", synopsis: "--out FILE",
		summary: "make the release signing key: the private key goes to --out (0600), the public key the app is built with is printed",
		flags:   []string{"out"},
		check:   func(o *options) error { return o.required("out") },
		local: func(o *options, out io.Writer) error {
			pub, err := server.WriteReleaseKey(o.out)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "private key: %s (keep it private and off the server: every app installs what it signs)\npublic key:  %s\n"+
				"Build the app with it: put the public key in backend/onboarding/updates/release.pub (see the README).\n",
				o.out, base64.StdEncoding.EncodeToString(pub))
			return nil
		}}
}

func releaseCommand() command {
	return command{name: "release add", synopsis: "--version V --platform " + strings.Join(intake.Platforms(), "|") + " --file F --notes FILE --key release.key",
		summary: "release add: record a release for the apps, its manifest signed with the release key",
		flags:   []string{"version", "platform", "file", "notes", "key"},
		check:   checkRelease,
		do:      doRelease}
}

func checkRelease(o *options) error {
	if err := o.required("key"); err != nil {
		return err
	}
	r := o.release
	switch {
	case strings.TrimSpace(r.version) == "" || strings.TrimSpace(r.file) == "" || strings.TrimSpace(r.notes) == "":
		return errors.New("release add needs --version, --platform, --file, --notes and --key")
	case !slices.Contains(intake.Platforms(), r.platform):
		return fmt.Errorf("--platform %q: give one of %s", r.platform, strings.Join(intake.Platforms(), ", "))
	}
	if _, ok := intake.CompareVersions(r.version, r.version); !ok {
		return fmt.Errorf("--version %q: give dotted numbers like 1.2.3", r.version)
	}
	for _, f := range []string{r.file, r.notes} {
		if info, err := os.Stat(f); err != nil || !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a file", f)
		}
	}
	_, err := server.ReadReleaseKey(o.keyFile)
	return err
}

func doRelease(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
	key, err := server.ReadReleaseKey(o.keyFile)
	if err != nil {
		return err
	}
	file, err := os.ReadFile(o.release.file)
	if err != nil {
		return err
	}
	notes, err := os.ReadFile(o.release.notes)
	if err != nil {
		return err
	}
	rel, err := db.AddRelease(ctx, key, server.NewRelease{Version: o.release.version, Platform: o.release.platform,
		FileName: o.release.file, Notes: strings.TrimSpace(string(notes)), File: file})
	if err != nil {
		return err
	}
	m := rel.Manifest
	fmt.Fprintf(out, "release %d: %s for %s, %s (%d bytes, SHA-256 %s), signed by %s\n", rel.ID, m.Version, m.Platform, m.FileName, m.Size, m.SHA256,
		base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)))
	return nil
}
