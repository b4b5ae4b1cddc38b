package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// What operations staff see of a running server: JSON log lines (log/slog)
// that carry the request's ID, and Prometheus metrics at /metrics.

type ctxKey int

const requestIDKey ctxKey = iota

// RequestID is the ID of the request ctx belongs to ("" outside one).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// NewLogHandler writes JSON log lines to w, each with the request_id of
// the request it was logged in.
func NewLogHandler(w io.Writer) slog.Handler {
	return requestIDHandler{slog.NewJSONHandler(w, nil)}
}

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// A load balancer's or proxy's request ID is kept when it is plain.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func newRequestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-ID"); requestIDPattern.MatchString(id) {
		return id
	}
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Metrics are one server's Prometheus metrics, on a registry of its own
// (the API's requests, the writes accepted, the mail sent and failed, the
// mail queue's depth, and the Go runtime's and the process's).
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	accepted *prometheus.CounterVec
	mailSent prometheus.Counter
	mailFail prometheus.Counter
	retried  prometheus.Counter
}

// NewMetrics makes the metrics of a server over db.
func NewMetrics(db *DB) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "onramp_intake_requests_total", Help: "HTTP requests answered, by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "onramp_intake_request_duration_seconds", Help: "Time to answer an HTTP request, by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route"}),
		accepted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "onramp_intake_sync_items_accepted_total", Help: "Writes from the apps stored (first arrival of an Idempotency-Key), by route.",
		}, []string{"route"}),
		mailSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "onramp_intake_mail_sent_total", Help: "Emails this instance handed to the relay.",
		}),
		mailFail: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "onramp_intake_mail_failed_total", Help: "Emails this instance gave up on (refused by the relay, or too many tries).",
		}),
		retried: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "onramp_intake_conflicts_retried_total", Help: "Requests run again after their transaction lost a conflict with another's (PostgreSQL).",
		}),
	}
	depth := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "onramp_intake_mail_queue_depth", Help: "Emails waiting to be sent (queued or being sent), on every instance together.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := db.mailQueueDepth(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	m.registry.MustRegister(m.requests, m.latency, m.accepted, m.mailSent, m.mailFail, m.retried, depth,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

func (d *DB) mailQueueDepth(ctx context.Context) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_queue WHERE state IN ('queued', 'sending')`).Scan(&n)
	return n, err
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (upload
// deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request its ID (answered in X-Request-ID, logged on
// every line of the request), counts and times it by route, and logs it.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID(r)
		w.Header().Set("X-Request-ID", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		// The mux's pattern names the route, so that /v1/releases/7/file
		// and /v1/releases/8/file count together; nothing matched is "other".
		route := r.Pattern
		if route == "" || route == "/" {
			route = "other"
		}
		took := time.Since(start)
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		s.metrics.latency.WithLabelValues(route).Observe(took.Seconds())
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		if !s.requestLog && level < slog.LevelError {
			return
		}
		s.log.LogAttrs(r.Context(), level, "request", slog.String("method", r.Method), slog.String("route", route),
			slog.Int("status", sw.status), slog.Float64("ms", float64(took.Microseconds())/1000))
	})
}
