package api

import (
	"net/http"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type notificationJSON struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

func (s *server) listNotifications(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	q := r.URL.Query()
	ns, next, err := s.app.Notifications.List(r.Context(), caller, app.NotificationQuery{
		Unread: q.Get("unread"), Limit: q.Get("limit"), Cursor: q.Get("cursor"),
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Notifications []notificationJSON `json:"notifications"`
		NextCursor    string             `json:"next_cursor"`
	}{Notifications: []notificationJSON{}, NextCursor: next}
	for _, n := range ns {
		out.Notifications = append(out.Notifications, toNotification(n))
	}
	writeJSON(w, http.StatusOK, out)
}

func toNotification(n mentorbook.Notification) notificationJSON {
	return notificationJSON{ID: n.ID, Kind: string(n.Kind), Title: n.Title,
		Body: n.Body, Link: n.Link, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

func (s *server) unreadCount(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	n, err := s.app.Notifications.UnreadCount(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"count": n})
}

func (s *server) markNotificationsRead(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		IDs []int64 `json:"ids"`
		All bool    `json:"all"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	n, err := s.app.Notifications.MarkRead(r.Context(), caller, in.IDs, in.All)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"marked": n})
}

type notificationSettingsJSON struct {
	Email map[string]bool `json:"email"`
}

func toSettings(m map[mentorbook.NotificationKind]bool) notificationSettingsJSON {
	out := notificationSettingsJSON{Email: map[string]bool{}}
	for k, on := range m {
		out.Email[string(k)] = on
	}
	return out
}

func (s *server) getNotificationSettings(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	m, err := s.app.Notifications.EmailSettings(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toSettings(m))
}

func (s *server) putNotificationSettings(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in notificationSettingsJSON
	if !decode(w, r, &in, false) {
		return
	}
	m, err := s.app.Notifications.SetEmailSettings(r.Context(), caller, in.Email)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toSettings(m))
}
