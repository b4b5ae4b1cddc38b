package forms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"onramp/backend/attach"
	"onramp/backend/validate"
)

// Context is what validation needs beyond the form: the account's values
// ($licenseType, $legalName) and today's date.
type Context struct {
	Values map[string]string
	Today  time.Time
}

const dateLayout = "2006-01-02"

// holds evaluates a condition against a scope (the form's fields, or a
// repeating item's) and the context.
func holds(c *Condition, scope map[string]string, ctx Context) bool {
	if c == nil {
		return true
	}
	var v string
	if strings.HasPrefix(c.Field, "$") {
		v = ctx.Values[c.Field]
	} else {
		v = strings.TrimSpace(scope[c.Field])
	}
	return slices.Contains(c.In, v)
}

// checkField returns the problem with one field's value, or nil.
func checkField(f Field, path, raw string, scope map[string]string, ctx Context) *Problem {
	v := strings.TrimSpace(raw)
	problem := func(code, format string, args ...any) *Problem {
		return &Problem{Field: path, Code: code, Message: fmt.Sprintf(format, args...)}
	}
	if v == "" {
		if f.Required || (f.RequiredWhen != nil && holds(f.RequiredWhen, scope, ctx)) {
			return problem("required", "%s", requiredMessage(f))
		}
		return nil
	}
	if n := utf8.RuneCountInString(v); f.MaxLength > 0 && n > f.MaxLength {
		return problem("too-long", "This is %d characters; the limit is %s.", n, thousands(f.MaxLength))
	} else if f.MinLength > 0 && n < f.MinLength {
		return problem("too-short", "This is %d characters; write at least %s (%d more).", n, thousands(f.MinLength), f.MinLength-n)
	}
	if p := checkType(f, v, problem); p != nil {
		return p
	}
	return checkRule(f, v, ctx, problem)
}

func requiredMessage(f Field) string {
	switch f.Type {
	case "select":
		return "Choose one."
	case "multiselect":
		return "Choose at least one."
	case "yesno":
		return "Answer yes or no."
	case "checkbox":
		return "Tick this box to continue."
	case "date":
		return "Enter a date."
	}
	return "This is required."
}

type problemFunc func(code, format string, args ...any) *Problem

func checkType(f Field, v string, problem problemFunc) *Problem {
	switch f.Type {
	case "date":
		d, err := time.Parse(dateLayout, v)
		if err != nil || d.Year() < 1900 || d.Year() > 2100 {
			return problem("invalid-date", "Enter a real date, like 2026-12-01.")
		}
	case "money":
		if _, ok := parseMoney(v); !ok {
			return problem("invalid-amount", "Enter an amount in whole dollars, like 1,000,000.")
		}
	case "select", "yesno":
		if !hasOption(f.Options, v) {
			return problem("invalid-choice", "Choose one of the options.")
		}
	case "multiselect":
		for _, part := range strings.Split(v, ",") {
			if !hasOption(f.Options, strings.TrimSpace(part)) {
				return problem("invalid-choice", "Choose from the options.")
			}
		}
	case "checkbox":
		if v != "yes" {
			return problem("invalid-choice", "Tick the box or leave it empty.")
		}
	case "file":
		if !attach.ValidHash(v) {
			return problem("invalid-file", "Attach the file again.")
		}
	}
	return nil
}

func checkRule(f Field, v string, ctx Context, problem problemFunc) *Problem {
	fromErr := func(err error) *Problem {
		if err == nil {
			return nil
		}
		return problem("invalid", "%s", err.Error())
	}
	date, _ := time.Parse(dateLayout, v)
	today := calendarDay(ctx.Today)
	switch f.Check {
	case "npi":
		return fromErr(validate.NPI(v))
	case "dea":
		return fromErr(validate.DEA(v, ctx.Values["$legalName"]))
	case "caqh":
		if p := fromErr(validate.CAQHID(v)); p != nil {
			return p
		}
		if w := validate.CAQHIDWarning(v); w != "" {
			p := problem("unusual-length", "%s", w)
			p.Warning = true
			return p
		}
	case "zip":
		return fromErr(validate.ZIP(v))
	case "phone":
		return fromErr(validate.Phone(v))
	case "email":
		return fromErr(validate.Email(v))
	case "name":
		return fromErr(validate.PersonName(v))
	case "credentials":
		for _, r := range v {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" -,./", r) {
				return problem("invalid", "Credentials have letters, digits, spaces, commas, periods, slashes and dashes only, like LCSW or PMHNP-BC.")
			}
		}
	case "birthdate":
		if date.After(today) {
			return problem("implausible-date", "This date of birth is in the future.")
		}
		if age := validate.Age(date, today); age < 18 || age > 100 {
			return problem("implausible-date", "Check this date of birth: it makes you %d.", age)
		}
	case "past":
		if date.After(today) {
			return problem("in-future", "This date is in the future.")
		}
	case "future":
		if date.Before(today) {
			return problem("expired", "This expired on %s. Renew it, then enter the new expiry date.", date.Format("January 2, 2006"))
		}
	case "rate":
		if n, _ := parseMoney(v); n < 20 || n > 1000 {
			return problem("out-of-range", "Enter a session rate between $20 and $1,000.")
		}
	case "perClaim":
		if n, _ := parseMoney(v); n < MinPerClaim {
			return problem("below-minimum", "The network needs at least $1,000,000 per claim; this policy covers $%s.", thousands(n))
		}
	case "aggregate":
		if n, _ := parseMoney(v); n < MinAggregate {
			return problem("below-minimum", "The network needs at least $3,000,000 aggregate; this policy covers $%s.", thousands(n))
		}
	case "attestName":
		if !validate.SameName(v, ctx.Values["$legalName"]) {
			return problem("name-mismatch", "Type your full legal name exactly as on your account: %s.", ctx.Values["$legalName"])
		}
	case "mustTick":
		if v != "yes" {
			return problem("required", "Tick this box to continue.")
		}
	}
	return nil
}

func hasOption(options []Option, v string) bool {
	for _, o := range options {
		if o.Value == v {
			return true
		}
	}
	return false
}

// parseMoney reads whole dollars, allowing "$" and thousands separators.
func parseMoney(v string) (int, bool) {
	v = strings.NewReplacer("$", "", ",", "", " ", "").Replace(v)
	v = strings.TrimSuffix(v, ".00")
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1_000_000_000 {
		return 0, false
	}
	return n, true
}

// thousands writes 1000000 as 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func calendarDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Holds evaluates a show or require condition against a scope (the form's
// fields, or a repeating item's) and context values such as $licenseType;
// renderers of submitted data use it to leave out fields the form hid.
func Holds(c *Condition, scope, values map[string]string) bool {
	return holds(c, scope, Context{Values: values})
}
