package packet

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"

	"onramp/backend/picture"
)

// Images print at most imageMaxW × imageMaxH mm (on the attachments pages;
// the cover's headshot is smaller). Renditions carry 300 pixels per inch of
// that, so a phone's 12-megapixel photo adds a few hundred KB to the PDF,
// not its full size.
const (
	imageMaxW, imageMaxH = 75.0, 95.0 // mm
	printPixelsW         = 886        // 75 mm at 300 dpi
	printPixelsH         = 1122       // 95 mm at 300 dpi
)

// drawPictures makes the rendition of every image attachment from its
// original bytes, so a packet is drawn the same from the app's files or
// from its own archive on another machine. An image that cannot be drawn
// (damaged, or attached before images were checked whole) is left out and
// only listed: it never stops the packet.
func drawPictures(doc Doc) map[string]picture.Rendition {
	out := map[string]picture.Rendition{}
	for _, a := range doc.Data.Attachments {
		data, ok := doc.Files[a.SHA256]
		if _, done := out[a.SHA256]; done || !ok || !isImage(a.Type) {
			continue
		}
		if r, err := picture.Render(data, picture.Box{W: printPixelsW, H: printPixelsH}); err == nil {
			out[a.SHA256] = r
		}
	}
	distinctWidths(out)
	return out
}

// distinctWidths narrows renditions by a pixel or two until no two that
// differ have the same width. The PDF library writes its image objects
// sorted by width alone, from a map: two images of one width would come
// out in random order, and the same packet would not make the same bytes
// twice. Which ones narrow is decided by content, so it is the same on
// every run; one pixel in several hundred is not seen. (The proper fix
// is a tie-break in the library's sort.)
func distinctWidths(pics map[string]picture.Rendition) {
	byName := map[string][]string{} // rendition content → the originals drawing it
	for sha, r := range pics {
		n := renditionName(r)
		byName[n] = append(byName[n], sha)
	}
	names := slices.SortedFunc(maps.Keys(byName), func(a, b string) int {
		return cmp.Or(cmp.Compare(pics[byName[b][0]].Width, pics[byName[a][0]].Width), strings.Compare(a, b))
	})
	used := map[int]bool{}
	for _, n := range names {
		first := pics[byName[n][0]] // the same for each of them
		r := first
		for w := r.Width - 1; used[r.Width] && w >= 1; w-- {
			if narrower, err := picture.Render(first.Data, picture.Box{W: w, H: printPixelsH}); err == nil {
				r = narrower
			}
		}
		used[r.Width] = true
		for _, sha := range byName[n] {
			pics[sha] = r
		}
	}
}

func isImage(mime string) bool { return mime == picture.PNG || mime == picture.JPEG }

// pdfImageType is the PDF library's name for a rendition's format.
func pdfImageType(r picture.Rendition) string {
	if r.Type == picture.PNG {
		return "PNG"
	}
	return "JPG"
}

// renditionName names a rendition by its content.
func renditionName(r picture.Rendition) string {
	sum := sha256.Sum256(r.Data)
	return hex.EncodeToString(sum[:])
}

type imageInfo struct {
	sha  string
	w, h int // the rendition's pixels, upright
}

func imageOf(doc Doc, a Attachment) (imageInfo, bool) {
	r, ok := doc.pictures[a.SHA256]
	if !ok || !isImage(a.Type) {
		return imageInfo{}, false
	}
	return imageInfo{sha: a.SHA256, w: r.Width, h: r.Height}, true
}

func headshot(doc Doc) (imageInfo, bool) {
	for _, a := range doc.Data.Attachments {
		if a.Field == "headshot" {
			return imageOf(doc, a)
		}
	}
	return imageInfo{}, false
}

// fitImage scales pixels into a box, keeping the aspect ratio.
func fitImage(pw, ph int, maxW, maxH float64) (float64, float64) {
	w, h := maxW, maxW*float64(ph)/float64(pw)
	if h > maxH {
		w, h = maxH*float64(pw)/float64(ph), maxH
	}
	return w, h
}
