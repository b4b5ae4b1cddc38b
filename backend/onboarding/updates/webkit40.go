//go:build !webkit2_41

package updates

// webkit41: this build links WebKitGTK 4.0, Wails' default.
const webkit41 = false
