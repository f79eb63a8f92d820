// Package hoursjson is the stored JSON form of availability hours, shared
// by the SQLite and PostgreSQL stores. The shapes belong to storage, so a
// change to the schedule types cannot silently change stored data.
package hoursjson

import (
	"encoding/json"
	"time"

	"github.com/mentorbook/mentorbook/schedule"
)

type weeklyJSON struct {
	Weekday time.Weekday `json:"weekday"`
	Start   int          `json:"start"`
	End     int          `json:"end"`
}

type localJSON struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// EncodeWeekly returns weekly hours as JSON text.
func EncodeWeekly(ivs []schedule.WeeklyInterval) (string, error) {
	out := make([]weeklyJSON, len(ivs))
	for i, iv := range ivs {
		out[i] = weeklyJSON{Weekday: iv.Weekday, Start: iv.Start, End: iv.End}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// DecodeWeekly parses EncodeWeekly's output.
func DecodeWeekly(s string) ([]schedule.WeeklyInterval, error) {
	var in []weeklyJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]schedule.WeeklyInterval, len(in))
	for i, iv := range in {
		out[i] = schedule.WeeklyInterval{Weekday: iv.Weekday, Start: iv.Start, End: iv.End}
	}
	return out, nil
}

// EncodeLocal returns a date's intervals as JSON text.
func EncodeLocal(ivs []schedule.LocalInterval) (string, error) {
	out := make([]localJSON, len(ivs))
	for i, iv := range ivs {
		out[i] = localJSON{Start: iv.Start, End: iv.End}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// DecodeLocal parses EncodeLocal's output.
func DecodeLocal(s string) ([]schedule.LocalInterval, error) {
	var in []localJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]schedule.LocalInterval, len(in))
	for i, iv := range in {
		out[i] = schedule.LocalInterval{Start: iv.Start, End: iv.End}
	}
	return out, nil
}
