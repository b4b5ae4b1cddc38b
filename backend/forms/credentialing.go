package forms

// LicenseDocument is the upload field of each item of the "licenses"
// section: every license has its own copy.
const LicenseDocument = "document"

// Coverage minimums for professional liability insurance, in dollars.
const (
	MinPerClaim  = 1_000_000
	MinAggregate = 3_000_000
)

// Dollars writes whole dollars as people read them: $1,000,000.
func Dollars(n int) string { return "$" + thousands(n) }

// prescribers holds for the license types that prescribe (LicenseType.Prescriber).
var prescribers = &Condition{Field: "$licenseType", In: prescriberTypes()}

func prescriberTypes() []string {
	var out []string
	for _, o := range LicenseTypes {
		if LicenseType(o.Value).Prescriber() {
			out = append(out, o.Value)
		}
	}
	return out
}

// psychologists train in a doctoral internship and postdoctoral training,
// as psychiatrists do in a residency.
var psychologists = &Condition{Field: "$licenseType", In: []string{string(LicensePsychologist)}}

// disclosures are the yes/no questions every applicant answers.
var disclosures = []struct{ name, question string }{
	{"licenseAction", "Has any license, registration or certification of yours ever been denied, limited, suspended, revoked or put on probation?"},
	{"malpractice", "Have you had any malpractice claim, settlement or judgment in the last 10 years?"},
	{"felony", "Have you ever been convicted of, or pled guilty to, a felony?"},
	{"privileges", "Have your clinical privileges or network participation ever been limited, suspended or ended?"},
	{"sanctions", "Have you ever been sanctioned by Medicare, Medicaid or another government program?"},
	{"impairment", "Do you have any condition that would limit your ability to practice safely?"},
}

// CredentialingForm is Form 2, the Credentialing (Insurance) form. The DEA
// and board certification sections apply to prescribers only, residency to
// psychiatrists only, internship and postdoctoral training to
// psychologists only. Version 2 added the psychologists' training.
func CredentialingForm() Schema {
	disc := make([]Field, 0, 2*len(disclosures))
	for _, d := range disclosures {
		disc = append(disc,
			Field{Name: d.name, Label: d.question, Type: "yesno", Required: true, Options: yesNo, Wide: true},
			Field{Name: d.name + "Explanation", Label: "Please explain", Type: "textarea", MaxLength: 2000, Wide: true,
				RequiredWhen: &Condition{Field: d.name, In: []string{"yes"}}, ShowWhen: &Condition{Field: d.name, In: []string{"yes"}}},
		)
	}
	return Schema{
		ID: FormCredentialing, Title: "Insurance form (credentialing)", Name: "Insurance form", Version: 3,
		Intro: "Payers credential you from this form. Have your CAQH login, NPI, licenses, liability policy and work history at hand. Everything saves as you type.",
		Sections: []Section{
			{ID: "caqh", Title: "CAQH ProView", Fields: []Field{
				{Name: "caqhId", Label: "CAQH provider ID", Type: "text", Check: "caqh", Required: true, MaxLength: 12, Placeholder: "12345678"},
				{Name: "caqhUsername", Label: "CAQH username", Type: "text", Required: true, Sealed: true, MaxLength: 100, Autocomplete: "off"},
				{Name: "caqhPassword", Label: "CAQH password", Type: "secret", Check: "password", Required: true, Sealed: true,
					Help: "Encrypted on this computer; never shown again in full and never printed or exported."},
				{Name: FieldCAQHAttested, Label: "Date of your last CAQH attestation", Type: "date", Check: "past",
					Help: "CAQH asks you to re-attest every 120 days. Onramp reminds you 30 days before and on the day; left empty, it counts from when you submit this form."},
			}},
			{ID: "identifiers", Title: "Identifiers", Fields: []Field{
				{Name: "npi", Label: "Individual NPI (type 1)", Type: "text", Check: "npi", Required: true, MaxLength: 10, Placeholder: "10 digits"},
				{Name: "groupNpi", Label: "Group NPI (type 2), if any", Type: "text", Check: "npi", MaxLength: 10},
				{Name: "dateOfBirth", Label: "Date of birth", Type: "date", Check: "birthdate", Required: true, Sealed: true},
				{Name: "ssn", Label: "Social Security number", Type: "secret", Check: "ssn", Required: true, Sealed: true, Placeholder: "123-45-6789",
					Help: "Encrypted on this computer; only the last 4 digits are ever shown or printed."},
			}},
			{ID: "licenses", Title: "State licenses", Repeat: &Repeat{Min: 1, Max: 20, ItemLabel: "License", Identify: []string{"state", "number"}}, Fields: []Field{
				{Name: "state", Label: "State", Type: "select", Required: true, Options: USStates},
				{Name: "number", Label: "License number", Type: "text", Required: true, MaxLength: 30},
				{Name: "type", Label: "License type", Type: "text", Required: true, MaxLength: 40, Placeholder: "LCSW"},
				{Name: "issued", Label: "Issued", Type: "date", Check: "past", Required: true},
				{Name: "expires", Label: "Expires", Type: "date", Check: "future", Required: true},
				{Name: LicenseDocument, Label: "State license", Type: "file", Required: true,
					Help: "A copy of this license: PDF, PNG or JPEG, up to 10 MB."},
			}},
			{ID: "education", Title: "Education and training", Repeat: &Repeat{Min: 1, Max: 10, ItemLabel: "Degree"}, Fields: []Field{
				{Name: "degree", Label: "Degree", Type: "text", Required: true, MaxLength: 60, Placeholder: "MSW"},
				{Name: "institution", Label: "Institution", Type: "text", Required: true, MaxLength: 150},
				{Name: "start", Label: "Started", Type: "date", Check: "past", Required: true},
				{Name: "end", Label: "Completed", Type: "date", Check: "past", Required: true},
			}},
			{ID: "residency", Title: "Residency", ShowWhen: &Condition{Field: "$licenseType", In: []string{string(LicensePsychiatrist)}}, Fields: []Field{
				{Name: "residencyProgram", Label: "Residency program", Type: "text", Required: true, MaxLength: 150},
				{Name: "residencyInstitution", Label: "Institution", Type: "text", Required: true, MaxLength: 150},
				{Name: "residencyStart", Label: "Started", Type: "date", Check: "past", Required: true},
				{Name: "residencyEnd", Label: "Completed", Type: "date", Check: "past", Required: true},
			}},
			// Named as residency's are: the date-order check reads <id>Start, <id>End.
			{ID: "internship", Title: "Doctoral internship", ShowWhen: psychologists, Help: "Your predoctoral internship, for example an APPIC-member program.", Fields: []Field{
				{Name: "internshipProgram", Label: "Internship program", Type: "text", Required: true, MaxLength: 150},
				{Name: "internshipInstitution", Label: "Institution", Type: "text", Required: true, MaxLength: 150},
				{Name: "internshipStart", Label: "Started", Type: "date", Check: "past", Required: true},
				{Name: "internshipEnd", Label: "Completed", Type: "date", Check: "past", Required: true},
			}},
			{ID: "postdoc", Title: "Postdoctoral training", ShowWhen: psychologists, Help: "Your postdoctoral fellowship or supervised practice toward licensure.", Fields: []Field{
				{Name: "postdocProgram", Label: "Postdoctoral program or supervised position", Type: "text", Required: true, MaxLength: 150},
				{Name: "postdocInstitution", Label: "Institution", Type: "text", Required: true, MaxLength: 150},
				{Name: "postdocStart", Label: "Started", Type: "date", Check: "past", Required: true},
				{Name: "postdocEnd", Label: "Completed", Type: "date", Check: "past", Required: true},
			}},
			{ID: "work", Title: "Work history", Help: "Your positions over at least the last 5 years, most recent first.",
				Repeat: &Repeat{Min: 1, Max: 30, ItemLabel: "Position"}, Fields: []Field{
					{Name: "employer", Label: "Employer", Type: "text", Required: true, MaxLength: 150},
					{Name: "role", Label: "Role", Type: "text", Required: true, MaxLength: 100},
					{Name: "start", Label: "Started", Type: "date", Check: "past", Required: true},
					{Name: "current", Label: "I work here now", Type: "checkbox"},
					{Name: "end", Label: "Ended", Type: "date", Check: "past", RequiredWhen: &Condition{Field: "current", In: []string{"", "no"}}, ShowWhen: &Condition{Field: "current", In: []string{"", "no"}}},
				}},
			{ID: "gaps", Title: "Gaps in work history", Fields: []Field{
				{Name: "gapExplanation", Label: "Explain any gap of more than 6 months in the last 5 years", Type: "textarea", MaxLength: 2000, Wide: true,
					Help: "Needed only if your work history has such a gap (for example study, family leave or relocation)."},
			}},
			{ID: "liability", Title: "Professional liability insurance", Help: "The network's minimum is " + Dollars(MinPerClaim) + " per claim and " + Dollars(MinAggregate) + " aggregate.", Fields: []Field{
				{Name: "carrier", Label: "Carrier", Type: "text", Required: true, MaxLength: 100},
				{Name: "policyNumber", Label: "Policy number", Type: "text", Required: true, MaxLength: 40},
				{Name: "perClaim", Label: "Coverage per claim (USD)", Type: "money", Check: "perClaim", Required: true, Placeholder: "1000000"},
				{Name: "aggregate", Label: "Aggregate coverage (USD)", Type: "money", Check: "aggregate", Required: true, Placeholder: "3000000"},
				{Name: "policyEffective", Label: "Effective", Type: "date", Required: true},
				{Name: "policyExpires", Label: "Expires", Type: "date", Check: "future", Required: true},
			}},
			{ID: "dea", Title: "DEA registration", ShowWhen: prescribers, Help: "Required for psychiatrists and psychiatric nurse practitioners.", Fields: []Field{
				{Name: "deaNumber", Label: "DEA number", Type: "text", Check: "dea", Required: true, MaxLength: 11, Placeholder: "AB1234563"},
				{Name: "deaState", Label: "State", Type: "select", Required: true, Options: USStates},
				{Name: "deaExpires", Label: "Expires", Type: "date", Check: "future", Required: true},
			}},
			{ID: "board", Title: "Board certification", ShowWhen: prescribers, Help: "Required for psychiatrists and psychiatric nurse practitioners.", Fields: []Field{
				{Name: "board", Label: "Certifying board", Type: "text", Required: true, MaxLength: 150, Placeholder: "ABPN or ANCC"},
				{Name: "boardSpecialty", Label: "Specialty", Type: "text", Required: true, MaxLength: 100},
				{Name: "boardCertified", Label: "Certified on", Type: "date", Check: "past", Required: true},
				{Name: "boardExpires", Label: "Expires", Type: "date", Check: "future", Required: true},
			}},
			{ID: "documents", Title: "Documents", Help: "PDF, PNG or JPEG, up to 10 MB each. Files are checked by their content, whatever their name.", Fields: []Field{
				{Name: "liabilityDoc", Label: "Liability insurance face sheet", Type: "file", Required: true},
				{Name: "deaDoc", Label: "DEA certificate", Type: "file", ShowWhen: prescribers, RequiredWhen: prescribers},
				{Name: "boardDoc", Label: "Board certificate", Type: "file", ShowWhen: prescribers, RequiredWhen: prescribers},
				{Name: "cvDoc", Label: "CV", Type: "file"},
				{Name: "diplomaDoc", Label: "Diploma", Type: "file"},
			}},
			{ID: "disclosures", Title: "Disclosure questions", Help: "A yes answer does not by itself stop your credentialing; explain it plainly.", Fields: disc},
			{ID: "attestation", Title: "Attestation", Attest: true, Fields: []Field{
				{Name: "attestName", Label: "Type your full legal name", Type: "text", Check: "attestName", Required: true, MaxLength: 150, Autocomplete: "off"},
				{Name: "attestTrue", Label: "I attest that the information in this form is true and complete.", Type: "checkbox", Check: "mustTick", Required: true, Wide: true},
			}},
		},
	}
}

// SchemaByID returns a long form's schema.
func SchemaByID(id string) (Schema, bool) {
	switch id {
	case FormGeneral:
		return GeneralForm(), true
	case FormCredentialing:
		return CredentialingForm(), true
	}
	return Schema{}, false
}

// Title is how sentences and emails name a long form (its schema's Name),
// or the ID itself for an unknown form.
func Title(id string) string {
	if s, ok := SchemaByID(id); ok {
		return s.Name
	}
	return id
}

// SecretName is the name under which a secret field's sealed value is
// stored.
func SecretName(formID, field string) string { return formID + "/" + field }

// SealedFields lists a schema's sealed fields: the CAQH login, the SSN and
// the date of birth, which travel to the network only as sealed boxes to
// its public key. Like secrets they are top-level only.
func SealedFields(s Schema) []Field {
	var out []Field
	for _, sec := range s.Sections {
		if sec.Repeat != nil {
			continue
		}
		for _, f := range sec.Fields {
			if f.Sealed {
				out = append(out, f)
			}
		}
	}
	return out
}

// SecretFields lists a schema's secret fields. They are top-level only: a
// secret is sealed under its field's name (SecretName), which an item of a
// repeating section, moved or removed, would not keep.
func SecretFields(s Schema) []Field {
	var out []Field
	for _, sec := range s.Sections {
		if sec.Repeat != nil {
			continue
		}
		for _, f := range sec.Fields {
			if f.Type == "secret" {
				out = append(out, f)
			}
		}
	}
	return out
}
