package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// streamsConfig is the -phase streams run: -streams event streams held
// open, spread over a mentor and -mentees mentees (several streams per
// user, like open tabs) and, with -url2, alternately over two instances;
// then -messages messages from the mentees to the mentor, one at a time.
// Each arrival at one of the mentor's streams is timed from the message's
// created_at (the server's clock on this same machine, read in the
// transaction that stores it): commit to arrival, transaction included.
type streamsConfig struct {
	urls     []string
	streams  int
	mentees  int
	messages int
	pids     []int
}

func runStreams(c streamsConfig, out io.Writer) error {
	cl := &client{base: c.urls[0], http: &http.Client{Timeout: 30 * time.Second}}
	run := time.Now().UnixNano()
	mentors, err := setupUsers(cl, run, "mentor", 1, true)
	if err != nil {
		return err
	}
	mentor := mentors[0]
	mentees, err := setupUsers(cl, run, "mentee", c.mentees, false)
	if err != nil {
		return err
	}
	// A booking links each mentee to the mentor; each opens the conversation.
	var s slotsJSON
	from := time.Now().UTC()
	if _, err := cl.do("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?from=%s&to=%s", mentor.id,
		from.Format(time.DateOnly), from.AddDate(0, 0, 30).Format(time.DateOnly)), "", nil, &s); err != nil {
		return err
	}
	var starts []string
	for _, d := range s.Days {
		for _, sl := range d.Slots {
			starts = append(starts, sl.Start)
		}
	}
	convs := make([]int64, len(mentees))
	for i, m := range mentees {
		if i*3 >= len(starts) {
			return fmt.Errorf("only %d free slots for %d mentees", len(starts), len(mentees))
		}
		if _, err := cl.do("POST", "/api/v1/bookings", m.token, map[string]any{"mentor_id": mentor.id, "start": starts[i*3]}, nil); err != nil {
			return err
		}
		var conv struct{ ID int64 }
		if _, err := cl.do("POST", "/api/v1/conversations", m.token, map[string]any{"user_id": mentor.id}, &conv); err != nil {
			return err
		}
		convs[i] = conv.ID
	}

	rssBefore := rss(c.pids)
	// Streams: every tenth is the mentor's, the rest the mentees'.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type arrival struct {
		instance int
		latency  time.Duration
	}
	arrivals := make(chan arrival, 1<<16)
	transport := &http.Transport{MaxIdleConnsPerHost: -1, DisableCompression: true}
	opened := make(chan error, c.streams)
	mentorStreams := make([]int, len(c.urls))
	for i := range c.streams {
		inst := i % len(c.urls)
		u := mentees[i%len(mentees)]
		isMentor := (i/len(c.urls))%10 == 0 // a tenth on each instance
		if isMentor {
			u = mentor
			mentorStreams[inst]++
		}
		go func() {
			req, _ := http.NewRequestWithContext(ctx, "GET", c.urls[inst]+"/api/v1/events", nil)
			req.Header.Set("Authorization", "Bearer "+u.token)
			res, err := transport.RoundTrip(req)
			if err == nil && res.StatusCode != http.StatusOK {
				err = fmt.Errorf("stream: %s", res.Status)
			}
			opened <- err
			if err != nil {
				return
			}
			defer res.Body.Close()
			sc := bufio.NewScanner(res.Body)
			kind := ""
			for sc.Scan() {
				line := sc.Text()
				switch {
				case strings.HasPrefix(line, "event: "):
					kind = line[7:]
				case strings.HasPrefix(line, "data: ") && kind == "message" && isMentor:
					var m struct {
						CreatedAt time.Time `json:"created_at"`
					}
					if json.Unmarshal([]byte(line[6:]), &m) == nil {
						arrivals <- arrival{inst, time.Since(m.CreatedAt)}
					}
				}
			}
		}()
	}
	for range c.streams {
		if err := <-opened; err != nil {
			return err
		}
	}
	time.Sleep(2 * time.Second) // let the servers settle
	rssAfter := rss(c.pids)
	fmt.Fprintf(out, "%d streams open on %d instance(s) (%v of them the mentor's)\n", c.streams, len(c.urls), mentorStreams)
	for i, pid := range c.pids {
		fmt.Fprintf(out, "server pid %d: RSS %.1f MiB before, %.1f MiB with the streams: %.1f KiB per stream\n", pid,
			float64(rssBefore[i])/(1<<20), float64(rssAfter[i])/(1<<20),
			float64(rssAfter[i]-rssBefore[i])/1024/float64(c.streams/len(c.pids)))
	}

	want := c.messages * (mentorStreams[0] + mentorStreams[len(mentorStreams)-1]*(len(c.urls)-1))
	begin := time.Now()
	for i := range c.messages {
		k := i % len(mentees)
		if _, err := cl.do("POST", fmt.Sprintf("/api/v1/conversations/%d/messages", convs[k]), mentees[k].token,
			map[string]string{"body": "load message " + strconv.Itoa(i)}, nil); err != nil {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
	lat := make([][]time.Duration, len(c.urls))
	timeout := time.After(30 * time.Second)
	for got := 0; got < want; got++ {
		select {
		case a := <-arrivals:
			lat[a.instance] = append(lat[a.instance], a.latency)
		case <-timeout:
			return fmt.Errorf("only %d of %d arrivals within 30 s", got, want)
		}
	}
	fmt.Fprintf(out, "%d messages in %.1fs, %d arrivals at the mentor's streams\n", c.messages, time.Since(begin).Seconds(), want)
	for i, l := range lat {
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		q := func(p float64) time.Duration { return l[min(len(l)-1, int(p*float64(len(l))))] }
		fmt.Fprintf(out, "instance %d (%s): %d arrivals, commit to arrival p50 %v, p99 %v, max %v\n", i+1, c.urls[i], len(l),
			q(0.5).Round(10*time.Microsecond), q(0.99).Round(10*time.Microsecond), l[len(l)-1].Round(10*time.Microsecond))
	}
	return nil
}

// rss reads each process's resident memory from /proc (0 where unknown).
func rss(pids []int) []int64 {
	out := make([]int64, len(pids))
	for i, pid := range pids {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				out[i] = kb * 1024
			}
		}
	}
	return out
}
