package forms

// LicenseType is the provider's license, which decides what credentialing
// asks for.
type LicenseType string

const (
	LicenseLCSW         LicenseType = "lcsw"
	LicenseLPC          LicenseType = "lpc"
	LicenseLMFT         LicenseType = "lmft"
	LicensePsychologist LicenseType = "psychologist"
	LicensePsychiatrist LicenseType = "psychiatrist"
	LicensePsychNP      LicenseType = "psych-np"
)

// LicenseTypes lists the license types in the order they are offered.
var LicenseTypes = []Option{
	{Value: string(LicenseLCSW), Label: "LCSW — Licensed Clinical Social Worker"},
	{Value: string(LicenseLPC), Label: "LPC / LPCC — Licensed Professional Counselor"},
	{Value: string(LicenseLMFT), Label: "LMFT — Licensed Marriage and Family Therapist"},
	{Value: string(LicensePsychologist), Label: "Psychologist (PhD / PsyD)"},
	{Value: string(LicensePsychiatrist), Label: "Psychiatrist (MD / DO)"},
	{Value: string(LicensePsychNP), Label: "Psychiatric Nurse Practitioner"},
}

// ValidLicenseType reports whether v is one of LicenseTypes.
func ValidLicenseType(v string) bool {
	for _, o := range LicenseTypes {
		if o.Value == v {
			return true
		}
	}
	return false
}

// LicenseLabel is the display label of a license type.
func LicenseLabel(v string) string {
	for _, o := range LicenseTypes {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// Prescriber reports whether the license type prescribes (psychiatrists and
// psychiatric NPs), which makes DEA and board certification required.
func (l LicenseType) Prescriber() bool {
	return l == LicensePsychiatrist || l == LicensePsychNP
}
