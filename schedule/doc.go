// Package schedule is Mentorbook's pure scheduling logic: civil dates, wall
// clock times, time zone resolution, interval algebra, weekly availability
// rules and slot generation.
//
// Nothing here reads the clock or does I/O; "now" always arrives through
// SlotQuery.Earliest and SlotQuery.Latest so results are reproducible.
// Zones come from LoadZone, which reads only the tz database embedded in
// the binary, never the host's.
package schedule
