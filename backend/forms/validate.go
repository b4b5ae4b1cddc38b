package forms

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Validate checks a whole long form: every shown field, the number of items
// in repeating sections, and the rules across fields (dates in order,
// coverage, work-history gaps). Problems come in form order.
func Validate(s Schema, d Data, ctx Context) []Problem {
	problems := []Problem{}
	add := func(p *Problem) {
		if p != nil {
			problems = append(problems, *p)
		}
	}
	for _, sec := range s.Sections {
		if !holds(sec.ShowWhen, d.Fields, ctx) {
			continue
		}
		if sec.Repeat == nil {
			for _, f := range sec.Fields {
				if holds(f.ShowWhen, d.Fields, ctx) {
					add(checkField(f, f.Name, d.Fields[f.Name], d.Fields, ctx))
				}
			}
			continue
		}
		items := d.Groups[sec.ID]
		if len(items) < sec.Repeat.Min {
			add(&Problem{Field: sec.ID, Code: "too-few", Message: fmt.Sprintf("Add at least %d %s.", sec.Repeat.Min, plural(sec.Repeat.ItemLabel, sec.Repeat.Min))})
		}
		if len(items) > sec.Repeat.Max {
			add(&Problem{Field: sec.ID, Code: "too-many", Message: fmt.Sprintf("At most %d %s, please.", sec.Repeat.Max, plural(sec.Repeat.ItemLabel, sec.Repeat.Max))})
		}
		for i, item := range items {
			for _, f := range sec.Fields {
				if holds(f.ShowWhen, item, ctx) {
					add(checkField(f, itemPath(sec.ID, i, f.Name), item[f.Name], item, ctx))
				}
			}
		}
	}
	problems = append(problems, crossChecks(s, d, ctx)...)
	// Warnings last: a field's error, if any, is the one it shows.
	problems = append(problems, expiryWarnings(s, d, ctx)...)
	return dedupe(problems)
}

// Blocking reports whether any problem is an error rather than a warning.
func Blocking(problems []Problem) bool {
	for _, p := range problems {
		if !p.Warning {
			return true
		}
	}
	return false
}

func itemPath(section string, i int, field string) string {
	return section + "." + strconv.Itoa(i) + "." + field
}

func plural(label string, n int) string {
	l := strings.ToLower(label)
	if n == 1 {
		return l
	}
	return l + "s"
}

// dedupe keeps the first problem per field, so each field shows one message.
func dedupe(ps []Problem) []Problem {
	seen := map[string]bool{}
	out := ps[:0]
	for _, p := range ps {
		if seen[p.Field] {
			continue
		}
		seen[p.Field] = true
		out = append(out, p)
	}
	return out
}

// crossChecks are the rules that involve more than one field.
func crossChecks(s Schema, d Data, ctx Context) []Problem {
	var out []Problem
	order := func(path, fromVal, toVal, msg string) {
		from, err1 := time.Parse(dateLayout, strings.TrimSpace(fromVal))
		to, err2 := time.Parse(dateLayout, strings.TrimSpace(toVal))
		if err1 == nil && err2 == nil && !to.After(from) {
			out = append(out, Problem{Field: path, Code: "date-order", Message: msg})
		}
	}
	for _, sec := range s.Sections {
		if !holds(sec.ShowWhen, d.Fields, ctx) {
			continue
		}
		switch sec.ID {
		case "licenses":
			for i, it := range d.Groups[sec.ID] {
				order(itemPath(sec.ID, i, "expires"), it["issued"], it["expires"], "The expiry date must be after the issue date.")
			}
		case "education":
			for i, it := range d.Groups[sec.ID] {
				order(itemPath(sec.ID, i, "end"), it["start"], it["end"], "The completion date must be after the start date.")
			}
		case "work":
			for i, it := range d.Groups[sec.ID] {
				if it["current"] != "yes" {
					order(itemPath(sec.ID, i, "end"), it["start"], it["end"], "The end date must be after the start date.")
				}
			}
		case "residency", "internship", "postdoc":
			order(sec.ID+"End", d.Fields[sec.ID+"Start"], d.Fields[sec.ID+"End"], "The completion date must be after the start date.")
		case "liability":
			order("policyExpires", d.Fields["policyEffective"], d.Fields["policyExpires"], "The expiry date must be after the effective date.")
			per, ok1 := parseMoney(d.Fields["perClaim"])
			agg, ok2 := parseMoney(d.Fields["aggregate"])
			if ok1 && ok2 && agg < per {
				out = append(out, Problem{Field: "aggregate", Code: "below-per-claim",
					Message: "The aggregate coverage ($" + thousands(agg) + ") can't be less than the per-claim coverage ($" + thousands(per) + ")."})
			}
		case "board":
			order("boardExpires", d.Fields["boardCertified"], d.Fields["boardExpires"], "The expiry date must be after the certification date.")
		case "gaps":
			if gaps := WorkGaps(d.Groups["work"], ctx.Today); len(gaps) > 0 && strings.TrimSpace(d.Fields["gapExplanation"]) == "" {
				out = append(out, Problem{Field: "gapExplanation", Code: "gap-unexplained",
					Message: "Your work history has a gap of more than 6 months (" + gaps[0].String() + "). Explain it here."})
			}
		}
	}
	return out
}

// Gap is a stretch of the last 5 years not covered by any position.
type Gap struct{ From, To time.Time }

func (g Gap) String() string {
	return g.From.Format("January 2006") + " to " + g.To.Format("January 2006")
}

// WorkGaps finds the stretches longer than 6 months within the 5 years
// before today that no position covers. Positions with unreadable dates are
// ignored (their fields carry their own problems).
func WorkGaps(items []map[string]string, today time.Time) []Gap {
	today = calendarDay(today)
	windowStart := today.AddDate(-5, 0, 0)
	type span struct{ from, to time.Time }
	var spans []span
	for _, it := range items {
		from, err := time.Parse(dateLayout, strings.TrimSpace(it["start"]))
		if err != nil {
			continue
		}
		to := today
		if it["current"] != "yes" {
			if to, err = time.Parse(dateLayout, strings.TrimSpace(it["end"])); err != nil || to.Before(from) {
				continue
			}
		}
		spans = append(spans, span{from, to})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from.Before(spans[j].from) })
	var gaps []Gap
	cursor := windowStart
	consider := func(from, to time.Time) {
		if to.After(addMonths(from, 6)) {
			gaps = append(gaps, Gap{From: from, To: to})
		}
	}
	for _, sp := range spans {
		if sp.from.After(cursor) {
			consider(cursor, sp.from)
		}
		if sp.to.After(cursor) {
			cursor = sp.to
		}
	}
	if today.After(cursor) {
		consider(cursor, today)
	}
	return gaps
}

// addMonths is the same day n months later, or that month's last day when
// it has no such day: Aug 31 + 6 months is Feb 28 (29), not Mar 3 as
// time.AddDate normalises it, so that a gap of 6 months and 2 days counts
// as longer than 6 months.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}
