#!/usr/bin/env bash
# Re-fetch the vendored front-end files from the npm registry, exactly at the
# versions pinned below, and check them against the pinned SHA-256 sums.
#
# The pages are served with no CDN: every script the browser loads comes from
# static/vendor/ in this repository (axe-core only from tests/browser/vendor/,
# for the accessibility test). This script is how those files got there and
# how to prove they are the published ones.
#
#   scripts/vendor_assets.sh            fetch with `npm pack`, extract, verify
#                                       the pinned sha256, write the files and
#                                       their licences, rewrite the table in
#                                       static/vendor/README.md
#   scripts/vendor_assets.sh --check    no network: only verify the files in
#                                       the tree against the pinned sha256
#   scripts/vendor_assets.sh --accept   as the default, but a sha256 that
#                                       differs from the pin is printed
#                                       instead of failing (use after bumping
#                                       a version, then paste the new sums
#                                       into the SHA256 table below)
#
# Needs: npm (only the registry, via `npm pack`), tar, gzip, sha256sum, awk.
# `npm pack` checks each tarball against the registry's sha512 integrity; the
# INTEGRITY pins below make a silently replaced tarball fail here too.
set -euo pipefail
cd "$(dirname "$0")/.."

# ---- pinned versions -------------------------------------------------------
HTMX_VERSION=2.0.11      # htmx.org, the 2.0.x line (not 4.x)
ECHARTS_VERSION=6.1.0    # echarts
AXE_VERSION=4.14.1       # axe-core (tests only)

# npm tarball integrity (sha512, as `npm view PKG@VER dist.integrity` prints)
declare -A INTEGRITY=(
  [htmx.org]="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
  [echarts]="sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA=="
  [axe-core]="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)

# What is taken from each package: "package|version|licence|path in tarball|destination"
# The first row of each package is its asset (goes into the README table);
# the rest are its licence texts.
FILES=(
  "htmx.org|$HTMX_VERSION|0BSD|dist/htmx.min.js|static/vendor/htmx.min.js"
  "htmx.org|$HTMX_VERSION|0BSD|LICENSE|static/vendor/LICENSES/htmx.txt"
  "echarts|$ECHARTS_VERSION|Apache-2.0|dist/echarts.min.js|static/vendor/echarts.min.js"
  "echarts|$ECHARTS_VERSION|Apache-2.0|LICENSE|static/vendor/LICENSES/echarts.txt"
  "echarts|$ECHARTS_VERSION|Apache-2.0|NOTICE|static/vendor/LICENSES/echarts-NOTICE.txt"
  "echarts|$ECHARTS_VERSION|Apache-2.0|licenses/LICENSE-d3|static/vendor/LICENSES/echarts-LICENSE-d3.txt"
  "axe-core|$AXE_VERSION|MPL-2.0|axe.min.js|tests/browser/vendor/axe.min.js"
  "axe-core|$AXE_VERSION|MPL-2.0|LICENSE|tests/browser/vendor/LICENSE-axe-core.txt"
  "axe-core|$AXE_VERSION|MPL-2.0|LICENSE-3RD-PARTY.txt|tests/browser/vendor/LICENSE-axe-core-3RD-PARTY.txt"
)

# Pinned sha256 of every destination file.
declare -A SHA256=(
  [static/vendor/htmx.min.js]=d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717
  [static/vendor/LICENSES/htmx.txt]=d3d2456f76414f2456104660ebd65aff1c04cd7966b942bdabd63f3cdb316a38
  [static/vendor/echarts.min.js]=b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0
  [static/vendor/LICENSES/echarts.txt]=634293835b43a6dd2094fa39182a3d9a6b9ca43b7fdb9ac354e8037af2a3093a
  [static/vendor/LICENSES/echarts-NOTICE.txt]=d491d358344f842685c1b1585970999db65fe30ecf7ef3867af8814f4016c016
  [static/vendor/LICENSES/echarts-LICENSE-d3.txt]=e1211892da0b0e0585b7aebe8f98c1274fba15bafe47fa1f4ee8a7a502c06304
  [tests/browser/vendor/axe.min.js]=29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c
  [tests/browser/vendor/LICENSE-axe-core.txt]=af175b9d96ee93c21a036152e1b905b0b95304d4ae8c2c921c7609100ba8df7e
  [tests/browser/vendor/LICENSE-axe-core-3RD-PARTY.txt]=4f8563870d0fca38bbc3e00b6f670cb7fa9f380ba9f26a7f7d1184a6b18b1653
)
# ----------------------------------------------------------------------------

README=static/vendor/README.md
mode=fetch
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --accept) mode=accept ;;
  -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
  *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
esac

sha() { sha256sum "$1" | cut -d' ' -f1; }
bad=0

if [ "$mode" = check ]; then
  for spec in "${FILES[@]}"; do
    IFS='|' read -r _ _ _ _ dest <<<"$spec"
    want=${SHA256[$dest]}
    if [ ! -f "$dest" ]; then echo "MISSING  $dest" >&2; bad=1; continue; fi
    got=$(sha "$dest")
    if [ -n "$want" ] && [ "$got" = "$want" ]; then echo "ok       $got  $dest"
    else echo "MISMATCH $got  $dest (pinned: ${want:-none})" >&2; bad=1; fi
  done
  exit $bad
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Fetch and unpack each package once.
declare -A UNPACKED=()
for spec in "${FILES[@]}"; do
  IFS='|' read -r pkg ver _ _ _ <<<"$spec"
  [ -n "${UNPACKED[$pkg]:-}" ] && continue
  mkdir -p "$tmp/$pkg"
  json=$(cd "$tmp/$pkg" && npm pack --json --silent "$pkg@$ver")
  # (here-strings, not pipes: awk stops reading early, which under pipefail
  # would fail the pipe with SIGPIPE)
  got_int=$(awk -F'"' '/"integrity"/ {print $4; exit}' <<<"$json")
  tgz=$(awk -F'"' '/"filename"/ {print $4; exit}' <<<"$json")
  if [ "$got_int" != "${INTEGRITY[$pkg]}" ]; then
    echo "npm tarball $pkg@$ver: integrity $got_int differs from the pin ${INTEGRITY[$pkg]}" >&2
    [ "$mode" = accept ] || exit 1
  fi
  tar -xzf "$tmp/$pkg/$tgz" -C "$tmp/$pkg"
  UNPACKED[$pkg]="$tmp/$pkg/package"
  echo "fetched  $pkg@$ver ($tgz)"
done

# Verify, then copy.
for spec in "${FILES[@]}"; do
  IFS='|' read -r pkg ver _ src dest <<<"$spec"
  from="${UNPACKED[$pkg]}/$src"
  [ -f "$from" ] || { echo "$pkg@$ver has no $src" >&2; exit 1; }
  got=$(sha "$from")
  want=${SHA256[$dest]}
  if [ "$got" = "$want" ]; then
    echo "ok       $got  $dest"
  else
    echo "NEW SHA  $got  $dest (pinned: ${want:-none})"
    [ "$mode" = accept ] || bad=1
  fi
done
if [ $bad -ne 0 ]; then
  echo "sha256 differs from the pins above: nothing written (use --accept after a deliberate bump)" >&2
  exit 1
fi
for spec in "${FILES[@]}"; do
  IFS='|' read -r pkg _ _ src dest <<<"$spec"
  mkdir -p "$(dirname "$dest")"
  install -m 0644 "${UNPACKED[$pkg]}/$src" "$dest"
done

# Rewrite the table between the markers in the README (write the whole README
# if it does not exist yet).
table="$tmp/table.md"
{
  echo "| file | package | version | licence | sha256 | size (bytes) | gzip -9 (bytes) |"
  echo "|---|---|---|---|---|---|---|"
  for spec in "${FILES[@]}"; do
    IFS='|' read -r pkg ver lic src dest <<<"$spec"
    size=$(wc -c <"$dest" | tr -d ' ')
    case "$dest" in
      *.js) gz=$(gzip -9 -c "$dest" | wc -c | tr -d ' ') ;;
      *) gz="–" ;;
    esac
    echo "| \`$dest\` | \`$pkg\` (\`$src\`) | $ver | $lic | \`$(sha "$dest")\` | $size | $gz |"
  done
} >"$table"

if [ ! -f "$README" ]; then
  cat >"$README" <<'EOF'
# Vendored front-end files

Served by the application itself, never from a CDN. Written by
`scripts/vendor_assets.sh` from the npm registry at the pinned versions;
`scripts/vendor_assets.sh --check` verifies them offline.

<!-- BEGIN vendor table (scripts/vendor_assets.sh rewrites this) -->
<!-- END vendor table -->
EOF
fi
grep -q '^<!-- BEGIN vendor table' "$README" && grep -q '^<!-- END vendor table' "$README" || {
  echo "$README lacks the BEGIN/END vendor table markers" >&2; exit 1; }
awk -v table="$table" '
  /^<!-- BEGIN vendor table/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /^<!-- END vendor table/   { skip = 0 }
  !skip { print }
' "$README" >"$tmp/README.md"
install -m 0644 "$tmp/README.md" "$README"
echo "rewrote  $README"
