package secret

import "github.com/zalando/go-keyring"

// SystemKeyring is the OS keyring (Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows).
type SystemKeyring struct{}

func (SystemKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }

func (SystemKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}
