package app

import (
	"context"

	"github.com/mentorbook/mentorbook"
)

// OtherZones returns, by booking ID, the zone the other party of each of
// the caller's bookings reads its times in: a mentor's availability zone,
// a mentee's account zone. Each party is looked up once; bookings the
// caller is not a party to are left out.
func (s *Service) OtherZones(ctx context.Context, caller mentorbook.User, bs []mentorbook.Booking) (map[int64]string, error) {
	type party struct {
		id       int64
		asMentor bool
	}
	seen := map[party]string{}
	zones := make(map[int64]string, len(bs))
	for _, b := range bs {
		var p party
		switch caller.ID {
		case b.MentorID:
			p = party{b.MenteeID, false}
		case b.MenteeID:
			p = party{b.MentorID, true}
		default:
			continue
		}
		zone, ok := seen[p]
		if !ok {
			var err error
			if zone, err = s.partyZone(ctx, p.id, p.asMentor); err != nil {
				return nil, err
			}
			seen[p] = zone
		}
		zones[b.ID] = zone
	}
	return zones, nil
}

func (s *Service) partyZone(ctx context.Context, userID int64, asMentor bool) (string, error) {
	if asMentor {
		// A mentor's hours are in their availability's zone.
		m, err := s.store.MentorByID(ctx, userID)
		if err == nil {
			return m.Timezone, nil
		}
		if mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			return "", err
		}
	}
	u, err := s.store.UserByID(ctx, userID)
	return u.Timezone, err
}
