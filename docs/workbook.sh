#!/usr/bin/env bash
# Makes docs/workbook.png, the README's picture of a workbook: the shipped registry
# exported in Italian, printed by LibreOffice (headless) to PDF, the top left of the
# first page rendered by poppler's pdftoppm. Needs soffice and pdftoppm.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/relint --lang it export --format xlsx --as-of 2026-11-30 -o "$work/registro.xlsx"
soffice -env:UserInstallation="file://$work/profile" --headless --convert-to pdf \
    --outdir "$work" "$work/registro.xlsx" >/dev/null
pdftoppm -png -r 600 -f 1 -l 1 -x 210 -y 420 -W 2350 -H 620 "$work/registro.pdf" "$work/page"
mv "$work"/page*.png docs/workbook.png
