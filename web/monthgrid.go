package web

import (
	"html/template"
	"strconv"
	"strings"
)

// monthGrid writes the rows of a month's table on the mentor page: a cell
// per day, a link for a day with free times. Executed as part of the
// template, its 35 cells (a dozen actions and as many escaper calls each)
// were most of the page's template time and allocations; here each cell
// is a few appends. The bytes are exactly what the template wrote
// (TestMonthGridEqualsTheTemplate keeps that template), with its escaping
// (attrEscape) for everything not already known to be plain.
//
// month is the page's "YYYY-MM", chosen the chosen day ("" for none), tz
// and mentorship the parameters links carry.
func monthGrid(weeks [][7]calendarDay, month, chosen, tz, mentorship string) template.HTML {
	// query sorts its keys, and "day" comes before the others.
	rest := string(query("month", month, "tz", tz, "mentorship", mentorship))
	if rest != "" {
		rest = "&amp;" + attrEscape(rest[1:])
	}
	var b strings.Builder
	b.Grow(len(weeks) * (32 + 7*(240+len(rest))))
	var date [10]byte
	for _, week := range weeks {
		b.WriteString("\n      <tr>")
		for _, c := range week {
			switch {
			case !c.InMonth:
				b.WriteString(`<td class="pad"></td>`)
			case c.Slots > 0:
				d := string(c.Date.AppendFormat(date[:0]))
				b.WriteString("\n        <td class=\"free")
				if d == chosen {
					b.WriteString(" chosen")
				}
				if c.Today {
					b.WriteString(" today")
				}
				href := "?day=" + attrEscape(d) + rest
				b.WriteString(`"><a href="` + href + `" hx-get="` + href + `" data-date="` + attrEscape(d) + `" id="day-` + attrEscape(d) +
					"\"\n          aria-label=\"" + attrEscape(dayLabel(c.Date)) + ", " + strconv.Itoa(c.Slots) + " free ")
				if c.Slots == 1 {
					b.WriteString("time\"")
				} else {
					b.WriteString("times\"")
				}
				if d == chosen {
					b.WriteString(` aria-current="date"`)
				}
				b.WriteString(">" + strconv.Itoa(c.Date.Day) + "</a></td>")
			default:
				b.WriteString("\n        <td class=\"")
				if c.Today {
					b.WriteString("today")
				}
				b.WriteString(`"><span aria-label="` + attrEscape(dayLabel(c.Date)) + `, no free times">` + strconv.Itoa(c.Date.Day) + "</span></td>")
			}
		}
		b.WriteString("\n      </tr>")
	}
	return template.HTML(b.String())
}

// attrEscape escapes s for a quoted attribute value as html/template does
// (its attrEscaper): NUL, quotes, &, +, < and >.
var attrEscape = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "'", "&#39;", "&", "&amp;",
	"+", "&#43;", "<", "&lt;", ">", "&gt;").Replace
