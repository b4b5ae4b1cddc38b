package webinar

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestQuizShape(t *testing.T) {
	qs := Questions()
	if len(qs) < 8 {
		t.Fatalf("%d questions, want at least 8", len(qs))
	}
	seen := map[string]bool{}
	for _, q := range quiz {
		if seen[q.id] {
			t.Errorf("duplicate question %s", q.id)
		}
		seen[q.id] = true
		if len(q.choices) < 3 || !hasChoice(q, q.answer) || q.help == "" {
			t.Errorf("question %s is malformed", q.id)
		}
	}
}

func TestGrade(t *testing.T) {
	key := AnswerKey()
	r, err := Grade(key)
	if err != nil || r.Score != 100 || !r.Passed || len(r.Missed) != 0 {
		t.Fatalf("all correct: %+v %v", r, err)
	}

	// Exactly the pass mark passes; one below fails.
	pass := copyMap(key)
	wrong(pass, 2)
	if r, _ := Grade(pass); r.Score != 80 || !r.Passed || len(r.Missed) != 2 {
		t.Errorf("8/10: %+v", r)
	}
	fail := copyMap(key)
	wrong(fail, 3)
	r, _ = Grade(fail)
	if r.Score != 70 || r.Passed || len(r.Missed) != 3 {
		t.Errorf("7/10: %+v", r)
	}
	for _, m := range r.Missed {
		if m.Help == "" || m.Prompt == "" {
			t.Errorf("missed entry without help: %+v", m)
		}
	}

	unanswered := copyMap(key)
	delete(unanswered, quiz[0].id)
	if r, _ := Grade(unanswered); r.Correct != len(quiz)-1 || r.Missed[0].QuestionID != quiz[0].id {
		t.Errorf("unanswered: %+v", r)
	}
	if r, _ := Grade(nil); r.Correct != 0 || r.Passed {
		t.Errorf("no answers: %+v", r)
	}
}

func TestGradeRefusesUnknownAnswers(t *testing.T) {
	if _, err := Grade(map[string]string{"no-such-question": "a"}); !errors.Is(err, ErrUnknownAnswer) {
		t.Errorf("unknown question: %v", err)
	}
	if _, err := Grade(map[string]string{quiz[0].id: "z"}); !errors.Is(err, ErrUnknownAnswer) {
		t.Errorf("unknown choice: %v", err)
	}
}

// What leaves this package, as JSON, never carries the key: no "answer"
// field, and a failed attempt names the missed question, not its answer.
func TestKeyNeverLeaves(t *testing.T) {
	out, _ := json.Marshal(Questions())
	if strings.Contains(strings.ToLower(string(out)), "answer") || strings.Contains(string(out), "correct") {
		t.Errorf("questions JSON mentions the answer: %s", out)
	}
	r, _ := Grade(map[string]string{})
	res, _ := json.Marshal(r)
	for _, q := range quiz {
		for _, c := range q.choices {
			if c.ID == q.answer && strings.Contains(string(res), c.Text) {
				t.Errorf("result reveals the answer to %s", q.id)
			}
		}
	}
}

func copyMap(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// wrong changes the answers of the first n questions to a wrong choice.
func wrong(answers map[string]string, n int) {
	for _, q := range quiz[:n] {
		for _, c := range q.choices {
			if c.ID != q.answer {
				answers[q.id] = c.ID
				break
			}
		}
	}
}
