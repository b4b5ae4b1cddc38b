#!/usr/bin/env bash
# Makes the image fixtures in backend/picture/testdata with ImageMagick:
# every PNG colour type at every bit depth the PNG spec allows for it, plain
# and interlaced; JPEGs baseline, progressive, 4:4:4, 4:2:2, greyscale and
# CMYK (ImageMagick 6 writes CMYK JPEGs the way Photoshop does: inverted,
# with an Adobe APP14 marker, colour-transformed as YCCK); and a JPEG for
# each EXIF orientation 1-8.
#
# Every picture is the same 40x30 scene seen upright: a blue (or black)
# field with a red (or white) marker in the top-left corner. PNGs with alpha
# have a clear bottom-right quarter with (but for the palette one) a
# half-clear block at its top. The orientation JPEGs store the scene turned
# the way a camera held it and say so in their Exif segment; the script
# checks with ImageMagick's own -auto-orient that each comes out upright.
# The output is the same on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
IM=/usr/bin/convert # not a stand-in earlier on PATH
out=backend/picture/testdata
mkdir -p "$out"
rm -f "$out"/*.png "$out"/*.jpg
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
strip=(-strip -define png:exclude-chunks=date,time)

# The scenes.
"$IM" -size 40x30 xc:'#2050c0' -fill '#e02020' -draw 'rectangle 0,0 9,7' "$work/colour.png"
"$IM" -size 40x30 xc:black -fill white -draw 'rectangle 0,0 9,7' "$work/grey.png"
# clear SCENE FIELD MARKER: the scene with the bottom-right quarter clear.
clear() {
  "$IM" -size 40x30 xc:none -fill "$2" -draw 'rectangle 0,0 39,14' -draw 'rectangle 0,15 19,29' \
    -fill "$3" -draw 'rectangle 0,0 9,7' "$work/$1.png"
}
clear clear '#2050c0' '#e02020'
clear grey-clear black white
# half SCENE COLOUR: a half-clear block at the top of the clear quarter.
half() {
  "$IM" "$work/$1.png" -fill "$2" -draw 'rectangle 32,15 39,21' "$work/$1-half.png"
}
half clear 'rgba(32,80,192,0.5)'
half grey-clear 'graya(0%,0.5)'

# png NAME SCENE COLOUR-TYPE DEPTH [FORMAT]: plain and interlaced, each
# checked.
png() {
  local name=$1 scene=$2 ct=$3 depth=$4 format=${5:-}
  for il in plain interlaced; do
    local f="$out/png-$name-$depth-$il.png" flag=()
    [ "$il" = interlaced ] && flag=(-interlace PNG)
    "$IM" "$work/$scene.png" "${strip[@]}" "${flag[@]}" \
      -define png:color-type="$ct" -define png:bit-depth="$depth" "$format$f"
    local want got
    want=$(printf '%02x%02x' "$depth" "$ct")
    [ "$il" = interlaced ] && want+=000001 || want+=000000
    got=$(xxd -s 24 -l 5 -p "$f")
    if [ "$got" != "$want" ]; then
      echo "$f: IHDR depth/type/interlace is $got, wanted $want" >&2
      exit 1
    fi
  done
}
for d in 1 2 4 8 16; do png grey grey 0 "$d"; done
for d in 8 16; do png rgb colour 2 "$d"; done
png palette grey 3 1 # ImageMagick writes a 1-bit palette only of greys
for d in 2 4 8; do png palette colour 3 "$d"; done
# A palette with one clear entry (tRNS); ImageMagick writes that only as PNG8
# and only for all-or-nothing transparency.
png palette-clear clear 3 8 PNG8:
for d in 8 16; do png grey-alpha grey-clear-half 4 "$d"; done
for d in 8 16; do png rgba clear-half 6 "$d"; done

# JPEGs.
jpg() { "$IM" "$work/colour.png" "${strip[@]}" -quality 85 "$@"; }
jpg -interlace none "$out/jpeg-baseline.jpg"
jpg -interlace JPEG "$out/jpeg-progressive.jpg"
jpg -sampling-factor 1x1 "$out/jpeg-444.jpg"
jpg -sampling-factor 2x1 "$out/jpeg-422.jpg"
"$IM" "$work/grey.png" "${strip[@]}" -quality 85 -type Grayscale "$out/jpeg-grey.jpg"
jpg -colorspace CMYK "$out/jpeg-cmyk.jpg"
jpg -colorspace CMYK -interlace JPEG "$out/jpeg-cmyk-progressive.jpg"

# exif ORIENTATION BYTE-ORDER: a minimal Exif APP1 segment whose IFD0 holds
# only the orientation tag (0x0112, SHORT, count 1).
exif() {
  local o=$1
  if [ "$2" = MM ]; then
    printf '\xff\xe1\x00\x22Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x0'"$o"'\x00\x00\x00\x00\x00\x00'
  else
    printf '\xff\xe1\x00\x22Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x0'"$o"'\x00\x00\x00\x00\x00\x00\x00'
  fi
}
# The stored pixels for each orientation: the scene turned back the way
# the camera held it, so that the tag's turn makes it upright again.
stored=("" "" -flop "-rotate 180" -flip -transpose "-rotate 270" -transverse "-rotate 90")
for o in 1 2 3 4 5 6 7 8; do
  # shellcheck disable=SC2086 # the transforms are words
  jpg ${stored[$o]} -interlace none "$work/o.jpg"
  order=MM
  [ $((o % 2)) = 0 ] && order=II # phones write both; cover both
  f="$out/jpeg-exif-$o.jpg"
  # Exif goes straight after SOI, where cameras put it (before any JFIF).
  { head -c 2 "$work/o.jpg"; exif "$o" "$order"; tail -c +3 "$work/o.jpg"; } >"$f"
  got=$("$IM" "$f" -auto-orient -format '%wx%h %[fx:p{2,2}.r>0.7&&p{2,2}.b<0.3] %[fx:p{37,27}.b>0.6&&p{37,27}.r<0.3]' info:)
  if [ "$got" != "40x30 1 1" ]; then
    echo "$f: ImageMagick's -auto-orient gives '$got', not the upright scene" >&2
    exit 1
  fi
done
ls -l "$out" | awk 'NR > 1 {n++; s += $5} END {printf "%d fixtures, %d bytes in all\n", n, s}'
