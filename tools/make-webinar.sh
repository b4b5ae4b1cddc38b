#!/usr/bin/env bash
# Makes the insurance training webinar from the program's own content
# (backend/webinar/slides.tsv): one slide per topic (ImageMagick), narrated by
# espeak-ng, joined by ffmpeg into WebM (VP8 video, Opus audio) that both
# WebKitGTK (GStreamer) and Chromium play, with WebVTT captions made from the
# same narration (tools/webinarcaptions). Writes backend/webinar/media/
# (embedded in the app) and a short narrated test clip for the browser tests.
# Run with `make webinar`.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${WEBINAR_VERSION:-2026.11-3}"
OUT=backend/webinar/media
CLIP=tests/e2e/testdata/webinar
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
FONT_BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

# The script: one slide a line, title, bullets (separated by ";") and
# narration separated by tabs. The captions are made from the same file, and
# backend/webinar's tests hold them to it.
SCRIPT=backend/webinar/slides.tsv
SLIDES=()
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] || SLIDES+=("$line")
done <"$SCRIPT"
VOICE_NAME=en-us VOICE_SPEED=140
VOICE=(-v "$VOICE_NAME" -s "$VOICE_SPEED")

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
segs=()
for i in "${!SLIDES[@]}"; do
  IFS=$'\t' read -r title bullets narration <<<"${SLIDES[$i]}"
  slide_png "$i" "$title" "$bullets" "$work/slide$i.png"
  espeak-ng "${VOICE[@]}" -w "$work/voice$i.wav" "$narration"
  # A short pause after each slide's narration.
  ffmpeg -loglevel error -y -i "$work/voice$i.wav" -af apad=pad_dur=1.2 "$work/narr$i.wav"
  segment "$work/slide$i.png" "$work/narr$i.wav" "$work/seg$i.webm"
  echo "file '$work/seg$i.webm'" >>"$work/list.txt"
  segs+=("$work/seg$i.webm")
done

echo "==> joining"
mkdir -p "$OUT" "$CLIP"
ffmpeg -loglevel error -y -f concat -safe 0 -i "$work/list.txt" -c copy -fflags +bitexact "$OUT/insurance-training.webm"
dur=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$OUT/insurance-training.webm")

echo "==> captions"
# Timed from the segments and espeak-ng's own time for each sentence.
go run ./tools/webinarcaptions -script "$SCRIPT" -voice "$VOICE_NAME" -speed "$VOICE_SPEED" \
  -o "$OUT/insurance-training.vtt" "${segs[@]}"
cat >"$OUT/webinar.json" <<JSON
{
  "version": "$VERSION",
  "title": "Insurance Program Training",
  "file": "insurance-training.webm",
  "captions": "insurance-training.vtt",
  "durationSeconds": $dur
}
JSON

echo "==> test clip (6 s): the first slide and its first sentence"
IFS=$'\t' read -r title bullets narration <<<"${SLIDES[0]}"
first="${narration%%. *}"
[[ "$first" == "$narration" ]] || first+="."
printf '%s\t%s\t%s\n' "$title" "$bullets" "$first" >"$work/clip.tsv"
espeak-ng "${VOICE[@]}" -w "$work/clipvoice.wav" "$first"
ffmpeg -loglevel error -y -loop 1 -framerate 10 -t 6 -i "$work/slide0.png" -i "$work/clipvoice.wav" \
  -af apad -t 6 -c:v libvpx -b:v 80k -g 30 -auto-alt-ref 0 -pix_fmt yuv420p \
  -c:a libvorbis -q:a 0 -ac 1 -ar 22050 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact "$CLIP/clip.webm"
go run ./tools/webinarcaptions -script "$work/clip.tsv" -voice "$VOICE_NAME" -speed "$VOICE_SPEED" \
  -o "$CLIP/clip.vtt" "$CLIP/clip.webm"
cdur=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$CLIP/clip.webm")
cat >"$CLIP/webinar.json" <<JSON
{
  "version": "test-clip-2",
  "title": "Test clip",
  "file": "clip.webm",
  "captions": "clip.vtt",
  "durationSeconds": $cdur
}
JSON
ls -l "$OUT" "$CLIP"
