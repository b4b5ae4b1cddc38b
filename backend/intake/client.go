package intake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"onramp/backend/packet"
	"onramp/backend/version"
)

// Client talks to an intake server for one provider.
type Client struct {
	base  *url.URL
	token string
	http  *http.Client
}

// ClientError is an answer that was not a success. Temporary errors (the
// network, timeouts, 5xx, 429) are worth retrying; others are not.
type ClientError struct {
	Status   int // 0 when no answer came
	Code     string
	Message  string
	Problems []packet.Problem // why the server refused a packet (bad-packet)
	Temp     bool
}

func (e *ClientError) Error() string {
	if e.Status == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s (%d %s)", e.Message, e.Status, e.Code)
}

// Temporary reports whether a retry may succeed.
func (e *ClientError) Temporary() bool { return e.Temp }

// ErrInsecureURL means a non-loopback intake URL that is not HTTPS.
var ErrInsecureURL = errors.New("the intake server must be reached over HTTPS (plain HTTP is allowed on this computer only)")

// NewClient checks the URL (HTTPS, or HTTP to loopback only) and builds a
// client; token may be empty before enrollment.
func NewClient(baseURL, token string, timeout time.Duration) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("not an intake server address: %q", baseURL)
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return nil, ErrInsecureURL
	}
	return &Client{base: u, token: token, http: &http.Client{Timeout: timeout}}, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WithToken returns a client that authenticates with token.
func (c *Client) WithToken(token string) *Client {
	cp := *c
	cp.token = token
	return &cp
}

// WithTimeout returns a client whose requests may take up to d (a packet
// upload is far bigger than the other requests).
func (c *Client) WithTimeout(d time.Duration) *Client {
	cp := *c
	cp.http = &http.Client{Timeout: d, Transport: c.http.Transport}
	return &cp
}

func (c *Client) do(ctx context.Context, method, path, key string, in, out any) error {
	var body []byte
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = raw
	}
	return c.send(ctx, method, path, key, "application/json", body, out)
}

// send makes one request with body as it is and reads the JSON answer into
// out.
func (c *Client) send(ctx context.Context, method, path, key, contentType string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	// Which app versions are in use, for the network's logs.
	req.Header.Set("User-Agent", version.UserAgent(runtime.GOOS))
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &ClientError{Message: "The intake server can't be reached: " + err.Error(), Temp: true}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return &ClientError{Status: resp.StatusCode, Message: "The answer was cut off.", Temp: true}
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct {
				Code, Message string
				Problems      []packet.Problem
			} `json:"error"`
		}
		json.Unmarshal(raw, &e)
		if e.Error.Message == "" {
			e.Error.Message = "The intake server answered " + resp.Status + "."
		}
		return &ClientError{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message, Problems: e.Error.Problems,
			// 401: the token was replaced or lost; the app enrolls again and
			// the item goes out then.
			Temp: resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests ||
				resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusUnauthorized}
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return &ClientError{Status: resp.StatusCode, Message: "The intake server's answer could not be read.", Temp: true}
		}
	}
	return nil
}

// Healthy reports whether the server answers.
func (c *Client) Healthy(ctx context.Context) bool {
	return c.do(ctx, http.MethodGet, "/healthz", "", nil, nil) == nil
}

// Enroll trades the invitation code for a token.
func (c *Client) Enroll(ctx context.Context, code, installation, name, email string) (token string, err error) {
	resp, err := c.EnrollRequest(ctx, EnrollRequest{InvitationCode: code, Installation: installation, Name: name, Email: email})
	return resp.Token, err
}

// EnrollRequest enrolls with every detail of req (the app also sends its
// packet signing key) and returns the whole answer: the token, the
// network's key and its mail route.
func (c *Client) EnrollRequest(ctx context.Context, req EnrollRequest) (EnrollResponse, error) {
	var out EnrollResponse
	err := c.do(ctx, http.MethodPost, "/v1/enroll", "", req, &out)
	return out, err
}

// Submit uploads a form version; key makes retries harmless.
func (c *Client) Submit(ctx context.Context, key string, up json.RawMessage) error {
	return c.do(ctx, http.MethodPost, "/v1/submissions", key, up, nil)
}

// UploadPacket uploads a support packet archive (the .onramp file's bytes);
// key makes retries harmless. The server verifies the packet: a refused one
// is a permanent ClientError with the reader's Problems.
func (c *Client) UploadPacket(ctx context.Context, key string, archive []byte) (PacketReceipt, error) {
	var out PacketReceipt
	err := c.send(ctx, http.MethodPost, "/v1/packets", key, PacketContentType, archive, &out)
	return out, err
}

// Help sends a help request.
func (c *Client) Help(ctx context.Context, key, subject, message string) error {
	return c.do(ctx, http.MethodPost, "/v1/help", key, HelpRequest{Subject: subject, Message: message}, nil)
}

// Status pulls the status feed.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var st Status
	err := c.do(ctx, http.MethodGet, "/v1/status", "", nil, &st)
	return st, err
}

// PortalPassword creates the portal password.
func (c *Client) PortalPassword(ctx context.Context, key, password string) error {
	return c.do(ctx, http.MethodPost, "/v1/portal-password", key, PasswordRequest{Password: password}, nil)
}

// Training reports the training as the app knows it; key makes retries
// harmless.
func (c *Client) Training(ctx context.Context, key string, r TrainingReport) error {
	return c.do(ctx, http.MethodPost, "/v1/training", key, r, nil)
}

// StartDate reports the contracted start date.
func (c *Client) StartDate(ctx context.Context, key string, r StartDateReport) error {
	return c.do(ctx, http.MethodPost, "/v1/start-date", key, r, nil)
}

// Checklist reports the checklist's items.
func (c *Client) Checklist(ctx context.Context, key string, r ChecklistReport) error {
	return c.do(ctx, http.MethodPost, "/v1/checklist", key, r, nil)
}

// AppVersion reports the app's version.
func (c *Client) AppVersion(ctx context.Context, key string, r AppVersionReport) error {
	return c.do(ctx, http.MethodPost, "/v1/app-version", key, r, nil)
}
