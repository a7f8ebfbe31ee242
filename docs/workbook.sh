#!/usr/bin/env bash
# Makes docs/workbook.png, the README's picture of a workbook: the shipped registry
# exported in Italian, rendered by LibreOffice (headless) to a PDF of one page for the
# sheet, and the columns from counterpart to the tacit renewal drawn by poppler's
# pdftoppm. Needs soffice and pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/relint --lang it export --format xlsx --as-of 2026-11-30 -o "$work/registro.xlsx"
soffice -env:UserInstallation="file://$work/profile" --headless --outdir "$work" \
    --convert-to 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}' \
    "$work/registro.xlsx" >/dev/null
pdftoppm -png -r 150 -x 1660 -y 0 -W 2250 -H 640 "$work/registro.pdf" "$work/page"
mv "$work"/page*.png docs/workbook.png
