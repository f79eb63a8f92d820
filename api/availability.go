package api

import (
	"net/http"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

func (s *server) getAvailability(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	a, err := s.app.Availability.Get(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAvailability(a))
}

func (s *server) putAvailability(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		Timezone            string       `json:"timezone"`
		Weekly              []weeklyJSON `json:"weekly"`
		SessionMinutes      *int         `json:"session_minutes"`
		SlotIntervalMinutes *int         `json:"slot_interval_minutes"`
		MinNoticeMinutes    *int         `json:"min_notice_minutes"`
		HorizonDays         *int         `json:"horizon_days"`
		BufferBeforeMinutes *int         `json:"buffer_before_minutes"`
		BufferAfterMinutes  *int         `json:"buffer_after_minutes"`
		PendingExpiryHours  *int         `json:"pending_expiry_hours"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	weekly := make([]app.WeeklyInput, 0, len(in.Weekly))
	for _, wk := range in.Weekly {
		weekly = append(weekly, app.WeeklyInput{Weekday: wk.Weekday, Start: wk.Start, End: wk.End})
	}
	a, err := s.app.Availability.Put(r.Context(), caller, app.AvailabilityInput{
		Timezone: in.Timezone, Weekly: weekly,
		SessionMinutes: in.SessionMinutes, SlotIntervalMinutes: in.SlotIntervalMinutes,
		MinNoticeMinutes: in.MinNoticeMinutes, HorizonDays: in.HorizonDays,
		BufferBeforeMinutes: in.BufferBeforeMinutes, BufferAfterMinutes: in.BufferAfterMinutes,
		PendingExpiryHours: in.PendingExpiryHours,
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAvailability(a))
}

func (s *server) listOverrides(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	q := r.URL.Query()
	os, err := s.app.Availability.Overrides(r.Context(), caller, q.Get("from"), q.Get("to"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Overrides []overrideJSON `json:"overrides"`
	}{[]overrideJSON{}}
	for _, o := range os {
		out.Overrides = append(out.Overrides, toOverride(o))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) putOverride(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		Intervals []intervalJSON `json:"intervals"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	ivs := make([]app.IntervalInput, 0, len(in.Intervals))
	for _, iv := range in.Intervals {
		ivs = append(ivs, app.IntervalInput{Start: iv.Start, End: iv.End})
	}
	o, err := s.app.Availability.PutOverride(r.Context(), caller, r.PathValue("date"), ivs)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toOverride(o))
}

func (s *server) deleteOverride(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	if err := s.app.Availability.DeleteOverride(r.Context(), caller, r.PathValue("date")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
