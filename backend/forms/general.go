package forms

// Form IDs.
const (
	FormGeneral       = "general"
	FormCredentialing = "credentialing"
)

// Bio limits, in characters.
const (
	BioMin = 150
	BioMax = 1500
)

// GeneralForm is Form 1, the General Onboarding form.
func GeneralForm() Schema {
	return Schema{
		ID: FormGeneral, Title: "General Onboarding form", Name: "General Onboarding form", Version: 2,
		Intro: "Tell the network about you and your practice. Your directory profile is built from this form. Everything saves as you type.",
		Sections: []Section{
			{ID: "identity", Title: "About you", Fields: []Field{
				{Name: FieldLegalName, Label: "Full legal name", Type: "text", Check: "name", Required: true, MaxLength: 150, Autocomplete: "name"},
				{Name: FieldPreferredName, Label: "Preferred name", Type: "text", Check: "name", MaxLength: 80, Autocomplete: "nickname",
					Help: "The name to greet you by in Onramp and in emails. Left empty, it is your full legal name."},
				{Name: FieldDirectoryName, Label: "Name shown in the directory", Type: "text", Check: "name", Required: true, MaxLength: 150, Wide: true,
					Help: "How clients see your name, your credentials after it: for example An Nguyễn, or Dr. Nguyễn Văn An. See the preview below."},
				{Name: "pronouns", Label: "Pronouns", Type: "select", Options: pronouns},
				{Name: "credentials", Label: "Credentials suffix", Type: "text", Check: "credentials", Required: true, MaxLength: 40, Placeholder: "LCSW", Help: "As it follows your name, e.g. LCSW, PsyD, MD, PMHNP-BC."},
				{Name: "licenseType", Label: "License type", Type: "select", Required: true, Options: LicenseTypes},
			}},
			{ID: "practice", Title: "Your practice", Fields: []Field{
				{Name: "practiceName", Label: "Practice name", Type: "text", Required: true, MaxLength: 150},
				{Name: "phone", Label: "Practice phone", Type: "tel", Check: "phone", Required: true, Autocomplete: "tel", Placeholder: "(555) 234-5678"},
				{Name: "email", Label: "Practice email", Type: "email", Check: "email", Required: true, Autocomplete: "email"},
				{Name: "acceptingNewClients", Label: "Accepting new clients", Type: "yesno", Required: true, Options: yesNo},
				{Name: "cashPayRate", Label: "Cash-pay session rate (USD)", Type: "money", Check: "rate", Required: true, Help: "For a standard 50-minute session; $20 to $1,000."},
			}},
			{ID: "locations", Title: "Practice locations", Help: "Add each office, or one telehealth-only location.",
				Repeat: &Repeat{Min: 1, Max: 10, ItemLabel: "Location"}, Fields: []Field{
					{Name: "kind", Label: "Kind", Type: "select", Required: true, Options: opts("office", "Office", "telehealth", "Telehealth only")},
					{Name: "street", Label: "Street address", Type: "text", RequiredWhen: &Condition{Field: "kind", In: []string{"office"}}, ShowWhen: &Condition{Field: "kind", In: []string{"office"}}, MaxLength: 150, Wide: true},
					{Name: "city", Label: "City", Type: "text", RequiredWhen: &Condition{Field: "kind", In: []string{"office"}}, ShowWhen: &Condition{Field: "kind", In: []string{"office"}}, MaxLength: 80},
					{Name: "state", Label: "State", Type: "select", Required: true, Options: USStates, Help: "For telehealth: the state you practice from."},
					{Name: "zip", Label: "ZIP code", Type: "text", Check: "zip", RequiredWhen: &Condition{Field: "kind", In: []string{"office"}}, ShowWhen: &Condition{Field: "kind", In: []string{"office"}}, Placeholder: "94110"},
				}},
			{ID: "clinical", Title: "Licensure and clinical focus", Fields: []Field{
				{Name: "statesLicensed", Label: "States you are licensed in", Type: "multiselect", Required: true, Options: USStates, Wide: true},
				{Name: "specialties", Label: "Specialties", Type: "multiselect", Required: true, Options: specialties, Wide: true},
				{Name: "populations", Label: "Populations served", Type: "multiselect", Required: true, Options: populations, Wide: true},
				{Name: "modalities", Label: "Treatment modalities", Type: "multiselect", Required: true, Options: modalities, Wide: true},
				{Name: "languages", Label: "Languages you offer sessions in", Type: "multiselect", Required: true, Options: languages, Wide: true},
			}},
			{ID: "profile", Title: "Directory profile", Help: "This is what clients read about you in the directory.", Fields: []Field{
				{Name: "bio", Label: "Directory bio", Type: "textarea", Check: "bio", Required: true, MinLength: BioMin, MaxLength: BioMax, Wide: true,
					Help: "Between 150 and 1,500 characters. Write to a prospective client: who you help and how."},
				{Name: "headshot", Label: "Headshot photo", Type: "file", Check: "image",
					Help: "A friendly, recent photo of you: PNG or JPEG, up to 10 MB. Shown on your directory profile."},
			}},
		},
	}
}
