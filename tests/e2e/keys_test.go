package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

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

// keyboard drives the page with key events only, and checks after every
// key that focus is somewhere a sighted keyboard user can see it.
type keyboard struct {
	t     *testing.T
	b     *browser
	trail []string // where focus went, for a failure's message
}

// focused is what document.activeElement is and how it is drawn.
type focused struct {
	Body    bool   `json:"body"`
	Name    string `json:"name"`
	Outline string `json:"outline"`
	Width   string `json:"width"`
}

const focusedJS = `(() => {
	const e = document.activeElement;
	if (!e || e === document.body || e === document.documentElement) return { body: true, name: 'the page body', outline: '', width: '' };
	const s = getComputedStyle(e);
	const text = (e.getAttribute('aria-label') || e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
	const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.getAttribute('type') ? '[type=' + e.getAttribute('type') + ']' : '') +
		(e.value !== undefined && (e.type === 'radio' || e.type === 'checkbox') ? '[value=' + e.value + ']' : '') + (text ? ' "' + text + '"' : '');
	return { body: false, name, outline: s.outlineStyle, width: s.outlineWidth };
})()`

// visible fails the test unless focus is on an element (not the page body)
// drawn with an outline.
func (k *keyboard) visible(step string) focused {
	k.t.Helper()
	f := eval[focused](k.t, k.b, focusedJS)
	k.trail = append(k.trail, f.Name)
	if len(k.trail) > 12 {
		k.trail = k.trail[1:]
	}
	if f.Body {
		k.t.Fatalf("%s: focus fell to the page body (focus went: %s)", step, strings.Join(k.trail, " → "))
	}
	if f.Outline == "none" || f.Width == "0px" {
		k.t.Fatalf("%s: %s has focus with no visible outline (outline-style %s, width %s)", step, f.Name, f.Outline, f.Width)
	}
	return f
}

func (k *keyboard) press(keys string, opts ...chromedp.KeyOption) {
	k.t.Helper()
	press(k.t, k.b, keys, opts...)
}

func (k *keyboard) matches(css string) bool {
	k.t.Helper()
	return eval[bool](k.t, k.b, js(`!!document.activeElement?.matches(%q)`, css))
}

// tabTo presses Tab (or Shift+Tab, back) until the element css has focus,
// checking focus is visible at each stop on the way.
func (k *keyboard) tabTo(css string) { k.t.Helper(); k.walk(css, false) }

func (k *keyboard) shiftTabTo(css string) { k.t.Helper(); k.walk(css, true) }

func (k *keyboard) walk(css string, back bool) {
	k.t.Helper()
	for range 160 {
		if k.matches(css) {
			k.visible("on " + css)
			return
		}
		if back {
			k.press(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
		} else {
			k.press(kb.Tab)
		}
		k.visible("tabbing to " + css)
	}
	k.t.Fatalf("160 presses of Tab never reached %s (focus went: %s)", css, strings.Join(k.trail, " → "))
}

// waitFocus waits for focus to arrive at css by itself (a new screen's
// heading, a focused summary), then checks it is visible.
func (k *keyboard) waitFocus(css, what string) {
	k.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !k.matches(css) {
		if time.Now().After(deadline) {
			k.t.Fatalf("%s: focus is on %s, not on %s", what, eval[focused](k.t, k.b, focusedJS).Name, css)
		}
		time.Sleep(100 * time.Millisecond)
	}
	k.visible(what)
}

// tabEnter tabs to css, presses Enter on it and waits for focus to arrive
// at then (the screen or the result it opened); shiftTabEnter goes back.
func (k *keyboard) tabEnter(css, then, what string) {
	k.t.Helper()
	k.tabTo(css)
	k.press(kb.Enter)
	k.waitFocus(then, what)
}

func (k *keyboard) shiftTabEnter(css, then, what string) {
	k.t.Helper()
	k.shiftTabTo(css)
	k.press(kb.Enter)
	k.waitFocus(then, what)
}

// typeText types into the focused field and checks the field took it.
func (k *keyboard) typeText(text string) {
	k.t.Helper()
	k.press(text)
	if got := eval[string](k.t, k.b, `document.activeElement?.value ?? ''`); got != text {
		k.t.Fatalf("typed %q into %s, which holds %q", text, k.visible("typing").Name, got)
	}
}

// date types an ISO date into the focused date input, its parts in the
// order the browser's locale shows them (month/day/year in en-US).
func (k *keyboard) date(iso string) {
	k.t.Helper()
	order := eval[[]string](k.t, k.b, `new Intl.DateTimeFormat(navigator.language, { year: 'numeric', month: '2-digit', day: '2-digit' })
		.formatToParts(new Date(2001, 10, 22)).filter((p) => p.type !== 'literal').map((p) => p.type)`)
	parts := map[string]string{"year": iso[:4], "month": iso[5:7], "day": iso[8:10]}
	for _, p := range order {
		k.press(parts[p])
	}
	if got := eval[string](k.t, k.b, `document.activeElement?.value ?? ''`); got != iso {
		k.t.Fatalf("typed the date %s (as %v) into %s, which holds %q", iso, order, k.visible("typing a date").Name, got)
	}
}

// pick types search into the focused picker, checks it landed on value and
// presses Enter (a multiple picker's list stays open).
func (k *keyboard) pick(search, value string) {
	k.t.Helper()
	id := eval[string](k.t, k.b, `document.activeElement?.id ?? ''`)
	k.press(search)
	waitJS(k.t, k.b, search+" finds "+value, activeOption("#"+id)+js(` === %q`, value))
	k.visible("the option found")
	k.press(kb.Enter)
}

// check presses Space on the focused checkbox or radio and checks it took.
func (k *keyboard) check() {
	k.t.Helper()
	k.press(" ")
	if !eval[bool](k.t, k.b, `document.activeElement?.checked === true`) {
		k.t.Fatalf("Space did not tick %s", k.visible("ticking").Name)
	}
}
