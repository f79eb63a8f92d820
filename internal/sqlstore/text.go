package sqlstore

import (
	"context"
	"strconv"
	"strings"
)

// searchText is what a text search matches against: the parts, lower-cased
// in Go so that both engines compare the same text (SQLite's lower() folds
// only ASCII, PostgreSQL's folds per collation).
func searchText(parts ...string) string {
	return strings.ToLower(strings.Join(parts, "\n"))
}

// likeWords adds to where one condition per word: column contains the
// lower-cased word, with LIKE's metacharacters escaped so that "%" and "_"
// match themselves. Placeholders continue from len(args)+1.
func likeWords(where *strings.Builder, column string, words []string, args []any) []any {
	for _, w := range words {
		args = append(args, "%"+likeEscaper.Replace(strings.ToLower(w))+"%")
		where.WriteString(" AND " + column + ` LIKE $` + strconv.Itoa(len(args)) + ` ESCAPE '\'`)
	}
	return args
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// putSkills replaces the skills of one row of owner (mentor_skills or
// broadcast_skills, keyed by column) with one multi-row insert.
func (c conn) putSkills(ctx context.Context, table, column string, id int64, skills []string) error {
	if _, err := c.exec(ctx, `DELETE FROM `+table+` WHERE `+column+` = $1`, id); err != nil {
		return err
	}
	if len(skills) == 0 {
		return nil
	}
	// ($1, $2), ($1, $3), ...
	var q strings.Builder
	q.WriteString(`INSERT INTO ` + table + ` (` + column + `, skill) VALUES `)
	args := []any{id}
	for i, s := range skills {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("($1, $" + strconv.Itoa(i+2) + ")")
		args = append(args, s)
	}
	q.WriteString(` ON CONFLICT DO NOTHING`)
	_, err := c.exec(ctx, q.String(), args...)
	return err
}

// skillsOf selects the sorted skills of the row whose key is keyExpr,
// separated by newlines, which a skill cannot hold (its whitespace is
// collapsed).
func skillsOf(table, column, keyExpr string) string {
	return `(SELECT string_agg(skill, '
' ORDER BY skill) FROM ` + table + ` WHERE ` + column + ` = ` + keyExpr + `)`
}
