package webinar

import (
	"errors"
	"fmt"
)

// PassMark is the score, in percent, that passes the quiz.
const PassMark = 80

// question is one quiz question with its answer. Only Questions() leaves this
// package, and it carries no answer.
type question struct {
	id, prompt, help string
	choices          []Choice
	answer           string // the correct choice's ID
}

// Choice is one answer a provider can pick.
type Choice struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Question is what the frontend gets: the prompt and choices, no answer.
type Question struct {
	ID      string   `json:"id"`
	Prompt  string   `json:"prompt"`
	Choices []Choice `json:"choices"`
}

var quiz = []question{
	{id: "oon-before-effective", help: "scheduling-insurance-visits",
		prompt: "Your Insurance form was submitted three weeks ago and the network has not set your effective start date yet. A new client wants to use their insurance. What do you do?",
		choices: []Choice{
			{"a", "Schedule them now; the claim will be back-dated once you are credentialed."},
			{"b", "Wait until your effective start date to see them with insurance, or see them now as cash-pay if they choose."},
			{"c", "See them now with insurance, since the form has been submitted."},
			{"d", "Ask the client to file the claim themselves."},
		}, answer: "b"},
	{id: "cash-pay-any-time", help: "first-client",
		prompt: "When can you start seeing cash-pay clients through the network?",
		choices: []Choice{
			{"a", "Only after every payer has approved you."},
			{"b", "Only after the directory profile goes live."},
			{"c", "At any time, including before your credentialing effective date."},
			{"d", "Only after the 45-day credentialing window has ended."},
		}, answer: "c"},
	{id: "credentialing-window", help: "credentialing-timeline",
		prompt: "How long can payers take to credential you, counted from the Insurance form's submission?",
		choices: []Choice{
			{"a", "Up to 45 calendar days."},
			{"b", "Up to 10 business days."},
			{"c", "Up to 6 months."},
			{"d", "It is instant once the form is submitted."},
		}, answer: "a"},
	{id: "check-payer", help: "scheduling-insurance-visits",
		prompt: "You are in-network and a client's plan is from a payer whose status on your dashboard still reads \"In review\". What should you do before scheduling an insurance visit?",
		choices: []Choice{
			{"a", "Nothing: being in-network with one payer covers every payer."},
			{"b", "Schedule it and bill the client's payer later."},
			{"c", "Check the payer's status: you can bill a payer only once its status reads \"Approved\"; until then offer cash-pay or wait."},
			{"d", "Change the client's plan for them."},
		}, answer: "c"},
	{id: "who-files-claims", help: "claims-and-payouts",
		prompt: "Who files the insurance claims for your insurance visits?",
		choices: []Choice{
			{"a", "The network files them for you, from the visits you record."},
			{"b", "You mail paper claims to each payer."},
			{"c", "The client files them after each session."},
			{"d", "Nobody: insurance visits are paid in advance."},
		}, answer: "a"},
	{id: "payouts-destination", help: "payouts-account",
		prompt: "Where are your insurance payouts sent?",
		choices: []Choice{
			{"a", "To the client, who then pays you."},
			{"b", "To the payouts account you set up in the Expanding Your Caseload stage."},
			{"c", "To the address on your license."},
			{"d", "They are held until the end of the year."},
		}, answer: "b"},
	{id: "claim-documentation", help: "claims-and-payouts",
		prompt: "What helps a claim get paid without delay?",
		choices: []Choice{
			{"a", "Complete session notes for every insurance visit."},
			{"b", "Scheduling the visit before your effective start date."},
			{"c", "Leaving the visit's date blank."},
			{"d", "Billing the cash-pay rate and the payer for the same visit."},
		}, answer: "a"},
	{id: "directory-live-date", help: "directory-profile",
		prompt: "When does your directory profile go live?",
		choices: []Choice{
			{"a", "As soon as you submit the General Onboarding form."},
			{"b", "On the latest of: your credentialing effective date, your contracted start date, and the date you completed this training."},
			{"c", "On your contracted start date, whatever else is done."},
			{"d", "The day you pass this quiz."},
		}, answer: "b"},
	{id: "directory-shows", help: "directory-profile",
		prompt: "What do clients see on your directory profile?",
		choices: []Choice{
			{"a", "Your CAQH login and NPI."},
			{"b", "Your photo, name, credentials, bio and specialties, as in the bio preview."},
			{"c", "Your home address and date of birth."},
			{"d", "Nothing until you pay a listing fee."},
		}, answer: "b"},
	{id: "guidance-late", help: "next-step-guidance",
		prompt: "You completed a step on a Friday and the network's guidance for the next step has not arrived by the end of the following Monday (not a holiday). What should you do?",
		choices: []Choice{
			{"a", "Start the step over."},
			{"b", "Wait another 45 days."},
			{"c", "Contact support: the guidance was due on the first business day after you completed the step."},
			{"d", "Submit the form again."},
		}, answer: "c"},
}

// Questions returns the quiz as the frontend shows it: no answers.
func Questions() []Question {
	out := make([]Question, len(quiz))
	for i, q := range quiz {
		out[i] = Question{ID: q.id, Prompt: q.prompt, Choices: append([]Choice(nil), q.choices...)}
	}
	return out
}

// Missed is a question answered wrongly (or not at all), with the help
// article to reread. It never says which choice was right.
type Missed struct {
	QuestionID string `json:"questionId"`
	Prompt     string `json:"prompt"`
	Help       string `json:"help"`
}

// Result is one graded attempt.
type Result struct {
	Correct int      `json:"correct"`
	Total   int      `json:"total"`
	Score   int      `json:"score"` // percent, rounded down
	Passed  bool     `json:"passed"`
	Missed  []Missed `json:"missed"`
}

// ErrUnknownAnswer means an answer names a question or choice that does not
// exist.
var ErrUnknownAnswer = errors.New("the answers don't match the quiz")

// Grade scores answers (question ID → choice ID). A question left out counts
// as missed; an answer to a question or choice that does not exist is an
// error.
func Grade(answers map[string]string) (Result, error) {
	byID := make(map[string]question, len(quiz))
	for _, q := range quiz {
		byID[q.id] = q
	}
	for qid, cid := range answers {
		q, ok := byID[qid]
		if !ok || !hasChoice(q, cid) {
			return Result{}, fmt.Errorf("%w: %q", ErrUnknownAnswer, qid)
		}
	}
	r := Result{Total: len(quiz), Missed: []Missed{}}
	for _, q := range quiz {
		if answers[q.id] == q.answer {
			r.Correct++
			continue
		}
		r.Missed = append(r.Missed, Missed{QuestionID: q.id, Prompt: q.prompt, Help: q.help})
	}
	r.Score = r.Correct * 100 / r.Total
	r.Passed = r.Score >= PassMark
	return r, nil
}

func hasChoice(q question, id string) bool {
	for _, c := range q.choices {
		if c.ID == id {
			return true
		}
	}
	return false
}

// AnswerKey returns question ID → correct choice ID, for Go tests and
// support tooling. It must never be bound to the frontend; a test checks the
// bound methods and the frontend bundle.
func AnswerKey() map[string]string {
	out := make(map[string]string, len(quiz))
	for _, q := range quiz {
		out[q.id] = q.answer
	}
	return out
}
