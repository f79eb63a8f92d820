package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"

	"github.com/mentorbook/mentorbook"
)

// RequestPasswordReset emails a single-use link, valid for resetLifetime,
// to the account with this address. It answers the same whether or not
// one exists; only the number of requests per address is limited, for
// every address alike, so the limit says nothing about existence either.
func (s *Accounts) RequestPasswordReset(ctx context.Context, email string) error {
	email = normalizeEmail(email)
	v := mentorbook.Validation{}
	if checkText(v, "email", email); !validEmail(email) {
		v.Add("email", "must be an email address like name@example.com")
	}
	if err := v.Err(); err != nil {
		return err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	emailHash := sha256.Sum256([]byte(email))
	now := s.clock()
	var limited *mentorbook.Error
	err := s.store.Write(ctx, func(tx mentorbook.Tx) error {
		limited = nil
		u, _, err := tx.Users().Credentials(ctx, email)
		exists := err == nil
		if err != nil && mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			return err
		}
		if exists {
			// Requests for one account take turns on every instance, so
			// the count below is exact where an email would be sent.
			if err := tx.Users().Lock(ctx, u.ID); err != nil {
				return err
			}
		}
		n, oldest, err := tx.Users().AddResetRequest(ctx, emailHash[:], now, now.Add(-resetWindow+1))
		if err != nil {
			return err
		}
		if n > resetMaxRequests {
			limited = &mentorbook.Error{Code: mentorbook.ETOOMANY,
				Message: "Too many reset requests for this address; try again later.", RetryAfter: oldest.Add(resetWindow).Sub(now)}
			return limited // rolls the request back: refused ones do not count
		}
		if !exists {
			return nil
		}
		hash := hashToken(token)
		if err := tx.Users().CreatePasswordReset(ctx, mentorbook.PasswordReset{
			TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(resetLifetime),
		}); err != nil {
			return err
		}
		link := s.baseURL + "/password-reset/confirm?" + url.Values{"token": {token}}.Encode()
		return s.email(ctx, tx, "password-reset:"+hex.EncodeToString(hash), mentorbook.Email{
			To:      u.Email,
			Subject: "Reset your Mentorbook password",
			Text: "Hello " + u.Name + ",\n\n" +
				"Someone, hopefully you, asked to reset the password of your Mentorbook account.\n" +
				"Open this link within an hour to choose a new password:\n\n" + link + "\n\n" +
				"The link works once. If you did not ask for it, ignore this email: your password stays as it is.\n",
		})
	})
	if limited != nil {
		return limited
	}
	return err
}

// ConfirmPasswordReset sets a new password with a reset token and ends
// every session of the account. A used, expired or unknown token is 422.
func (s *Accounts) ConfirmPasswordReset(ctx context.Context, token, password string) error {
	v := mentorbook.Validation{}
	checkNewPassword(v, "new_password", password)
	if token == "" {
		v.Add("token", "is required")
	}
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := s.passwords.Hash(password)
	if err != nil {
		return err
	}
	err = s.store.Write(ctx, func(tx mentorbook.Tx) error {
		userID, err := tx.Users().UsePasswordReset(ctx, hashToken(token), s.clock())
		if err != nil {
			return err
		}
		if err := tx.Users().SetPassword(ctx, userID, hash); err != nil {
			return err
		}
		if _, err := tx.Users().DeleteSessions(ctx, userID, nil); err != nil {
			return err
		}
		return tx.Users().ClearLoginFailures(ctx, userID)
	})
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return &mentorbook.Error{Code: mentorbook.EINVALID, Message: "This reset link is used, expired or unknown; ask for a new one.",
			Fields: map[string]string{"token": "is used, expired or unknown"}}
	}
	return err
}
