package main

import (
	"context"

	"onramp/backend/forms"
	"onramp/backend/onboarding"
	"onramp/backend/onboarding/directories"
)

// Insurance & Directories: the network's payers and programs with the
// provider's status in each, and requests to join or leave one.

// Directories lists the network's payers and programs and the provider's
// requests, as the last sync brought them.
func (a *App) Directories() (directories.View, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (directories.View, error) {
		return svc.Directories.View(ctx)
	})
}

// AskDirectories queues a request (kind is one of intake's Request*
// constants, target a payer's or program's name) and syncs.
func (a *App) AskDirectories(kind, target, reason string) (*forms.Problem, error) {
	p, err := withService(a, func(ctx context.Context, svc *onboarding.Service) (*forms.Problem, error) {
		return svc.Directories.Ask(ctx, kind, target, reason)
	})
	if err == nil && p == nil {
		a.core.KickSync()
	}
	return p, err
}
