package server

import (
	"context"
	netmail "net/mail"
	"strings"
)

// A provider who moves to a new computer (Reissue) starts its app afresh:
// the new app knows nothing of the versions the old one submitted. The
// network's numbering stays the one truth (the latest version is the
// highest number; reviews, guidance and the 45-day window follow it), so
// the enrollment answer tells the new computer the latest version of each
// form received from any other computer of the provider's, and the app
// numbers its own after it.

// otherVersions is, by form, the latest version of provider's forms
// received from an installation other than installation (a form with none
// is absent). A computer enrolling again after losing its token is not
// told its own versions: it numbered them itself.
func otherVersions(ctx context.Context, tx *dbTx, provider int64, installation string) (map[string]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT form, MAX(version) FROM submissions WHERE provider = ? AND installation != ? GROUP BY form`,
		provider, installation)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out map[string]int
	for rows.Next() {
		var form string
		var v int
		if err := rows.Scan(&form, &v); err != nil {
			return nil, err
		}
		if out == nil {
			out = map[string]int{}
		}
		out[form] = v
	}
	return out, rows.Err()
}

// enrolledEmail is the address an enrollment gave, bare, or "" when it gave
// none that reads as one address.
func enrolledEmail(email string) string {
	a, err := netmail.ParseAddress(strings.TrimSpace(email))
	if err != nil || len(a.Address) > 254 {
		return ""
	}
	return a.Address
}
