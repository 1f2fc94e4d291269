package history

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
)

// Write writes campaigns as a history file Load reads back: a header of Columns,
// then one line per campaign, numbers in the shortest form that reads back exactly.
func Write(w io.Writer, campaigns []Campaign) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	rec := make([]string, len(Columns))
	for _, c := range campaigns {
		rec = rec[:0]
		rec = append(rec, c.ID, c.Market, c.Objective, c.Format, c.Placement,
			strconv.Itoa(c.AgeMin), strconv.Itoa(c.AgeMax), c.Gender, c.Platform,
			num(c.AudienceSize), c.Start.Format(dateLayout), strconv.Itoa(c.Days),
			num(c.SpendUSD), num(c.Impressions), num(c.Reach), num(c.Clicks),
			num(c.VideoCompletions), num(c.PodcastStreams), num(c.Installs), num(c.Leads),
			num(c.Conversions))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
