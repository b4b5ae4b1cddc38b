package packet

import (
	"fmt"
	"strings"
)

// Problem is one reason a packet is refused. Code is stable, for programs
// and the app to act on; Message is for people; Path is the archive member
// concerned, when there is one.
type Problem struct {
	Code    string `json:"code"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string { return p.Code + ": " + p.Message }

// Problem codes. docs/packet-format.md explains each.
const (
	CodeNotZip       = "not-zip"
	CodeTruncated    = "truncated"
	CodeUnreadable   = "unreadable"
	CodeTooLarge     = "too-large"
	CodeTooManyFiles = "too-many-files"
	CodeRatio        = "ratio"
	CodeUnsafePath   = "unsafe-path"
	CodeSymlink      = "symlink"
	CodeSpecialFile  = "special-file"
	CodeDuplicate    = "duplicate"
	CodeEncrypted    = "encrypted"
	CodeCompression  = "unsupported-compression"
	CodeMissingFile  = "missing-file"
	CodeExtraFile    = "extra-file"
	CodeSizeMismatch = "size-mismatch"
	CodeHashMismatch = "hash-mismatch"
	CodeBadManifest  = "bad-manifest"
	CodeBadSignature = "bad-signature"
	CodeUntrustedKey = "untrusted-key"
	CodeBadData      = "bad-data"
)

// problems collects what Open finds, once each, in the order found. The
// sets make add and reported cost the same however many problems there are:
// a hostile data.json listing thousands of missing attachments once made
// them quadratic (20,000 took 32 s).
type problems struct {
	list  []Problem
	seen  map[Problem]bool
	paths map[string]bool
}

func (ps *problems) add(code, path, format string, args ...any) {
	p := Problem{Code: code, Path: path, Message: fmt.Sprintf(format, args...)}
	if ps.seen[p] {
		return
	}
	if ps.seen == nil {
		ps.seen, ps.paths = map[Problem]bool{}, map[string]bool{}
	}
	ps.seen[p], ps.paths[path] = true, true
	ps.list = append(ps.list, p)
}

// reported says whether a problem about the member at path is known.
func (ps *problems) reported(path string) bool { return ps.paths[path] }

// pathProblem says why an archive path is not safe to extract anywhere, or
// returns "".
func pathProblem(name string) string {
	switch {
	case name == "":
		return "has an empty name"
	case strings.ContainsRune(name, 0):
		return "contains a NUL character"
	case strings.Contains(name, `\`):
		return "contains a backslash, which Windows reads as a folder separator"
	case strings.HasPrefix(name, "/"):
		return "is an absolute path"
	case strings.Contains(name, ":"):
		return "contains a colon, which Windows reads as a drive letter or a stream"
	}
	for _, part := range strings.Split(name, "/") {
		switch part {
		case "":
			return "has an empty part (a doubled or trailing slash)"
		case "..":
			return "points outside the folder it is extracted into"
		case ".":
			return `has a "." part`
		}
	}
	return ""
}

// megabytes says a size in whole megabytes (MiB), rounded up.
func megabytes(n uint64) string {
	mb := n >> 20
	if n&(1<<20-1) != 0 {
		mb++
	}
	return fmt.Sprintf("%d MB", mb)
}
