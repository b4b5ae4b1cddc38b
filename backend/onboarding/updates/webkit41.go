//go:build webkit2_41

package updates

// webkit41: this build links WebKitGTK 4.1 (Wails' webkit2_41 tag).
const webkit41 = true
