package main

import (
	"context"
	"log"

	"onramp/backend/onboarding"
)

// Connection settings: the network's intake server and the mail relay.
// The command line and environment give the defaults; saved settings win,
// and take effect at once.

// Settings is the Settings screen: its fields and the values in use (never
// the relay password, only whether one is stored).
func (a *App) Settings() (onboarding.SettingsView, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.SettingsView, error) {
		return svc.Settings(ctx, a.defaults)
	})
}

// SaveSettings checks and saves the connection settings and switches the
// running app to them: the next sync, started at once, uses the new intake
// server and mail relay. An empty password keeps the stored one;
// clearPassword removes it.
func (a *App) SaveSettings(in onboarding.ConnectionSettings, password string, clearPassword bool) (onboarding.SettingsSaved, error) {
	svc, err := a.ready()
	if err != nil {
		return onboarding.SettingsSaved{}, err
	}
	res, err := svc.SaveSettings(a.ctx, a.defaults, in, password, clearPassword)
	if err != nil || len(res.Problems) > 0 {
		return res, uiError(err)
	}
	a.reconnect(svc)
	return res, nil
}

// ResetSettings forgets the saved settings and switches back to the ones
// Onramp was started with.
func (a *App) ResetSettings() (onboarding.SettingsView, error) {
	svc, err := a.ready()
	if err != nil {
		return onboarding.SettingsView{}, err
	}
	v, err := svc.ResetSettings(a.ctx, a.defaults)
	if err != nil {
		return v, uiError(err)
	}
	a.reconnect(svc)
	return v, nil
}

// TestSettings tries the settings as typed, without saving them: the intake
// server's health check and a session with the mail relay. Nothing is sent.
func (a *App) TestSettings(in onboarding.ConnectionSettings, password string, clearPassword bool) (onboarding.SettingsTest, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.SettingsTest, error) {
		return svc.TestSettings(ctx, a.defaults, in, password, clearPassword)
	})
}

// reconnect puts the saved connection in use and asks for a sync. A sync
// already running finishes with the old one.
func (a *App) reconnect(svc *onboarding.Service) {
	conn, err := svc.Connection(a.ctx, a.defaults)
	if err != nil {
		log.Printf("connection settings: %v", err)
		return
	}
	a.mu.Lock()
	a.conn = conn
	if a.svc != nil {
		a.svc = a.svc.Switched(conn.Mail)
	}
	a.mu.Unlock()
	a.kickSync()
}
