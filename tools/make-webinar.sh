#!/usr/bin/env bash
# Makes the insurance training webinar from the program's own content: one
# slide per topic (ImageMagick), narrated by espeak-ng, joined by ffmpeg into
# WebM (VP8 video, Opus audio) that both WebKitGTK (GStreamer) and Chromium
# play. Writes backend/webinar/media/ (embedded in the app) and a short test
# clip for the browser tests. Run with `make webinar`.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${WEBINAR_VERSION:-2026.11-3}"
OUT=backend/webinar/media
CLIP=tests/e2e/testdata/webinar
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
FONT_BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

# title|bullet;bullet;bullet|narration
SLIDES=(
"Insurance Program Training|When you can see insurance clients;How claims and payouts work;When your directory profile goes live|Welcome to the insurance program training. In the next few minutes you will learn when you can see insurance clients, how claims and payouts work, and when your directory profile goes live. The quiz after this video covers the same points."
"Your credentialing window|Payers take up to 45 calendar days;Counted from your Insurance form's submission;Each payer's status shows on your dashboard|Credentialing starts when you submit the Insurance form. Payers can take up to forty five calendar days from that date. Your dashboard shows the expected by date and each payer's status. When the network sets your effective start date, it appears there too."
"Before your effective start date|You are out-of-network;Insurance clients cannot be seen yet;Cash-pay clients can be seen at any time|Until your effective start date, you are out of network. That means you cannot see clients using their insurance yet, and a claim for such a visit would not be paid. You can see cash pay clients at any time, even before you are credentialed."
"Scheduling insurance visits|From your effective start date;Check the client's payer reads “Approved”;Not yet? Offer cash-pay or wait|From your effective start date, you can schedule insurance visits. Before you do, check that the client's payer reads “Approved” on your dashboard. Being approved by one payer does not cover the others. If that payer still reads “Application submitted” or “In review”, offer the client a cash pay visit, or wait until it reads “Approved”."
"Claims|The network files claims for you;Complete session notes for every visit;Accurate details avoid delays|You do not file claims yourself. The network files them for you from the visits you record. Complete session notes for every insurance visit, with the right date and details, so that claims are paid without delay."
"Payouts|Paid into your payouts account;Set it up once your Insurance form is in;Your cash-pay rate is the one you set|Insurance payouts are paid into your payouts account. Set it up once you have submitted your Insurance form, and tick it off in the Expanding Your Caseload stage of your dashboard. For cash pay clients, you charge the session rate you set in your General Onboarding form."
"Your directory profile|Live on the latest of three dates;Effective start, contracted start, training done;Shows your photo, name, credentials, bio, specialties|Your directory profile goes live on the latest of three dates: your credentialing effective date, your contracted start date, and the date you completed this training. Clients see your photo, name, credentials, bio and specialties, just as the bio preview shows them."
"Keeping your credentials current|Licenses, DEA, board certification, liability policy;The app warns 90, 30 and 0 days before expiry;Upload the renewed document and resubmit|Credentialing depends on documents that expire: your license, your DEA registration and board certification if you prescribe, and your liability policy. The app warns you ninety, thirty and zero days before each expiry date. When you renew, upload the new document and resubmit the form, so that payers keep you in network."
"Next steps|Take the quiz: 80% to pass, retake any time;Guidance within 1 business day of each step;Questions? Use Help to contact support|Now take the quiz. You need eighty percent to pass, and you can retake it as often as you like. After each step you complete, the network's guidance for the next one is due within one business day. If it does not arrive, use Help to contact support. Thank you for watching."
)

slide_png() { # index title bullets out
  local i=$1 title=$2 bullets=$3 out=$4 n=${#SLIDES[@]}
  local args=(-size 960x540 xc:'#f6f7f9'
    -fill '#1f5f8b' -draw 'rectangle 0,0 960,56'
    -font "$FONT_BOLD" -pointsize 20 -fill white -annotate +32+36 'Onramp  ·  Insurance Program Training'
    -font "$FONT" -pointsize 18 -fill '#cfe3f1' -gravity NorthEast -annotate +32+19 "$((i + 1)) / $n" -gravity NorthWest
    -font "$FONT_BOLD" -pointsize 40 -fill '#174a6d' -annotate +64+100 "$title"
    -fill '#8fd3ff' -draw 'rectangle 64,166 184,172')
  local y=215
  IFS=';' read -ra items <<<"$bullets"
  for b in "${items[@]}"; do
    args+=(-fill '#1f5f8b' -draw "circle 78,$((y + 19)) 84,$((y + 19))" -font "$FONT" -pointsize 28 -fill '#1b2430' -annotate +104+$y "$b")
    y=$((y + 70))
  done
  convert "${args[@]}" "$out"
}

segment() { # png wav out
  # A slide is still: 2 frames a second, one key frame per slide, quality
  # capped rather than a bitrate spent (a quantizer floor of 10 keeps the
  # text crisp at about a quarter fewer bytes than none, for the binary's
  # 15 MB budget); speech-tuned Opus at 8 kbit/s (narrated speech stays clear;
  # at 10 kbit/s the audio was half the file).
  ffmpeg -loglevel error -y -loop 1 -framerate 2 -i "$1" -i "$2" \
    -c:v libvpx -crf 24 -b:v 200k -qmin 10 -g 600 -auto-alt-ref 0 -pix_fmt yuv420p \
    -c:a libopus -b:a 8k -application voip -ac 1 -ar 16000 -shortest \
    -fflags +bitexact -flags:v +bitexact -flags:a +bitexact "$3"
}

echo "==> slides and narration"
: >"$work/list.txt"
for i in "${!SLIDES[@]}"; do
  IFS='|' read -r title bullets narration <<<"${SLIDES[$i]}"
  slide_png "$i" "$title" "$bullets" "$work/slide$i.png"
  espeak-ng -v en-us -s 140 -w "$work/voice$i.wav" "$narration"
  # A short pause after each slide's narration.
  ffmpeg -loglevel error -y -i "$work/voice$i.wav" -af apad=pad_dur=1.2 "$work/narr$i.wav"
  segment "$work/slide$i.png" "$work/narr$i.wav" "$work/seg$i.webm"
  echo "file '$work/seg$i.webm'" >>"$work/list.txt"
done

echo "==> joining"
mkdir -p "$OUT" "$CLIP"
ffmpeg -loglevel error -y -f concat -safe 0 -i "$work/list.txt" -c copy -fflags +bitexact "$OUT/insurance-training.webm"
dur=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$OUT/insurance-training.webm")
cat >"$OUT/webinar.json" <<JSON
{
  "version": "$VERSION",
  "title": "Insurance Program Training",
  "file": "insurance-training.webm",
  "durationSeconds": $dur
}
JSON

echo "==> test clip (6 s)"
ffmpeg -loglevel error -y -i "$work/slide0.png" -f lavfi -i "sine=frequency=440:duration=6" \
  -loop 1 -framerate 10 -t 6 -c:v libvpx -b:v 80k -g 30 -auto-alt-ref 0 -pix_fmt yuv420p \
  -c:a libvorbis -q:a 0 -ac 1 -ar 22050 -fflags +bitexact "$CLIP/clip.webm" 2>/dev/null ||
  ffmpeg -loglevel error -y -loop 1 -framerate 10 -t 6 -i "$work/slide0.png" -f lavfi -t 6 -i "sine=frequency=440" \
    -c:v libvpx -b:v 80k -g 30 -auto-alt-ref 0 -pix_fmt yuv420p -c:a libvorbis -q:a 0 -ac 1 -ar 22050 -shortest "$CLIP/clip.webm"
cdur=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$CLIP/clip.webm")
cat >"$CLIP/webinar.json" <<JSON
{
  "version": "test-clip-1",
  "title": "Test clip",
  "file": "clip.webm",
  "durationSeconds": $cdur
}
JSON
ls -l "$OUT" "$CLIP"
