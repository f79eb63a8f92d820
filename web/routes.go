package web

import "net/http"

// routes lists every page of the site; static files are served in New.
func (s *server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.home)

	mux.HandleFunc("GET /signup", s.signupForm)
	mux.HandleFunc("POST /signup", s.signup)
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("GET /password-reset", s.resetForm)
	mux.HandleFunc("POST /password-reset", s.requestReset)
	mux.HandleFunc("GET /password-reset/confirm", s.newPasswordForm)
	mux.HandleFunc("POST /password-reset/confirm", s.confirmReset)

	mux.HandleFunc("GET /mentors", s.mentorList)
	mux.HandleFunc("GET /mentors/{id}", s.mentorPage)
	mux.HandleFunc("POST /mentors/{id}/request", s.private(s.requestSlot))

	mux.HandleFunc("GET /me/account", s.private(s.accountPage))
	mux.HandleFunc("POST /me/account", s.private(s.saveAccount))
	mux.HandleFunc("POST /me/email", s.private(s.changeEmail))
	mux.HandleFunc("POST /me/password", s.private(s.changePassword))
	mux.HandleFunc("POST /me/delete", s.private(s.deleteAccount))
	mux.HandleFunc("GET /me/profile", s.private(s.profileForm))
	mux.HandleFunc("POST /me/profile", s.private(s.saveProfile))
	mux.HandleFunc("GET /me/availability", s.private(s.availabilityForm))
	mux.HandleFunc("POST /me/availability", s.private(s.saveAvailability))
	mux.HandleFunc("GET /me/overrides", s.private(s.overridesPage))
	mux.HandleFunc("POST /me/overrides", s.private(s.saveOverride))
	mux.HandleFunc("POST /me/overrides/{date}/delete", s.private(s.deleteOverride))

	mux.HandleFunc("GET /me/services", s.private(s.servicesPage))
	mux.HandleFunc("POST /me/services", s.private(s.saveService))
	mux.HandleFunc("POST /me/services/{id}", s.private(s.saveService))
	mux.HandleFunc("POST /me/services/{id}/archive", s.private(s.archiveService))

	mux.HandleFunc("POST /services/{id}/request", s.private(s.requestService))
	mux.HandleFunc("GET /mentorships", s.private(s.mentorshipsPage))
	mux.HandleFunc("GET /mentorships/{id}", s.private(s.mentorshipPage))
	mux.HandleFunc("POST /mentorships/{id}/{action}", s.private(s.actOnMentorship))
	mux.HandleFunc("POST /mentorships/{id}/tasks", s.private(s.addTask))
	mux.HandleFunc("POST /mentorships/{id}/tasks/{task_id}", s.private(s.changeTask))
	mux.HandleFunc("POST /mentorships/{id}/notes", s.private(s.addNote))
	mux.HandleFunc("POST /mentorships/{id}/time", s.private(s.logTime))
	mux.HandleFunc("POST /reviews", s.private(s.createReview))
	mux.HandleFunc("POST /reviews/{id}/reply", s.private(s.replyToReview))
	mux.HandleFunc("GET /dashboard", s.private(s.dashboardPage))
	mux.HandleFunc("POST /dashboard/availability", s.private(s.switchAvailability))

	mux.HandleFunc("GET /bookings", s.private(s.bookingsPage))
	mux.HandleFunc("POST /bookings/{id}/accept", s.private(s.acceptBooking))
	mux.HandleFunc("POST /bookings/{id}/decline", s.private(s.declineBooking))
	mux.HandleFunc("POST /bookings/{id}/cancel", s.private(s.cancelBooking))
	mux.HandleFunc("GET /bookings/{id}/calendar.ics", s.private(s.bookingCalendar))
	mux.HandleFunc("POST /bookings/{id}/reschedule", s.private(s.rescheduleBooking))
	mux.HandleFunc("POST /bookings/{id}/location", s.private(s.setBookingLocation))
	mux.HandleFunc("POST /bookings/{id}/attendance", s.private(s.reportAttendance))
	mux.HandleFunc("POST /me/calendar-feed", s.private(s.regenerateFeed))
	// A personal calendar feed: no sign-in, the token is the authority.
	mux.HandleFunc("GET /calendar/{file}", s.calendarFeed)

	mux.HandleFunc("GET /notifications", s.private(s.notificationsPage))
	mux.HandleFunc("POST /notifications/read", s.private(s.markRead))
	mux.HandleFunc("GET /me/notifications", s.private(s.notificationSettings))
	mux.HandleFunc("POST /me/notifications", s.private(s.saveNotificationSettings))
	mux.HandleFunc("GET /messages", s.private(s.messagesPage))
	mux.HandleFunc("POST /messages", s.private(s.openConversation))
	mux.HandleFunc("GET /messages/{id}", s.private(s.conversationPage))
	mux.HandleFunc("POST /messages/{id}", s.private(s.sendMessage))
	mux.HandleFunc("POST /messages/{id}/seen", s.private(s.seen))
	mux.HandleFunc("POST /messages/{id}/block", s.private(s.blockFromConversation(true)))
	mux.HandleFunc("POST /messages/{id}/unblock", s.private(s.blockFromConversation(false)))
	mux.HandleFunc("POST /messages/{id}/report/{msg}", s.private(s.reportMessage))
	mux.HandleFunc("GET /nav/unread", s.private(s.navUnread))

	// An email's turn-off link: no sign-in, the token is the authority.
	mux.HandleFunc("GET /email-off/{token}", s.emailOffPage)
	mux.HandleFunc("POST /email-off/{token}", s.emailOff)
	mux.HandleFunc("GET /broadcasts", s.broadcastBoard)
	mux.HandleFunc("GET /broadcasts/new", s.private(s.newBroadcastForm))
	mux.HandleFunc("POST /broadcasts", s.private(s.postBroadcast))
	mux.HandleFunc("GET /broadcasts/{id}", s.broadcastPage)
	mux.HandleFunc("POST /broadcasts/{id}/responses", s.private(s.respondToBroadcast))
	mux.HandleFunc("POST /broadcasts/{id}/close", s.private(s.closeBroadcast))
	mux.HandleFunc("POST /broadcasts/{id}/delete", s.private(s.deleteBroadcast))

	s.moneyRoutes(mux)

	// Everything else, including a known path with another method.
	mux.HandleFunc("/", s.notFound)
}
