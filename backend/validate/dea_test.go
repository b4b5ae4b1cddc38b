package validate

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestDEA(t *testing.T) {
	valid := []struct{ number, name string }{
		{"AB1234563", "Brown"},
		{"ab1234563", "brown"},
		{"AB1234563", "Jane Brown"},
		{"MN1234563", "Núñez"},       // accent removed
		{"BL1234563", "Łukasiewicz"}, // Ł is L
		{"FW1234563", "王"},           // no Latin initial: not checked
		{"A91234563", "Anybody"},     // 9 instead of an initial
		{"AB 123 4563", "Brown"},     // spaces ignored
		{"BS1234563", "Smith-Jones"},
		{"GK1234563", ""}, // no name yet: not checked
	}
	for _, v := range valid {
		if err := DEA(v.number, v.name); err != nil {
			t.Errorf("DEA(%q, %q) = %v", v.number, v.name, err)
		}
	}
	invalid := []struct{ number, name, want string }{
		{"", "Brown", "Enter your DEA"},
		{"AB123456", "Brown", "two letters followed by seven digits"},
		{"A11234563", "Brown", "two letters followed by seven digits"},
		{"ABC234563", "Brown", "two letters followed by seven digits"},
		{"AB1234564", "Brown", "check digit"},
		{"AS1234563", "Brown", "first letter of your last name (B), but this one has S"},
		{"NB1234563", "Brown", "can't start with"},
		{"MZ1234563", "Núñez", "(N)"},
		{"MA1234563", "Ana García López", "(G or L)"},
		{"MA1234563", "Ana María García López", "(M, G or L)"},
	}
	for _, v := range invalid {
		if err := DEA(v.number, v.name); err == nil || !strings.Contains(err.Error(), v.want) {
			t.Errorf("DEA(%q, %q) = %v, want %q", v.number, v.name, err, v.want)
		}
	}
}

// The second letter is checked against every letter a registration for
// the name could carry: a suffix, a compound or particle surname, or an
// accent never makes a valid number fail, and a letter that starts no part
// of the last name still does. "" means the name can't be checked.
func TestDEAInitialsByNameShape(t *testing.T) {
	tests := []struct {
		name   string
		accept string // every letter a registration could carry
		refuse string // letters that must still be refused
	}{
		{"Brown", "B", "AJ"},
		{"Jane Brown", "B", "J"},
		{"Martin Luther King Jr.", "LK", "JM"},
		{"Martin Luther King, Jr.", "LK", "JM"},
		{"John Smith Sr", "S", "J"},
		{"Henry Ford II", "F", "HI"},
		{"Thurston Howell III", "H", "TI"},
		{"Louis Dreyfus IV", "D", "LI"},
		{"Tom Jones 3rd", "J", "T"},
		{"Ana García López", "GL", "A"},
		{"María José García López", "JGL", "M"},
		{"Anna Smith-Jones", "SJ", "A"},
		{"Anna Smith–Jones", "SJ", "A"}, // en dash
		{"Anna Smith‐Jones", "SJ", "A"}, // Unicode hyphen
		{"Pieter van der Berg", "VDB", "P"},
		{"Juan de la Cruz", "DLC", "J"},
		{"José Ortega y Gasset", "OYG", "J"},
		{"Ludwig van Beethoven", "VB", "L"},
		{"Conan O'Brien", "OB", "C"},
		{"Conan O’Brien", "OB", "C"},
		{"Ronald McDonald", "M", "DR"},
		{"Flora MacDonald", "M", "DF"},
		{"Maria D'Angelo", "DA", "M"},
		{"Jan Łukasiewicz", "L", "J"},
		{"Hans Christian Ørsted", "CO", "H"},
		{"Ana Ñúñez", "N", "A"},
		{"Ana N\u0303u\u0301n\u0303ez", "N", "A"}, // decomposed, as macOS types it
		{"Zoë", "Z", "A"},
		{"Zoë Łukasiewicz", "L", "Z"},
		{"Zoë Ørsted-Łukasiewicz", "OL", "Z"},
		{"Madonna", "M", "A"},
		{"Smith, John", "S", "J"},
		{"García López, Ana", "GL", "A"},
		{"John Q. Public", "P", "JQ"},
		{"Samuel L. Jackson", "J", "SL"},
		{"Anand V", "V", "A"},
		{"An Văn Nguyễn", "VN", "A"},
		{"Émile Zola", "Z", "E"},
		{"Søren Kierkegaard", "K", "S"},
		{"Þóra Þórsdóttir", "T", "P"},
		{"Ólafur Ragnar Grímsson", "RG", "O"},
		{"Jean-Luc Picard", "P", "JL"},
		{"Mary Ann St. John", "ASJ", "M"},
		{"Daniel ʻAkaka", "A", "D"},
		{"İlkay Gündoğan", "G", "I"},
		{"Ævar Þór Benediktsson", "TB", "A"},
		{"王小明", "", ""},
		{"Zoë 王", "", ""},
		{"Γιώργος Παπαδόπουλος", "", ""},
		{"Ана Иванова", "", ""},
		{"", "", ""},
		{"   ", "", ""},
	}
	for _, tt := range tests {
		got, ok := deaInitials(tt.name)
		if tt.accept == "" {
			if ok {
				t.Errorf("deaInitials(%q) = %q, want unchecked", tt.name, got)
			}
		} else if got != tt.accept || !ok {
			t.Errorf("deaInitials(%q) = %q %v, want %q", tt.name, got, ok, tt.accept)
		}
		for c := byte('A'); c <= 'Z'; c++ {
			number := "M" + string(c) + "1234563"
			err := DEA(number, tt.name)
			switch {
			case tt.accept == "" && err != nil:
				t.Errorf("DEA(%s, %q) = %v; the name can't be checked", number, tt.name, err)
			case strings.IndexByte(tt.accept, c) >= 0 && err != nil:
				t.Errorf("DEA(%s, %q) = %v", number, tt.name, err)
			case strings.IndexByte(tt.refuse, c) >= 0 && err == nil:
				t.Errorf("DEA(%s, %q) accepted", number, tt.name)
			}
		}
		if err := DEA("M91234563", tt.name); err != nil {
			t.Errorf("DEA(M91234563, %q) = %v", tt.name, err)
		}
	}
}

func TestOrList(t *testing.T) {
	for in, want := range map[string]string{"": "", "B": "B", "GL": "G or L", "MGL": "M, G or L"} {
		if got := orList(in); got != want {
			t.Errorf("orList(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzDEA(f *testing.F) {
	f.Add("AB1234563", "Brown")
	f.Add("MK1234563", "Martin Luther King, Jr.")
	f.Add("MV1234563", "Pieter van der Berg")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, number, name string) {
		err := DEA(number, name)
		if err != nil && err.Error() == "" {
			t.Fatal("empty message")
		}
		// A suffix, decomposed accents or a typographic apostrophe or
		// dash never change the answer.
		for _, same := range []string{name + " Jr.", name + ", III", norm.NFD.String(name),
			strings.NewReplacer("'", "’", "-", "–").Replace(name)} {
			if err2 := DEA(number, same); (err == nil) != (err2 == nil) {
				t.Fatalf("DEA(%q, %q) = %v but DEA(%q, %q) = %v", number, name, err, number, same, err2)
			}
		}
	})
}

// The base-letter tables agree with Unicode's decompositions (NFD, marks
// dropped) plus the transliterations of letters that do not decompose.
func TestLatinBaseMatchesUnicode(t *testing.T) {
	fold := map[rune]rune{'Ł': 'L', 'ł': 'L', 'Ø': 'O', 'ø': 'O', 'Đ': 'D', 'đ': 'D', 'Æ': 'A', 'æ': 'A',
		'Œ': 'O', 'œ': 'O', 'ß': 'S', 'Þ': 'T', 'þ': 'T', 'Ð': 'D', 'ð': 'D', 'Ħ': 'H', 'ħ': 'H', 'Ŀ': 'L', 'ŀ': 'L'}
	for r := rune(0); r < 0x3000; r++ {
		var want byte
		for _, d := range norm.NFD.String(string(r)) {
			if unicode.Is(unicode.Mn, d) {
				continue
			}
			if f, ok := fold[d]; ok {
				d = f
			}
			if d = unicode.ToUpper(d); d >= 'A' && d <= 'Z' {
				want = byte(d)
			}
			break
		}
		got, ok := latinBase(r)
		if ok != (want != 0) || got != want {
			t.Errorf("%U %q: base %q (%v), Unicode says %q", r, r, got, ok, want)
		}
	}
}
