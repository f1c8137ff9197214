#!/usr/bin/env bash
# Renders .docx/.xlsx files to PDF with LibreOffice (headless) and the first page to PNG with pdftoppm,
# to look at a report the way an official opening it would.
#
#   scripts/render-preview.sh [-o OUTDIR] [-r DPI] [-l LOCALE] FILE...
#
# Writes OUTDIR/<name>.pdf and OUTDIR/<name>-page1.png (defaults: OUTDIR $TMPDIR/render-preview, DPI 80).
# LibreOffice formats spreadsheet numbers in LOCALE (default vi-VN, as on an official's computer:
# "98,87%"); pass -l en-US to see what a reader with English regional settings sees.
#
# Needs (Debian/Ubuntu):
#   apt-get install -y libreoffice-writer libreoffice-calc poppler-utils fonts-liberation
# (fonts-liberation provides Liberation Serif, metric-compatible with Times New Roman.)
set -euo pipefail

outdir="${TMPDIR:-/tmp}/render-preview"
dpi=80
locale="vi-VN"
usage() {
  echo "usage: $0 [-o OUTDIR] [-r DPI] [-l LOCALE] FILE.docx|FILE.xlsx..." >&2
  exit 2
}
while getopts "o:r:l:h" opt; do
  case "$opt" in
    o) outdir="$OPTARG" ;;
    r) dpi="$OPTARG" ;;
    l) locale="$OPTARG" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -ge 1 ] || usage

install_hint="sudo apt-get update && sudo apt-get install -y libreoffice-writer libreoffice-calc poppler-utils fonts-liberation"
soffice_bin="$(command -v soffice || command -v libreoffice || true)"
if [ -z "$soffice_bin" ]; then
  echo "render-preview: LibreOffice (soffice) is not installed." >&2
  echo "Install it with:  $install_hint" >&2
  echo "(macOS: brew install --cask libreoffice && brew install poppler)" >&2
  exit 3
fi
if ! command -v pdftoppm >/dev/null 2>&1; then
  echo "render-preview: pdftoppm (poppler-utils) is not installed." >&2
  echo "Install it with:  $install_hint" >&2
  exit 3
fi
if ! fc-list 2>/dev/null | grep -qiE "Times New Roman|Liberation Serif"; then
  echo "render-preview: warning: neither Times New Roman nor Liberation Serif is installed;" \
    "text metrics will differ (apt-get install -y fonts-liberation)." >&2
fi

mkdir -p "$outdir"
# A private LibreOffice profile: a running desktop instance or a root-owned profile cannot block us,
# and the locale is set there.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
mkdir -p "$profile/user"
cat >"$profile/user/registrymodifications.xcu" <<XCU
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>${locale}</value></prop></item>
</oor:items>
XCU

for file in "$@"; do
  if [ ! -f "$file" ]; then
    echo "render-preview: no such file: $file" >&2
    exit 1
  fi
  name="$(basename "${file%.*}")"
  if ! "$soffice_bin" -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$outdir" "$file" \
    >/dev/null 2>&1; then
    echo "render-preview: LibreOffice failed to convert $file" >&2
    exit 1
  fi
  pdf="$outdir/$name.pdf"
  if [ ! -f "$pdf" ]; then
    echo "render-preview: LibreOffice produced no PDF for $file" >&2
    exit 1
  fi
  pdftoppm -png -r "$dpi" -f 1 -l 1 -singlefile "$pdf" "$outdir/$name-page1"
  pages="$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')"
  echo "$file -> $pdf (${pages:-?} pages), $outdir/$name-page1.png"
done
