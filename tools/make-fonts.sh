#!/usr/bin/env bash
# Remakes the subset fonts the packet PDF embeds (backend/packet/fonts):
# DejaVu Sans and Sans Bold cut to Latin (with every diacritic), Greek and
# Cyrillic, punctuation, currency and a few symbols; Droid Sans Fallback cut to
# the CJK characters of GB 2312, JIS X 0208 and Big5 level 1, plus kana and
# CJK punctuation; NanumGothic cut to the 2,350 Hangul syllables of KS X 1001
# and the compatibility jamo (Droid has no Hangul), renamed "Onramp Hangul"
# as the SIL Open Font License asks of modified versions. bzip2-compressed
# (better than gzip on glyph data; Go's standard library reads it) to keep
# the app binary small. Run by hand (`make fonts`); the results are committed.
set -euo pipefail
export SOURCE_DATE_EPOCH=1767225600 # fixed font dates: the same subsets give the same bytes
cd "$(dirname "$0")/.."
out=backend/packet/fonts
need=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || need+=(fonts-droid-fallback)
[ -f /usr/share/fonts/truetype/nanum/NanumGothic.ttf ] || need+=(fonts-nanum)
/usr/bin/python3 -c 'import fontTools' 2>/dev/null || need+=(python3-fonttools)
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
def table(codec, first, last, seconds, keep=lambda c: True):
    out = set()
    for b1 in range(first, last + 1):
        for b2 in seconds:
            try:
                c = bytes([b1, b2]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(c) == 1 and keep(c):
                out.add(c)
    return out
hi = range(0xA1, 0xFF)
han = lambda c: '\u4e00' <= c <= '\u9fff'
chars = table('gb2312', 0xB0, 0xF7, hi) | table('euc_jp', 0xB0, 0xF4, hi) \
    | table('big5', 0xA4, 0xC6, list(range(0x40, 0x7F)) + list(hi), han)
open(work + '/cjk.txt', 'w', encoding='utf-8').write(''.join(sorted(chars)))
open(work + '/hangul.txt', 'w', encoding='utf-8').write(''.join(sorted(table('euc_kr', 0xB0, 0xC8, hi))))
PY

latin='U+0020-007E,U+00A0-024F,U+0259,U+02B0-02FF,U+0300-036F,U+0370-03FF,U+0400-052F,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-2199,U+2212,U+2260,U+2264,U+2265,U+25A0-25CF,U+2713-2717,U+FB00-FB06,U+FFFD'
sub() { /usr/bin/python3 -m fontTools.subset "$@" --no-hinting --layout-features='' --drop-tables+=FFTM 2>/dev/null; }
for f in DejaVuSans DejaVuSans-Bold; do
  sub /usr/share/fonts/truetype/dejavu/$f.ttf --unicodes="$latin" --output-file="$work/$f.ttf"
  bzip2 -9 -c "$work/$f.ttf" >"$out/$f.ttf.bz2"
done
sub /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf --text-file="$work/cjk.txt" \
  --unicodes='U+3000-303F,U+3040-30FF,U+3130-318F,U+31F0-31FF,U+FF00-FFEF' --output-file="$work/DroidSansFallback.ttf"
bzip2 -9 -c "$work/DroidSansFallback.ttf" >"$out/DroidSansFallback.ttf.bz2"
sub /usr/share/fonts/truetype/nanum/NanumGothic.ttf --text-file="$work/hangul.txt" --unicodes='U+3131-318E' \
  --output-file="$work/nanum.ttf"
/usr/bin/python3 - "$work/nanum.ttf" "$work/OnrampHangul.ttf" <<'PY'
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
names = {1: 'Onramp Hangul', 3: 'Onramp Hangul (subset of NanumGothic)', 4: 'Onramp Hangul', 6: 'OnrampHangul', 16: 'Onramp Hangul', 17: 'Regular'}
for rec in list(f['name'].names):
    if rec.nameID in names:
        f['name'].setName(names[rec.nameID], rec.nameID, rec.platformID, rec.platEncID, rec.langID)
f.save(sys.argv[2])
PY
bzip2 -9 -c "$work/OnrampHangul.ttf" >"$out/OnrampHangul.ttf.bz2"
rm -f "$out"/*.ttf.gz
ls -l "$out"
