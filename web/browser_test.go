package web_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/storetest"
	"github.com/mentorbook/mentorbook/web"
)

// chromiumPath is Debian's Chromium; .ci/run installs it.
const chromiumPath = "/usr/bin/chromium"

var saveScreenshots = flag.Bool("screenshots", false,
	"browser tests write their screenshots to docs/screenshots (otherwise to a temporary directory)")

// site is the real handler, composed as cmd/mentorbook composes it, on an
// ephemeral port with its own SQLite database and the real clock.
type site struct {
	url string
	svc *app.App
}

func startSite(t *testing.T) site {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(storetest.OpenSQLite(t), app.Options{CheapPasswords: true, Logger: log})
	apiHandler := api.New(svc, log)
	mux := http.NewServeMux()
	mux.Handle("/api/", apiHandler)
	mux.Handle("/healthz", apiHandler)
	mux.Handle("/", web.New(svc, log, web.Options{}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return site{url: srv.URL, svc: svc}
}

// startBrowser starts headless Chromium with a fresh profile, or skips the
// test when there is none on this machine.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	// CI sets MENTORBOOK_REQUIRE_BROWSER=1: there a missing browser fails.
	required := os.Getenv("MENTORBOOK_REQUIRE_BROWSER") != ""
	if _, err := os.Stat(chromiumPath); err != nil {
		if required {
			t.Fatalf("MENTORBOOK_REQUIRE_BROWSER is set but there is no Chromium at %s: %v", chromiumPath, err)
		}
		t.Skipf("skipping browser test: no Chromium at %s (apt-get install chromium): %v", chromiumPath, err)
	}
	if testing.Short() && !required {
		t.Skip("skipping browser test in -short mode")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return browserCtx
}

// tab is one person's browser window: its own cookies (a separate browser
// context) and its own emulated timezone.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newTab(t *testing.T, browser context.Context, base, zone string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone}); err != nil {
		t.Fatalf("emulate timezone %s: %v", zone, err)
	}
	tb := &tab{t: t, ctx: ctx, base: base}
	tb.do(chromedp.EmulateViewport(1280, 900))
	return tb
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// open loads a page of the site and returns its HTTP status.
func (b *tab) open(path string) int64 {
	b.t.Helper()
	return b.load(chromedp.Navigate(b.base + path))
}

// load runs actions that navigate (a link, a submit) and waits for the page.
func (b *tab) load(actions ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, actions...)
	if err != nil {
		b.t.Fatalf("browser: %v", err)
	}
	if res == nil {
		return 0
	}
	return res.Status
}

// submit clicks a submit button and waits for the next page.
func (b *tab) submit(sel string) int64 {
	b.t.Helper()
	return b.load(chromedp.Click(chromedp.CSS(sel)))
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

func (b *tab) value(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("value of %s: %v", sel, err)
	}
	return s
}

func (b *tab) location() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return strings.TrimPrefix(s, b.base)
}

// waitFor polls a JavaScript predicate, for changes htmx makes in place.
func (b *tab) waitFor(what, predicate string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.t.Fatalf("waiting for %s: %v", what, err)
	}
}

func (b *tab) eval(js string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

func (b *tab) wantText(sel string, subs ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, s := range subs {
		if !strings.Contains(got, s) {
			b.t.Errorf("%s on %s: text %q lacks %q", sel, b.location(), got, s)
		}
	}
}

// screenshot saves the whole page as NAME-desktop.png (1280 wide) and
// NAME-mobile.png (375 wide).
func (b *tab) screenshot(name string) {
	b.t.Helper()
	dir := filepath.Join("..", "docs", "screenshots")
	if !*saveScreenshots {
		dir = filepath.Join(os.TempDir(), "mentorbook-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	for _, v := range []struct {
		suffix        string
		width, height int64
		opts          []chromedp.EmulateViewportOption
	}{
		{"desktop", 1280, 900, nil},
		{"mobile", 375, 812, []chromedp.EmulateViewportOption{chromedp.EmulateScale(2), chromedp.EmulateMobile}},
	} {
		b.do(chromedp.EmulateViewport(v.width, v.height, v.opts...))
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			b.t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-"+v.suffix+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	b.do(chromedp.EmulateViewport(1280, 900))
}

// TestBrowserBookingFlow drives the whole flow in Chromium: a mentor in New
// York sets up, a mentee in Kolkata books, the mentor accepts.
func TestBrowserBookingFlow(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	ny, _ := time.LoadLocation("America/New_York")
	kolkata, _ := time.LoadLocation("Asia/Kolkata")

	// The mentor's Monday at least three days ahead, 09:00 and 10:00 New
	// York time, and the same instants in Kolkata (computed with time.Date,
	// not with the code under test).
	day := time.Now().In(ny).AddDate(0, 0, 3)
	for day.Weekday() != time.Monday {
		day = day.AddDate(0, 0, 1)
	}
	nine := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, ny)
	ten := nine.Add(time.Hour)
	nineIN, tenIN := nine.In(kolkata), ten.In(kolkata)
	span := func(a time.Time) string { return a.Format("15:04") + "–" + a.Add(time.Hour).Format("15:04") }

	// --- The mentor signs up in New York and sets availability. ---
	mentor := newTab(t, browser, s.url, "America/New_York")
	mentor.open("/")
	mentor.screenshot("home")
	mentor.open("/signup")
	if got := mentor.value("#timezone"); got != "America/New_York" {
		t.Fatalf("signup timezone picker = %q, want the browser's zone America/New_York", got)
	}
	mentor.do(
		chromedp.SendKeys(chromedp.ID("name"), "Maria Mentor"),
		chromedp.SendKeys(chromedp.ID("email"), "maria@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
	)
	mentor.submit(`form[action="/signup"] button[type=submit]`)
	mentor.wantText(".flash", "Welcome to Mentorbook")

	mentor.load(chromedp.Click(chromedp.CSS(`nav a[href="/me/profile"]`)))
	mentor.do(
		chromedp.SendKeys(chromedp.ID("headline"), "Staff engineer: Go, databases, careers"),
		chromedp.SendKeys(chromedp.ID("bio"), "Twenty years of building and running services. Happy to review code or talk about growing as an engineer."),
		chromedp.SendKeys(chromedp.ID("skills"), "Go, PostgreSQL, Careers"),
	)
	mentor.submit(`form[action="/me/profile"] button[type=submit]`)
	if loc := mentor.location(); loc != "/me/availability" {
		t.Fatalf("after creating the profile the mentor is at %s", loc)
	}
	if got := mentor.value("#timezone"); got != "America/New_York" {
		t.Errorf("availability timezone = %q, want America/New_York", got)
	}

	// Monday 09:00–12:00 in the first row; JavaScript adds a Wednesday row
	// and removes the spare blank one. First a mistake: the end before the start.
	mentor.do(
		chromedp.SetValue(chromedp.ID("weekday-0"), "1"),
		chromedp.SetValue(chromedp.ID("start-0"), "09:00"),
		chromedp.SetValue(chromedp.ID("end-0"), "08:00"),
		chromedp.Click(chromedp.CSS(`[data-add-row="weekly-rows"]`)),
		chromedp.SetValue(chromedp.ID("weekday-new1"), "3"),
		chromedp.SetValue(chromedp.ID("start-new1"), "14:00"),
		chromedp.SetValue(chromedp.ID("end-new1"), "15:00"),
		chromedp.Click(chromedp.CSS(`#weekly-rows [data-row]:nth-child(2) [data-remove-row]`)),
	)
	if n := mentor.eval(`String(document.querySelectorAll("#weekly-rows [data-row]").length)`); n != "2" {
		t.Fatalf("after adding one row and removing one there are %s rows, want 2", n)
	}
	// Refused: post/redirect/get back to the editor, with what was typed.
	if status := mentor.submit("#save-availability"); status != http.StatusOK || mentor.location() != "/me/availability" {
		t.Fatalf("saving an end before the start answered %d at %s, want the editor again", status, mentor.location())
	}
	mentor.wantText("#end-0-error", "must be after the start")
	if got := mentor.value("#start-0"); got != "09:00" {
		t.Errorf("after the error the typed start is %q, want 09:00", got)
	}
	if got := mentor.value("#end-0"); got != "08:00" {
		t.Errorf("after the error the typed end is %q, want 08:00", got)
	}
	mentor.do(chromedp.SetValue(chromedp.ID("end-0"), "12:00"))
	mentor.submit("#save-availability")
	mentor.wantText(".flash", "Your availability is saved.")
	maria, _, err := s.svc.Accounts.Login(context.Background(), "maria@example.com", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.svc.Availability.Get(context.Background(), maria)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(a.Weekly); got != "[{Monday 540 720} {Wednesday 840 900}]" {
		t.Fatalf("saved weekly hours %s, want Monday 09:00–12:00 and Wednesday 14:00–15:00", got)
	}
	mentor.screenshot("availability")

	// --- A mentee in Kolkata finds the slot in their own time. ---
	mentee := newTab(t, browser, s.url, "Asia/Kolkata")
	mentee.open("/signup")
	// Chromium reports India's zone by its old name; the server keeps the current one.
	if got := mentee.value("#timezone"); got != "Asia/Kolkata" {
		t.Fatalf("signup timezone picker = %q, want the browser's zone Asia/Kolkata", got)
	}
	mentee.do(
		chromedp.SendKeys(chromedp.ID("name"), "Arjun Mentee"),
		chromedp.SendKeys(chromedp.ID("email"), "arjun@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
	)
	mentee.submit(`form[action="/signup"] button[type=submit]`)
	if u, _, err := s.svc.Accounts.Login(context.Background(), "arjun@example.com", "correct horse battery"); err != nil || u.Timezone != "Asia/Kolkata" {
		t.Fatalf("the mentee's account zone is %q (%v), want Asia/Kolkata", u.Timezone, err)
	}
	mentee.load(chromedp.Click(chromedp.CSS(`nav a[href="/mentors"]`)))
	mentee.wantText(".cards", "Maria Mentor", "Staff engineer", "postgresql")
	mentee.screenshot("mentors")
	mentee.load(chromedp.Click(chromedp.CSS(`.cards h2 a`)))
	mentee.wantText("#tz-note", "Times are shown in Asia/Kolkata", "hours are in America/New_York")

	// Move to the slot's month and day without reloading the page (htmx).
	mentee.eval(`window.notReloaded = "yes"`)
	month := nineIN.Format("January 2006")
	for i := 0; i < 2 && mentee.text("#month-label") != month; i++ {
		shown := mentee.text("#month-label")
		mentee.do(chromedp.Click(chromedp.CSS(`a[rel=next]`)))
		mentee.waitForSwap("the next month", fmt.Sprintf(`document.querySelector("#month-label") && document.querySelector("#month-label").textContent !== %q`, shown))
	}
	if got := mentee.text("#month-label"); got != month {
		t.Fatalf("calendar shows %s, want %s", got, month)
	}
	date := nineIN.Format("2006-01-02")
	mentee.do(chromedp.Click(chromedp.CSS(`a[data-date="` + date + `"]`)))
	mentee.waitForSwap("the day's slots", `document.querySelector("#day-heading") !== null`)
	if mentee.eval(`window.notReloaded || "reloaded"`) != "yes" {
		t.Errorf("choosing a day reloaded the whole page; htmx should swap the calendar in place")
	}
	if loc := mentee.location(); !strings.Contains(loc, "day="+date) {
		t.Errorf("after choosing a day the address is %s, want it to name day=%s", loc, date)
	}
	mentee.wantText("#day-heading", nineIN.Format("Monday 2 January 2006"))
	mentee.wantText(`label[for="slot-0"]`, span(nineIN), span(nine)+" "+nine.Format("MST")+" for Maria Mentor")
	mentee.wantText(`label[for="slot-1"]`, span(tenIN))
	mentee.screenshot("mentor")

	// Someone else books 09:00 New York while the page is open.
	rita, _, err := s.svc.Accounts.Signup(context.Background(), app.SignupInput{Email: "rita@example.com",
		Password: "correct horse battery", Name: "Rita", Timezone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Bookings.Request(context.Background(), rita, app.BookingInput{MentorID: maria.ID,
		Start: nine.Format(time.RFC3339)}, ""); err != nil {
		t.Fatal(err)
	}
	mentee.do(
		chromedp.Click(chromedp.ID("slot-0")),
		chromedp.SendKeys(chromedp.ID("message"), "Could we talk about moving into databases?"),
	)
	if status := mentee.submit("#request"); status != http.StatusOK || !strings.HasPrefix(mentee.location(), "/mentors/") {
		t.Fatalf("requesting a taken slot answered %d at %s, want the mentor page again", status, mentee.location())
	}
	mentee.wantText("#taken", "Someone just took that time")
	mentee.wantText(`label[for="slot-0"]`, span(tenIN))
	if got := mentee.value("#message"); got != "Could we talk about moving into databases?" {
		t.Errorf("after the conflict the message is %q, want it kept", got)
	}
	mentee.do(chromedp.Click(chromedp.ID("slot-0")))
	mentee.submit("#request")
	mentee.wantText(".flash", "Your request was sent")
	mentee.wantText("#requested", span(tenIN), "Maria Mentor", "Pending")

	// --- The mentor accepts in the inbox. ---
	mentor.open("/bookings")
	mentor.wantText("#nav-bookings .badge", "2")
	mentor.wantText("#pending", "Arjun Mentee", "Could we talk about moving into databases?",
		span(ten), span(tenIN)+" "+tenIN.Format("MST")+" for them (Asia/Kolkata)")
	mentor.screenshot("bookings")
	id := mentor.eval(`[...document.querySelectorAll("#pending li.booking")].find(li => li.textContent.includes("Arjun")).id.replace("booking-", "")`)
	mentor.submit("#accept-" + id)
	mentor.wantText(".flash", "the session is confirmed")
	mentor.wantText("#upcoming", "Arjun Mentee", span(ten), "Confirmed", span(tenIN)+" "+tenIN.Format("MST"))
	mentor.wantText("#nav-bookings .badge", "1") // Rita's request still waits

	mentee.open("/bookings")
	mentee.wantText("#upcoming", "Maria Mentor", ten.In(kolkata).Format("Monday 2 January 2006")+", "+span(tenIN),
		"Confirmed", span(ten)+" "+ten.Format("MST")+" for them (America/New_York)")

	// --- A form on another site cannot act for the signed-in mentor. ---
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Win a prize</title>
<form method="post" action="%s/bookings/%s/cancel"><input type="hidden" name="reason" value="evil">
<button id="go" type="submit">Claim</button></form>`, s.url, id)
	}))
	t.Cleanup(evil.Close)
	// localhost and 127.0.0.1 are different sites to the browser.
	mentor.load(chromedp.Navigate(strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)))
	if status := mentor.submit("#go"); status != http.StatusForbidden {
		t.Errorf("a cross-site POST answered %d, want 403", status)
	}
	var bookingID int64
	fmt.Sscan(id, &bookingID)
	if b, err := s.svc.Bookings.Get(context.Background(), maria, bookingID); err != nil || b.Status != mentorbook.StatusConfirmed {
		t.Errorf("after the cross-site POST the booking is %+v (%v), want it still confirmed", b, err)
	}

	// --- An anonymous visitor in Tokyo: the page learns the zone from the
	// browser, remembers it, and shows times in it. ---
	visitor := newTab(t, browser, s.url, "Asia/Tokyo")
	visitor.open(fmt.Sprintf("/mentors/%d", maria.ID))
	deadline := time.Now().Add(10 * time.Second)
	for {
		note, err := chromedp.Run(visitor.ctx, chromedp.Evaluate[string](`(document.querySelector("#tz-note") || {}).textContent || ""`))
		if err == nil && strings.Contains(note, "Times are shown in Asia/Tokyo") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("an anonymous visitor's page never switched to the browser's zone; note %q (%v)", note, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := visitor.eval(`document.cookie`); !strings.Contains(got, "tz=Asia/Tokyo") {
		t.Errorf("the visitor's zone is not remembered: cookies %q", got)
	}

	// --- Logging out ends the session. ---
	mentee.submit("#logout")
	if loc := mentee.location(); loc != "/login" {
		t.Fatalf("after logout the mentee is at %s", loc)
	}
	mentee.load(chromedp.NavigateBack())
	if loc := mentee.location(); !strings.HasPrefix(loc, "/login") {
		t.Errorf("going back after logout shows %s, want the login page", loc)
	}
	mentee.open("/bookings")
	if loc := mentee.location(); loc != "/login?next=%2Fbookings" {
		t.Errorf("visiting /bookings after logout shows %s, want the login page", loc)
	}
}

// --- Keyboard only ---

// maxTabs is how many Tab presses tabTo tries before it calls a control
// unreachable; every page here needs far fewer.
const maxTabs = 80

// describeFocus names the focused element for failure messages.
const describeFocus = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return "<body>";
	let d = el.tagName.toLowerCase();
	if (el.id) d += "#" + el.id;
	if (el.type) d += "[type=" + el.type + "]";
	const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().replace(/\s+/g, " ");
	return text ? d + " " + JSON.stringify(text.slice(0, 40)) : d;
})()`

// press sends keys to whatever has focus, as a person typing would.
func (b *tab) press(keys string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(keys))
}

// focused reports whether the focused element matches the CSS selector.
func (b *tab) focused(sel string) bool {
	b.t.Helper()
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(
		`document.activeElement !== null && document.activeElement.matches(%q)`, sel)))
	if err != nil {
		b.t.Fatalf("is %s focused: %v", sel, err)
	}
	return ok
}

// tabTo presses Tab until the element matching sel has focus, and fails
// with the path focus took when it never gets there (unreachable, or a trap).
func (b *tab) tabTo(sel string) {
	b.t.Helper()
	var path []string
	for range maxTabs {
		b.press(kb.Tab)
		if b.focused(sel) {
			return
		}
		path = append(path, b.eval(describeFocus))
	}
	b.t.Fatalf("on %s, %d presses of Tab never reached %s; focus went %s",
		b.location(), maxTabs, sel, strings.Join(path, " → "))
}

// focusStyle is the computed focus indicator of the focused element.
type focusStyle struct {
	Element      string `json:"element"`
	OutlineStyle string `json:"outlineStyle"`
	OutlineWidth string `json:"outlineWidth"`
	BoxShadow    string `json:"boxShadow"`
}

// wantFocusVisible checks that the focused element, reached by keyboard,
// shows a focus indicator: an outline or a box shadow.
func (b *tab) wantFocusVisible(what string) {
	b.t.Helper()
	st, err := chromedp.Run(b.ctx, chromedp.Evaluate[focusStyle](`(() => {
		const s = getComputedStyle(document.activeElement);
		return {element: `+describeFocus+`, outlineStyle: s.outlineStyle,
			outlineWidth: s.outlineWidth, boxShadow: s.boxShadow};
	})()`))
	if err != nil {
		b.t.Fatalf("focus style of %s: %v", what, err)
	}
	outline := st.OutlineStyle != "none" && st.OutlineWidth != "0px"
	if !outline && (st.BoxShadow == "" || st.BoxShadow == "none") {
		b.t.Errorf("focused %s (%s) shows no focus: outline %s %s, box-shadow %s",
			what, st.Element, st.OutlineStyle, st.OutlineWidth, st.BoxShadow)
	}
}

// labelReport lists the form controls of a page without an accessible name
// from a label (for= or wrapping), aria-label or aria-labelledby.
type labelReport struct {
	Checked   int      `json:"checked"`
	Unlabeled []string `json:"unlabeled"`
}

const findUnlabeled = `(() => {
	const text = el => (el ? el.textContent : "").trim();
	const labelled = el =>
		[...(el.labels || [])].some(l => text(l) !== "") ||
		(el.getAttribute("aria-label") || "").trim() !== "" ||
		(el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)
			.map(id => text(document.getElementById(id))).join("") !== "";
	// Buttons in input form are named by their value, hidden ones by nobody.
	const controls = [...document.querySelectorAll("input, select, textarea")]
		.filter(el => !["hidden", "submit", "button", "reset", "image"].includes(el.type));
	return {
		checked: controls.length,
		unlabeled: controls.filter(el => !labelled(el)).map(el => el.outerHTML.slice(0, 160)),
	};
})()`

// wantLabels opens a page and fails listing its unlabeled controls.
func (b *tab) wantLabels(path string) {
	b.t.Helper()
	if status := b.open(path); status != http.StatusOK {
		b.t.Fatalf("GET %s answered %d", path, status)
	}
	r, err := chromedp.Run(b.ctx, chromedp.Evaluate[labelReport](findUnlabeled))
	if err != nil {
		b.t.Fatalf("labels on %s: %v", path, err)
	}
	if r.Checked == 0 {
		b.t.Errorf("%s (at %s) has no form controls to check", path, b.location())
	}
	for _, u := range r.Unlabeled {
		b.t.Errorf("%s: control without a label: %s", path, u)
	}
}

// waitForSwap waits for an htmx update to show (predicate) and to settle:
// htmx wires up the new links only when it settles, and a key pressed
// before that follows the plain link instead.
func (b *tab) waitForSwap(what, predicate string) {
	b.t.Helper()
	b.waitFor(what, "("+predicate+`) && !document.querySelector(".htmx-request, .htmx-swapping, .htmx-added, .htmx-settling")`)
}

// wantFocusKept checks that focus is on sel after an in-place update.
func (b *tab) wantFocusKept(sel, what string) {
	b.t.Helper()
	if !b.focused(sel) {
		b.t.Errorf("after %s with the keyboard focus is on %s, want it kept on %s", what, b.eval(describeFocus), sel)
	}
}

// keyboardLogin logs in on the login page that is open: Tab to each field,
// type, and Enter in the password field.
func (b *tab) keyboardLogin(email, password string) {
	b.t.Helper()
	b.tabTo("#email")
	b.wantFocusVisible("email input")
	b.press(email)
	b.tabTo("#password")
	b.press(password)
	b.load(chromedp.KeyEvent(kb.Enter))
}

// TestBrowserKeyboardOnly books a session with the keyboard alone: after
// the first page load only key presses (Tab, Enter, Space, arrows, typing)
// drive the browser. It also checks that focus is visible and that every
// form control on the main pages has a label.
func TestBrowserKeyboardOnly(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	ctx := context.Background()
	const zone, password = "Europe/Berlin", "correct horse battery"
	berlin, _ := time.LoadLocation(zone)

	// A mentor free every day 09:00–17:00 Berlin time, and a mentee, both
	// set up through the app.
	signup := func(name, email string) mentorbook.User {
		t.Helper()
		u, _, err := s.svc.Accounts.Signup(ctx, app.SignupInput{Email: email, Password: password, Name: name, Timezone: zone})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	maria := signup("Maria Mentor", "maria@example.com")
	if _, err := s.svc.Mentors.PutProfile(ctx, maria, app.ProfileInput{
		Headline: "Go and careers", Bio: "Ask me anything.", Skills: []string{"go"}, Active: true,
	}); err != nil {
		t.Fatal(err)
	}
	var weekly []app.WeeklyInput
	for d := range 7 {
		weekly = append(weekly, app.WeeklyInput{Weekday: d, Start: "09:00", End: "17:00"})
	}
	horizon := 60
	if _, err := s.svc.Availability.Put(ctx, maria, app.AvailabilityInput{Timezone: zone, Weekly: weekly, HorizonDays: &horizon}); err != nil {
		t.Fatal(err)
	}
	arjun := signup("Arjun Mentee", "arjun@example.com")

	// The day to book: the 3rd of next month in Berlin, so the mentee has
	// to change the month first (and it is always at least three days ahead).
	now := time.Now().In(berlin)
	day := time.Date(now.Year(), now.Month()+1, 3, 0, 0, 0, 0, berlin)
	date := day.Format("2006-01-02")
	mentorPage := fmt.Sprintf("/mentors/%d", maria.ID)

	// --- 1. The mentee logs in; the login page sends them on to the mentor. ---
	mentee := newTab(t, browser, s.url, zone)
	mentee.open("/login?next=" + url.QueryEscape(mentorPage))
	mentee.keyboardLogin("arjun@example.com", password)
	if loc := mentee.location(); loc != mentorPage {
		t.Fatalf("after logging in with the keyboard the mentee is at %s, want %s", loc, mentorPage)
	}

	// --- 2. Next month, the day, a time, a message, and send. ---
	// htmx swaps the calendar in place; focus must stay on the control the
	// user pressed, or they would start again at the top of the page.
	mentee.tabTo("a[rel=next]")
	mentee.wantFocusVisible("next-month link")
	mentee.press(kb.Enter)
	mentee.waitForSwap("the next month", fmt.Sprintf(`document.querySelector("#month-label").textContent === %q`, day.Format("January 2006")))
	mentee.wantFocusKept("a[rel=next]", "changing the month")

	mentee.tabTo(`a[data-date="` + date + `"]`)
	mentee.press(kb.Enter)
	mentee.waitForSwap("the day's slots", `document.querySelector("#day-heading") !== null`)
	mentee.wantText("#day-heading", day.Format("Monday 2 January 2006"))
	mentee.wantFocusKept(`a[data-date="`+date+`"][aria-current=date]`, "choosing a day")

	// Tab enters the radio group at its first time; Space picks it, and the
	// down arrow moves the choice to the next time.
	mentee.tabTo(`input[name=start]`)
	if !mentee.focused("#slot-0") {
		t.Errorf("Tab entered the times at %s, want the first one", mentee.eval(describeFocus))
	}
	mentee.press(" ")
	if mentee.eval(`document.querySelector("input[name=start]:checked")?.id ?? "none"`) != "slot-0" {
		t.Fatalf("Space did not choose the first time")
	}
	mentee.press(kb.ArrowDown)
	if got := mentee.eval(`document.querySelector("input[name=start]:checked")?.id ?? "none"`); got != "slot-1" {
		t.Fatalf("after the down arrow the chosen time is %s, want slot-1", got)
	}
	mentee.wantFocusVisible("time radio")
	chosen := mentee.value("#slot-1")
	start, err := time.Parse(time.RFC3339, chosen)
	if err != nil {
		t.Fatalf("slot-1 value %q: %v", chosen, err)
	}

	const message = "Could we talk about Go interviews?"
	mentee.tabTo("#message")
	mentee.press(message)
	mentee.tabTo("#request")
	mentee.wantFocusVisible("request button")
	mentee.load(chromedp.KeyEvent(kb.Enter))
	if loc := mentee.location(); loc != "/bookings" {
		t.Fatalf("after requesting with the keyboard the mentee is at %s", loc)
	}
	mentee.wantText(".flash", "Your request was sent")
	mentee.wantText("#requested", "Maria Mentor", "Pending", message)

	bs, _, err := s.svc.Bookings.List(ctx, arjun, app.BookingQuery{Role: "mentee", Status: "pending"})
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 || !bs[0].Start.Equal(start) || bs[0].MentorID != maria.ID || bs[0].Message != message {
		t.Fatalf("pending bookings %+v, want exactly one with Maria at %s with the message", bs, start)
	}

	// --- 3. Focus is visible: checked above on an input (email), a link
	// (next month), a radio and a button (request); and on a nav link. ---
	mentee.tabTo(`nav a[href="/mentors"]`)
	mentee.wantFocusVisible("nav link")

	// --- 4. Every control on the main pages has a label. ---
	visitor := newTab(t, browser, s.url, zone)
	visitor.wantLabels("/signup")
	visitor.wantLabels("/login")
	mentee.wantLabels(mentorPage + "?month=" + day.Format("2006-01") + "&day=" + date)
	mentee.wantLabels("/mentors")

	mentor := newTab(t, browser, s.url, zone)
	mentor.open("/login?next=%2Fbookings")
	mentor.keyboardLogin("maria@example.com", password)
	if loc := mentor.location(); loc != "/bookings" {
		t.Fatalf("after logging in with the keyboard the mentor is at %s", loc)
	}
	for _, path := range []string{"/me/availability", "/me/overrides", "/me/profile", "/bookings"} {
		mentor.wantLabels(path)
	}
}
