package forms

// USStates are the states, DC and territories, by postal code.
var USStates = opts(
	"AL", "Alabama", "AK", "Alaska", "AZ", "Arizona", "AR", "Arkansas", "CA", "California", "CO", "Colorado",
	"CT", "Connecticut", "DE", "Delaware", "DC", "District of Columbia", "FL", "Florida", "GA", "Georgia",
	"HI", "Hawaii", "ID", "Idaho", "IL", "Illinois", "IN", "Indiana", "IA", "Iowa", "KS", "Kansas",
	"KY", "Kentucky", "LA", "Louisiana", "ME", "Maine", "MD", "Maryland", "MA", "Massachusetts",
	"MI", "Michigan", "MN", "Minnesota", "MS", "Mississippi", "MO", "Missouri", "MT", "Montana",
	"NE", "Nebraska", "NV", "Nevada", "NH", "New Hampshire", "NJ", "New Jersey", "NM", "New Mexico",
	"NY", "New York", "NC", "North Carolina", "ND", "North Dakota", "OH", "Ohio", "OK", "Oklahoma",
	"OR", "Oregon", "PA", "Pennsylvania", "RI", "Rhode Island", "SC", "South Carolina", "SD", "South Dakota",
	"TN", "Tennessee", "TX", "Texas", "UT", "Utah", "VT", "Vermont", "VA", "Virginia", "WA", "Washington",
	"WV", "West Virginia", "WI", "Wisconsin", "WY", "Wyoming", "PR", "Puerto Rico", "GU", "Guam", "VI", "U.S. Virgin Islands",
)

var specialties = opts(
	"anxiety", "Anxiety", "depression", "Depression", "trauma", "Trauma and PTSD", "adhd", "ADHD",
	"bipolar", "Bipolar disorder", "ocd", "OCD", "eating", "Eating disorders", "substance", "Substance use",
	"grief", "Grief and loss", "relationships", "Relationships", "psychosis", "Psychosis",
	"medication", "Medication management", "lgbtq", "LGBTQ+ issues", "perinatal", "Perinatal mental health",
)

var populations = opts(
	"children", "Children (6–12)", "teens", "Teens (13–17)", "adults", "Adults", "older", "Older adults (65+)",
	"couples", "Couples", "families", "Families", "veterans", "Veterans", "lgbtq", "LGBTQ+",
)

var modalities = opts(
	"cbt", "CBT", "dbt", "DBT", "emdr", "EMDR", "act", "ACT", "psychodynamic", "Psychodynamic",
	"family-systems", "Family systems", "motivational", "Motivational interviewing", "mindfulness", "Mindfulness-based",
	"play", "Play therapy", "medication", "Medication management",
)

var languages = opts(
	"en", "English", "es", "Spanish", "zh", "Chinese", "vi", "Vietnamese", "tl", "Tagalog", "ko", "Korean",
	"ar", "Arabic", "ru", "Russian", "pl", "Polish", "fr", "French", "pt", "Portuguese", "hi", "Hindi", "asl", "American Sign Language",
)

var pronouns = opts("she", "she/her", "he", "he/him", "they", "they/them", "other", "Another / prefer to describe", "none", "Prefer not to say")

var yesNo = opts("yes", "Yes", "no", "No")

// opts pairs values and labels: opts("v1", "Label 1", "v2", "Label 2").
func opts(pairs ...string) []Option {
	out := make([]Option, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Option{Value: pairs[i], Label: pairs[i+1]})
	}
	return out
}
