package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// notificationItem is one notification as the page shows it.
type notificationItem struct {
	ID                int64
	Title, Body, Link string
	At                time.Time // in the viewer's zone
	Unread            bool
}

type notificationsData struct {
	Items      []notificationItem
	Zone       string
	UnreadOnly bool
	Next       string // the next page's address, "" on the last
	AnyUnread  bool
}

func (s *server) notificationsPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	q := r.URL.Query()
	unread := ""
	if q.Get("unread") == "true" {
		unread = "true"
	}
	ns, next, err := s.app.Notifications.List(r.Context(), me, app.NotificationQuery{Unread: unread, Cursor: q.Get("cursor")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	loc, err := schedule.LoadZone(me.Timezone)
	if err != nil {
		loc = time.UTC
	}
	d := notificationsData{Zone: loc.String(), UnreadOnly: unread == "true"}
	for _, n := range ns {
		d.Items = append(d.Items, notificationItem{ID: n.ID, Title: n.Title, Body: n.Body, Link: n.Link,
			At: n.CreatedAt.In(loc), Unread: n.ReadAt == nil})
		d.AnyUnread = d.AnyUnread || n.ReadAt == nil
	}
	if next != "" {
		d.Next = "/notifications" + string(query("unread", unread, "cursor", next))
	}
	s.render(w, r, http.StatusOK, "notifications", view{Title: "Notifications", Flash: flashOf(r), Data: d})
}

// markRead marks one notification (id) or all of them (all) read and
// comes back to the list.
func (s *server) markRead(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	all := r.PostFormValue("all") == "true"
	var ids []int64
	if !all {
		id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		if err != nil || id <= 0 {
			s.notFound(w, r)
			return
		}
		ids = []int64{id}
	}
	if _, err := s.app.Notifications.MarkRead(r.Context(), me, ids, all); err != nil {
		s.fail(w, r, err)
		return
	}
	done := "read"
	if all {
		done = "allread"
	}
	http.Redirect(w, r, "/notifications?done="+done, http.StatusSeeOther)
}

// settingRow is one kind on the settings page.
type settingRow struct {
	Kind, Label string
	On          bool
}

func (s *server) notificationSettings(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	m, err := s.app.Notifications.EmailSettings(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var rows []settingRow
	for _, k := range mentorbook.NotificationKinds {
		rows = append(rows, settingRow{Kind: string(k), Label: k.Label(), On: m[k]})
	}
	s.render(w, r, http.StatusOK, "notification_settings", view{Title: "Notification settings", Flash: flashOf(r), Data: rows})
}

// saveNotificationSettings sets every kind: a checked box is on.
func (s *server) saveNotificationSettings(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	email := map[string]bool{}
	for _, k := range mentorbook.NotificationKinds {
		email[string(k)] = r.PostFormValue(string(k)) == "on"
	}
	if _, err := s.app.Notifications.SetEmailSettings(r.Context(), me, email); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, app.NotificationSettingsPath+"?done=settings", http.StatusSeeOther)
}

type emailOffData struct {
	Label  string
	On     bool
	Action string
}

// emailOffPage shows what an email's turn-off link does, with a button
// that does it: opening the link (a mail scanner may) changes nothing.
func (s *server) emailOffPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	st, err := s.app.Notifications.EmailOffState(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "email_off", view{Title: "Email settings",
		Data: emailOffData{Label: st.Kind.Label(), On: st.On, Action: app.EmailOffPath(token)}})
}

// emailOff turns the kind off: the page's button, or a mail client's
// one-click POST (RFC 8058), which carries no cookie and no origin.
func (s *server) emailOff(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if _, err := s.app.Notifications.TurnEmailOff(r.Context(), token); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, app.EmailOffPath(token), http.StatusSeeOther)
}
