package server

import (
	"context"
	"strings"

	"onramp/backend/forms"
)

// The roster payers ask for: each provider in the network with their
// NPI, licenses and effective date, from the latest Insurance form.

// RosterRow is one provider on the roster.
type RosterRow struct {
	ID            int64
	Name          string
	NPI           string
	Licenses      []RosterLicense
	EffectiveDate string
}

// RosterLicense is one state license.
type RosterLicense struct{ State, Type, Number, Expires string }

// Roster lists the providers with an effective date (every provider when
// all), by name, each from their latest Insurance form version.
func (d *DB) Roster(ctx context.Context, all bool) ([]RosterRow, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT p.id, p.name, COALESCE(e.date, ''), COALESCE(s.data, '')
		FROM providers p
		LEFT JOIN effective_dates e ON e.provider = p.id
		LEFT JOIN submissions s ON s.provider = p.id AND s.form = ? AND s.latest = 1
		WHERE ? OR e.date IS NOT NULL
		ORDER BY lower(p.name), p.id`, forms.FormCredentialing, all)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RosterRow
	for rows.Next() {
		var r RosterRow
		var data string
		if err := rows.Scan(&r.ID, &r.Name, &r.EffectiveDate, &data); err != nil {
			return nil, err
		}
		if data != "" {
			d, err := forms.DecodeData([]byte(data))
			if err != nil {
				return nil, err
			}
			r.NPI = strings.TrimSpace(d.Fields["npi"])
			for _, l := range d.Groups["licenses"] {
				r.Licenses = append(r.Licenses, RosterLicense{State: l["state"], Type: l["type"], Number: l["number"], Expires: l["expires"]})
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
