// Command onramp-mailsink is a local mail server for trying Onramp on one
// machine: it accepts every message (any AUTH PLAIN login) and saves each
// as an .eml file in a folder.
//
//	onramp-mailsink --addr 127.0.0.1:2525 --dir tmp/mail
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"onramp/backend/mail"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:2525", "address to listen on (keep it on loopback)")
	dir := flag.String("dir", "mail", "folder to save messages in")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "onramp-mailsink:", err)
		os.Exit(1)
	}
	var n atomic.Int64
	sink, err := mail.NewSink(*addr, func(from string, to []string, data []byte) error {
		name := fmt.Sprintf("%s-%04d.eml", time.Now().UTC().Format("20060102T150405Z"), n.Add(1))
		path := filepath.Join(*dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return err
		}
		fmt.Printf("saved %s (from %s to %v)\n", path, from, to)
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "onramp-mailsink:", err)
		os.Exit(1)
	}
	fmt.Printf("onramp-mailsink listening on %s, saving to %s\n", sink.Addr(), *dir)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	sink.Close()
}
