// Package webinar decides what of the training video was really watched and
// grades the quiz. It is pure: the app's service stores what it computes.
package webinar

import (
	"math"
	"slices"
)

// WatchedPercent is how much of the video, in percent, must have been
// played for the webinar to count as watched; WatchedThreshold is the same
// as a share.
const (
	WatchedPercent   = 90
	WatchedThreshold = WatchedPercent / 100.0
)

// MaxRate is the fastest playback that counts as watching.
const MaxRate = 2.0

// Interval is a stretch of the video, in seconds.
type Interval struct{ Start, End float64 }

// Coverage is the fraction of [0, duration] covered by the union of the
// played intervals, clamped to [0, 1]. Intervals may overlap, be unsorted,
// reach past either end or be reversed (End < Start: ignored).
func Coverage(played []Interval, duration float64) float64 {
	if !(duration > 0) || math.IsInf(duration, 0) {
		return 0
	}
	var total float64
	for _, iv := range Merge(played, duration) {
		total += iv.End - iv.Start
	}
	return math.Min(1, math.Max(0, total/duration))
}

// Merge clips the intervals to [0, duration], drops empty, reversed and
// non-finite ones, and returns their union as sorted, disjoint intervals.
func Merge(played []Interval, duration float64) []Interval {
	clipped := make([]Interval, 0, len(played))
	for _, iv := range played {
		if !finite(iv.Start) || !finite(iv.End) || iv.End < iv.Start {
			continue
		}
		iv.Start = math.Max(iv.Start, 0)
		iv.End = math.Min(iv.End, duration)
		if iv.End > iv.Start {
			clipped = append(clipped, iv)
		}
	}
	// No NaN is left, so a plain comparison orders them (cmp.Compare's NaN
	// handling costs a third of the time on 100,000 intervals).
	slices.SortFunc(clipped, func(a, b Interval) int {
		switch {
		case a.Start < b.Start:
			return -1
		case a.Start > b.Start:
			return 1
		}
		return 0
	})
	merged := clipped[:0]
	for _, iv := range clipped {
		if n := len(merged); n > 0 && iv.Start <= merged[n-1].End {
			merged[n-1].End = math.Max(merged[n-1].End, iv.End)
			continue
		}
		merged = append(merged, iv)
	}
	return merged
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Segment is one stretch the player reports: the media interval and the
// wall-clock seconds it took to play.
type Segment struct {
	Start       float64 `json:"start"`
	End         float64 `json:"end"`
	WallSeconds float64 `json:"wallSeconds"`
}

// rateSlack absorbs the player's time-update granularity (about 0.25 s) and
// clock jitter, so a normal 2× segment is never refused.
const rateSlack = 1.5

// Credit keeps the segments that could really have been played: media time
// no faster than MaxRate of the wall-clock time (a jump made by seeking is
// not playing), and returns them as intervals.
func Credit(segments []Segment) []Interval {
	out := make([]Interval, 0, len(segments))
	for _, s := range segments {
		if !finite(s.Start) || !finite(s.End) || !finite(s.WallSeconds) || s.End <= s.Start || s.WallSeconds < 0 {
			continue
		}
		if s.End-s.Start > s.WallSeconds*MaxRate+rateSlack {
			continue
		}
		out = append(out, Interval{Start: s.Start, End: s.End})
	}
	return out
}
