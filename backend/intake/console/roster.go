package console

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"onramp/backend/intake/server"
)

// roster exports the roster for payers as CSV: one row per state license
// (a provider without one gets a row of their own), the providers with an
// effective date, or everyone with ?all=1. Audited.
func (c *Console) roster(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	all := r.URL.Query().Get("all") == "1"
	rows, err := c.db.Roster(r.Context(), all)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"Name", "NPI", "License state", "License type", "License number", "License expires", "Effective date", "Onramp provider"})
	for _, p := range rows {
		licenses := p.Licenses
		if len(licenses) == 0 {
			licenses = []server.RosterLicense{{}}
		}
		for _, l := range licenses {
			cw.Write(cells(p.Name, p.NPI, l.State, l.Type, l.Number, l.Expires, p.EffectiveDate, strconv.FormatInt(p.ID, 10)))
		}
	}
	cw.Flush()
	detail := fmt.Sprintf("%d providers with an effective date", len(rows))
	if all {
		detail = fmt.Sprintf("all %d providers", len(rows))
	}
	if err := c.db.RecordAs(r.Context(), s.Staff, clientHost(r), server.AuditRoster, 0, detail); err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="onramp-roster.csv"`)
	w.Write(buf.Bytes())
}

// cells makes text a spreadsheet shows as text: a cell that starts like a
// formula (=, +, -, @, a tab or a return) gets a leading apostrophe, so a
// provider's "=HYPERLINK(…)" never runs on a payer's computer.
func cells(values ...string) []string {
	for i, v := range values {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			values[i] = "'" + v
		}
	}
	return values
}
