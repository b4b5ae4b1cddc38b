// Command helpgen renders backend/help/articles/*.md into
// backend/help/articles.json.gz, which the app embeds (run by
// `go generate ./backend/help`; a test fails when the file is stale).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"log"
	"os"
	"path/filepath"

	"onramp/backend/help/helpmd"
)

func main() {
	dir := "."
	if _, err := os.Stat("articles"); err != nil {
		dir = "backend/help"
	}
	rs, err := helpmd.RenderAll(os.DirFS(filepath.Join(dir, "articles")))
	if err != nil {
		log.Fatal(err)
	}
	raw, err := json.MarshalIndent(rs, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression) // no name or time: the same input gives the same bytes
	zw.Write(append(raw, '\n'))
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "articles.json.gz"), gz.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
