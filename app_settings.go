package main

import (
	"context"
	"log"

	"onramp/backend/onboarding"
	"onramp/backend/onboarding/settings"
)

// Connection settings: the network's intake server and the mail relay.
// The command line and environment give the defaults; saved settings win,
// and take effect at once.

// Settings is the Settings screen: its fields and the values in use (never
// the relay password, only whether one is stored).
func (a *App) Settings() (settings.SettingsView, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (settings.SettingsView, error) {
		return svc.Settings.Settings(ctx, a.core.Defaults())
	})
}

// SaveSettings checks and saves the connection settings and switches the
// running app to them: the next sync, started at once, uses the new intake
// server and mail relay. An empty password keeps the stored one;
// clearPassword removes it.
func (a *App) SaveSettings(in settings.ConnectionSettings, password string, clearPassword bool) (settings.SettingsSaved, error) {
	svc, err := a.ready()
	if err != nil {
		return settings.SettingsSaved{}, err
	}
	res, err := svc.Settings.SaveSettings(a.ctx, a.core.Defaults(), in, password, clearPassword)
	if err != nil || len(res.Problems) > 0 {
		return res, uiError(err)
	}
	a.reconnect()
	return res, nil
}

// ResetSettings forgets the saved settings and switches back to the ones
// Onramp was started with.
func (a *App) ResetSettings() (settings.SettingsView, error) {
	svc, err := a.ready()
	if err != nil {
		return settings.SettingsView{}, err
	}
	v, err := svc.Settings.ResetSettings(a.ctx, a.core.Defaults())
	if err != nil {
		return v, uiError(err)
	}
	a.reconnect()
	return v, nil
}

// TestSettings tries the settings as typed, without saving them: the intake
// server's health check and a session with the mail relay. Nothing is sent.
func (a *App) TestSettings(in settings.ConnectionSettings, password string, clearPassword bool) (settings.SettingsTest, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (settings.SettingsTest, error) {
		return svc.Settings.TestSettings(ctx, a.core.Defaults(), in, password, clearPassword)
	})
}

// reconnect puts the saved connection in use and asks for a sync. A sync
// already running finishes with the old one.
func (a *App) reconnect() {
	if err := a.core.Reconnect(a.ctx); err != nil {
		log.Printf("connection settings: %v", err)
	}
}
