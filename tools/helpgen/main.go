// Command helpgen renders backend/help/articles/*.md into
// backend/help/articles.json, which the app embeds (run by
// `go generate ./backend/help`; a test fails when the file is stale).
package main

import (
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
	if err := os.WriteFile(filepath.Join(dir, "articles.json"), append(raw, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}
