// Package npi looks a provider's NPI up in the NPPES NPI Registry (API
// version 2.1) from the Go backend, never from the page, and compares what
// the registry holds with what the provider typed. A lookup never blocks
// the forms: offline, slow (Timeout) or failing, it says in plain words
// that the check could not run. Answers are cached per NPI for a day.
package npi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"onramp/backend/validate"
)

// DefaultURL is the public registry's API address (the setting's default).
const DefaultURL = "https://npiregistry.cms.hhs.gov/api/"

// Timeout bounds one lookup: past it the forms go on without the check.
const Timeout = 2 * time.Second

// CacheFor is how long an answer is kept per NPI.
const CacheFor = 24 * time.Hour

// maxBody bounds what is read of an answer (a record is a few KB).
const maxBody = 1 << 20

// Errors a lookup can end with; each says in plain words why.
var (
	// ErrNotFound: the registry holds no such NPI.
	ErrNotFound = errors.New("the NPI Registry has no record of this NPI")
	// ErrUnavailable: the check could not run (offline, slow, an error
	// or an answer that cannot be read).
	ErrUnavailable = errors.New("the NPI Registry could not be checked just now")
)

// Registry looks NPIs up at URL.
type Registry struct {
	URL     string
	Client  *http.Client
	Timeout time.Duration
	Now     func() time.Time

	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	rec Record
	err error // ErrNotFound is kept; unavailability is not
	at  time.Time
}

// New returns a Registry at url (DefaultURL when empty).
func New(url string) *Registry {
	if url == "" {
		url = DefaultURL
	}
	return &Registry{URL: url, Client: &http.Client{}, Timeout: Timeout, Now: time.Now, cache: map[string]cached{}}
}

// SetURL points the registry at url (DefaultURL when empty): the
// Settings screen's address. Answers cached from another address are
// forgotten.
func (r *Registry) SetURL(url string) {
	if url == "" {
		url = DefaultURL
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.URL != url {
		r.URL = url
		r.cache = map[string]cached{}
	}
}

// Lookup returns the registry's record of number, from the cache when it
// is less than a day old.
func (r *Registry) Lookup(ctx context.Context, number string) (Record, error) {
	number = strings.TrimSpace(number)
	if err := validate.NPI(number); err != nil {
		return Record{}, err
	}
	r.mu.Lock()
	c, ok := r.cache[number]
	r.mu.Unlock()
	if ok && r.Now().Sub(c.at) < CacheFor {
		return c.rec, c.err
	}
	rec, err := r.fetch(ctx, number)
	if err == nil || errors.Is(err, ErrNotFound) {
		r.mu.Lock()
		r.cache[number] = cached{rec, err, r.Now()}
		r.mu.Unlock()
	}
	return rec, err
}

func (r *Registry) fetch(ctx context.Context, number string) (Record, error) {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	r.mu.Lock()
	address := r.URL
	r.mu.Unlock()
	u, err := url.Parse(address)
	if err != nil {
		return Record{}, fmt.Errorf("%w: the registry address %q is not a URL", ErrUnavailable, address)
	}
	q := u.Query()
	q.Set("version", "2.1")
	q.Set("number", number)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Record{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := r.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Record{}, fmt.Errorf("%w: it did not answer within %s", ErrUnavailable, r.Timeout)
		}
		return Record{}, fmt.Errorf("%w: it could not be reached", ErrUnavailable)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	switch {
	case err != nil:
		return Record{}, fmt.Errorf("%w: its answer was cut off", ErrUnavailable)
	case len(body) > maxBody:
		return Record{}, fmt.Errorf("%w: its answer was too large", ErrUnavailable)
	case resp.StatusCode != http.StatusOK:
		return Record{}, fmt.Errorf("%w: it answered %s", ErrUnavailable, resp.Status)
	}
	return parse(body, number)
}

// answer is the registry's JSON, as far as Onramp reads it.
type answer struct {
	ResultCount int             `json:"result_count"`
	Results     []result        `json:"results"`
	Errors      []answerProblem `json:"Errors"`
}

type answerProblem struct {
	Description string `json:"description"`
	Field       string `json:"field"`
}

type result struct {
	Number          flexString `json:"number"`
	EnumerationType string     `json:"enumeration_type"`
	Basic           struct {
		FirstName        string `json:"first_name"`
		MiddleName       string `json:"middle_name"`
		LastName         string `json:"last_name"`
		Credential       string `json:"credential"`
		OrganizationName string `json:"organization_name"`
		Status           string `json:"status"`
		DeactivationDate string `json:"deactivation_date"`
		ReactivationDate string `json:"reactivation_date"`
	} `json:"basic"`
	Addresses []struct {
		Purpose    string `json:"address_purpose"`
		Address1   string `json:"address_1"`
		Address2   string `json:"address_2"`
		City       string `json:"city"`
		State      string `json:"state"`
		PostalCode string `json:"postal_code"`
		Phone      string `json:"telephone_number"`
	} `json:"addresses"`
	Taxonomies []struct {
		Code    string `json:"code"`
		Desc    string `json:"desc"`
		State   string `json:"state"`
		License string `json:"license"`
		Primary bool   `json:"primary"`
	} `json:"taxonomies"`
}

// flexString reads a JSON string or number (the registry has sent the NPI
// both ways).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

func parse(body []byte, number string) (Record, error) {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return Record{}, fmt.Errorf("%w: its answer could not be read", ErrUnavailable)
	}
	if len(a.Errors) > 0 {
		// The registry reports refused queries with status 200.
		return Record{}, fmt.Errorf("%w: it said %q", ErrUnavailable, strings.TrimSpace(a.Errors[0].Description))
	}
	for _, res := range a.Results {
		if string(res.Number) == number {
			return res.record(), nil
		}
	}
	return Record{}, ErrNotFound
}
