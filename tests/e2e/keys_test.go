package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// press sends keys to whatever has focus, as a keyboard does: text, or
// kb's named keys (kb.Tab, kb.Enter, kb.ArrowDown…).
func press(t *testing.T, b *browser, keys string, opts ...chromedp.KeyOption) {
	t.Helper()
	b.do(t, "press "+keyName(keys), chromedp.KeyEvent(keys, opts...))
}

func keyName(keys string) string {
	names := map[string]string{kb.Tab: "Tab", kb.Enter: "Enter", kb.Escape: "Escape", kb.ArrowDown: "Down", kb.ArrowUp: "Up",
		kb.ArrowLeft: "Left", kb.ArrowRight: "Right", kb.Backspace: "Backspace", kb.Home: "Home", kb.End: "End", " ": "Space", kb.F1: "F1"}
	if n, ok := names[keys]; ok {
		return n
	}
	return keys
}

// activeOption is a JavaScript expression: the value of the option a
// picker's input (by CSS selector) points at with aria-activedescendant
// while its list is open, or "".
func activeOption(sel string) string {
	return js(`(() => {
		const e = document.querySelector(%q);
		const id = e?.getAttribute('aria-expanded') === 'true' ? e.getAttribute('aria-activedescendant') : null;
		return (id && document.getElementById(id)?.dataset.option) || '';
	})()`, sel)
}

// pickerValue is the value a picker (by field path) holds for the form:
// one option's value, or "a,b" for several.
func pickerValue(t *testing.T, b *browser, path string) string {
	t.Helper()
	return eval[string](t, b, js(`document.querySelector(%q)?.dataset.value ?? ''`, fid(path)))
}

// pick chooses an option of a searchable picker (a long select or
// multiselect) by the keyboard: it types search into the picker, checks
// the option the search landed on is value, presses Enter, then leaves the
// field. In a multiple picker that ticks the option, or unticks it.
func pick(t *testing.T, b *browser, path, search, value string) {
	t.Helper()
	sel := fid(path)
	multiple := eval[bool](t, b, js(`!!document.querySelector(%q)?.closest('.picker')?.classList.contains('multiple')`, sel))
	before := strings.Split(pickerValue(t, b, path), ",")
	b.do(t, "go to "+path,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](js(`(() => { const e = document.querySelector(%q); e.focus(); e.select(); })()`, sel)),
		chromedp.KeyEvent(search))
	waitJS(t, b, search+" finds "+value+" in "+path, activeOption(sel)+` === `+js(`%q`, value))
	press(t, b, kb.Enter)
	if multiple {
		press(t, b, kb.Escape) // a multiple picker's list stays open for the next choice
	}
	b.do(t, "leave "+path, chromedp.Blur(chromedp.CSS(sel)))

	got := strings.Split(pickerValue(t, b, path), ",")
	switch {
	case !multiple && pickerValue(t, b, path) != value:
		t.Fatalf("%s holds %q after choosing %q", path, pickerValue(t, b, path), value)
	case multiple && slices.Contains(got, value) == slices.Contains(before, value):
		t.Fatalf("%s holds %q after toggling %q (it held %q)", path, strings.Join(got, ","), value, strings.Join(before, ","))
	}
}
