package store_test

import (
	"context"
	"testing"
	"time"

	"onramp/backend/store/storetest"
)

// A setting and its secret are saved together; an empty sealed value removes
// the secret and keeps the setting.
func TestSetSettingWithSecret(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	at := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	if err := st.SetSettingWithSecret(ctx, "connection", `{"a":1}`, "settings/pw", "v1:sealed", "••", at); err != nil {
		t.Fatal(err)
	}
	if v, _ := st.Setting(ctx, "connection"); v != `{"a":1}` {
		t.Errorf("setting = %q", v)
	}
	if sealed, mask, ok, err := st.Secret(ctx, "settings/pw"); err != nil || !ok || sealed != "v1:sealed" || mask != "••" {
		t.Errorf("secret = %q %q %v %v", sealed, mask, ok, err)
	}
	if err := st.SetSettingWithSecret(ctx, "connection", `{"a":2}`, "settings/pw", "", "", at); err != nil {
		t.Fatal(err)
	}
	if v, _ := st.Setting(ctx, "connection"); v != `{"a":2}` {
		t.Errorf("setting after removing the secret = %q", v)
	}
	if _, _, ok, err := st.Secret(ctx, "settings/pw"); err != nil || ok {
		t.Errorf("the secret is still there: %v %v", ok, err)
	}
}
