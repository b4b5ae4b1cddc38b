// The helpers the form tests fill fields, pick files and check the data
// folder with.

package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	pngenc "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/tests/seed"
)

// fid is the DOM id of a form field path.
func fid(path string) string { return "#f-" + strings.ReplaceAll(path, ".", "-") }

// typeInto replaces a text field's value by typing, then leaves the field.
func typeInto(t *testing.T, b *browser, path, value string) {
	t.Helper()
	sel := fid(path)
	b.do(t, "type into "+path,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](js(`(() => { const e = document.querySelector(%q); e.focus(); e.select(); })()`, sel)),
		chromedp.KeyEvent("\b"),
		chromedp.SendKeys(chromedp.CSS(sel), value),
		chromedp.Blur(chromedp.CSS(sel)),
	)
}

// choose sets a form field (by path) as its picker would.
func choose(t *testing.T, b *browser, path, value string) {
	t.Helper()
	chooseSel(t, b, fid(path), value)
}

// chooseSel sets a select or date input as its own picker would: a value,
// then the input, change and blur events.
func chooseSel(t *testing.T, b *browser, sel, value string) {
	t.Helper()
	eval[bool](t, b, js(`(() => {
		const e = document.querySelector(%q);
		e.value = %q;
		e.dispatchEvent(new Event('input', { bubbles: true }));
		e.dispatchEvent(new Event('change', { bubbles: true }));
		e.dispatchEvent(new FocusEvent('blur'));
		e.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
		return true;
	})()`, sel, value))
}

// tick clicks the option of a yes/no, multi-choice or checkbox field, as a
// provider does, and checks that the click took: under load the form can
// shift (a field appearing, the save line changing) between finding the
// option and the click landing, so a click that missed is made again.
func tick(t *testing.T, b *browser, path, value string) {
	t.Helper()
	sel := fmt.Sprintf(`[data-path=%q] input[value=%q]`, path, value)
	if value == "" {
		sel = fmt.Sprintf(`[data-path=%q] input[type=checkbox]`, path)
	}
	checked := js(`document.querySelector(%q).checked`, sel)
	want := true // a radio option ends up chosen, a checkbox toggles
	if eval[string](t, b, js(`document.querySelector(%q).type`, sel)) == "checkbox" {
		want = !eval[bool](t, b, checked)
	}
	for attempt := 1; ; attempt++ {
		b.do(t, "tick "+path+"="+value, chromedp.Click(chromedp.CSS(sel)))
		if eval[bool](t, b, checked) == want {
			return
		}
		if attempt == 3 {
			t.Fatalf("ticking %s=%q did not take after 3 clicks", path, value)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func msgOf(t *testing.T, b *browser, path string) string {
	t.Helper()
	return eval[string](t, b, js(`document.querySelector(%q)?.textContent ?? ''`, fid(path)+"-msg"))
}

// expectMsg waits for the message next to a field to contain want ("" = no
// message).
func expectMsg(t *testing.T, b *browser, path, want string) {
	t.Helper()
	cond := js(`(document.querySelector(%q)?.textContent ?? '').includes(%q)`, fid(path)+"-msg", want)
	if want == "" {
		cond = js(`!document.querySelector(%q)`, fid(path)+"-msg")
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("%s: message %q, want %q", path, msgOf(t, b, path), want)
}

func waitSaved(t *testing.T, b *browser) {
	t.Helper()
	waitJS(t, b, "the draft saved", `document.querySelector('#save-state')?.dataset.state === 'saved'`)
}

func openForm(t *testing.T, b *browser, url, item string) {
	t.Helper()
	// Reopened from a screen of the app: its last calls (the remembered
	// place, 300 ms after a move) go out first, as when a window closes.
	if eval[string](t, b, `location.href`) != "about:blank" {
		leave(t, b)
	}
	b.do(t, "open the app", chromedp.Navigate(url))
	waitJS(t, b, "the dashboard's "+item, js(`!!document.querySelector('[data-open=%q]')`, item))
	b.do(t, "open "+item, chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-open=%q]`, item))), chromedp.WaitVisible(chromedp.CSS("#save-state")))
}

// fileShown is a JavaScript condition: the upload field at path shows the
// file name.
func fileShown(path, name string) string {
	return js(`document.querySelector('[data-path=%q] .file-name')?.textContent === %q`, path, name)
}

// secondLicenseKeepsItsDocument adds a second license with its own copy,
// moves it above the first (each file, and the image's thumbnail, moves
// with its license) and removes it again.
func secondLicenseKeepsItsDocument(t *testing.T, b *browser, image string) {
	t.Helper()
	b.do(t, "add a license", chromedp.Click(chromedp.CSS(`[data-add="licenses"]`)))
	waitJS(t, b, "a second license", js(`!!document.querySelector(%q)`, fid("licenses.1.state")))
	pick(t, b, "licenses.1.state", "oreg", "OR")
	expectMsg(t, b, "licenses.1.document", "")
	attachFile(t, b, "licenses.1.document", image)
	waitJS(t, b, "the second license's copy", fileShown("licenses.1.document", "or-license.png")+" && "+fileShown("licenses.0.document", "license.pdf"))
	b.do(t, "move license 2 up", chromedp.Click(chromedp.CSS(`button[aria-label="Move License 2 up"]`)))
	waitJS(t, b, "each file moved with its license", js(`document.querySelector(%q).dataset.value === 'OR'`, fid("licenses.0.state"))+" && "+
		fileShown("licenses.0.document", "or-license.png")+" && "+fileShown("licenses.1.document", "license.pdf")+" && "+
		`!!document.querySelector('[data-path="licenses.0.document"] img.thumb') && !document.querySelector('[data-path="licenses.1.document"] img.thumb')`)
	b.do(t, "remove the Oregon license", chromedp.Click(chromedp.CSS(`button[aria-label="Remove License 1"]`)))
	waitJS(t, b, "one license, with its own file", `document.querySelectorAll('[data-section="licenses"] .repeat-item').length === 1 && `+
		js(`document.querySelector(%q).dataset.value === 'CA'`, fid("licenses.0.state"))+" && "+fileShown("licenses.0.document", "license.pdf"))
}

func seedAs(t testing.TB, dir, name, license string) {
	t.Helper()
	seed.AccountAs(t, dir, name, license, time.Now().AddDate(0, 0, 14))
}

// assertNoPlaintext greps every file of the data folder.
func assertNoPlaintext(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, s := range secrets {
			if bytes.Contains(raw, []byte(s)) {
				t.Errorf("%s holds %q in plaintext", filepath.Base(f), s)
			}
		}
	}
}

// testFiles writes the files a provider might pick: real ones and impostors.
func testFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	var png bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for y := 0; y < 64; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, color.RGBA{uint8(80 + x), uint8(120 + y), 200, 255})
		}
	}
	pngenc.Encode(&png, img)
	files := map[string][]byte{
		"license.pdf":    []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
		"headshot.png":   png.Bytes(),
		"face-sheet.png": png.Bytes(),
		"or-license.png": png.Bytes(),
		"fake.png":       append([]byte("MZ\x90\x00"), make([]byte, 2048)...),
		"empty.pdf":      nil,
	}
	out := map[string]string{}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out[name] = path
	}
	return out
}

// attachFile picks a file with the upload field's file input, as a provider
// does in a browser (the desktop window uses the native dialog instead).
func attachFile(t *testing.T, b *browser, path, file string) {
	t.Helper()
	b.do(t, "attach "+filepath.Base(file)+" to "+path,
		chromedp.SetUploadFiles(chromedp.CSS(fmt.Sprintf(`[data-file-input=%q]`, path)), []string{file}, chromedp.NodeReady))
}
