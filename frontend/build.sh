#!/usr/bin/env bash
# Build the front-end assets into static/ (committed, so running the site
# needs no Node). Run from anywhere:  bash frontend/build.sh   (make assets)
#
#   static/css/application.css        Sass: GOV.UK Frontend + MoJ filter + ours
#   static/govuk/govuk-frontend.min.js GOV.UK Frontend JS (ES module)
#   static/govuk/assets/images/       GOV.UK images the CSS references (none
#                                      with the crown or crest; no fonts)
#   static/moj/moj-frontend.min.js    MoJ Frontend JS (ES module)
#   static/moj/assets/images/         MoJ icons the CSS references
#   tests/browser/axe.min.js          axe-core for the browser tests
set -euo pipefail

FRONTEND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(dirname "$FRONTEND_DIR")"
STATIC_DIR="$ROOT_DIR/static"
NODE_MODULES="$FRONTEND_DIR/node_modules"
GOVUK="$NODE_MODULES/govuk-frontend/dist/govuk"
MOJ="$NODE_MODULES/@ministryofjustice/frontend/moj"

# Images that show the crown or the royal crest: GOV.UK's (and MoJ's) alone.
is_crown_image() {
  case "$1" in
    favicon.* | govuk-crest* | govuk-icon* | govuk-opengraph* | govuk-logotype* | *crown* | *crest*) return 0 ;;
    *) return 1 ;;
  esac
}

# Drop a trailing "//# sourceMappingURL=..." comment: we do not ship the .map
# files, and Django's ManifestStaticFilesStorage fails collectstatic when a
# referenced map is missing.
copy_js_without_source_map() {
  sed -e 's|//# sourceMappingURL=[^ ]*$||' "$1" > "$2"
}

# Copy every image a compiled stylesheet references under URL prefix $2 from
# directory $3 into directory $4. Fails if a referenced image is missing or
# shows the crown.
copy_referenced_images() {
  local css="$1" prefix="$2" src="$3" dest="$4" name
  mkdir -p "$dest"
  for name in $(grep -o "url(\"\?${prefix}[^)\"]*" "$css" | sed -e "s|^url(\"\\?${prefix}||" | sort -u); do
    if is_crown_image "$name"; then
      echo "build.sh: $css references crown image $name" >&2
      exit 1
    fi
    cp "$src/$name" "$dest/$name"
  done
}

cd "$FRONTEND_DIR"
echo "==> npm ci"
npm ci --no-audit --no-fund

echo "==> cleaning previous build output"
rm -rf "$STATIC_DIR/govuk" "$STATIC_DIR/moj" "$STATIC_DIR/css/application.css"
mkdir -p "$STATIC_DIR/css" "$STATIC_DIR/govuk/assets/images" "$STATIC_DIR/moj/assets/images" "$ROOT_DIR/tests/browser"

echo "==> sass: scss/application.scss -> static/css/application.css"
npx --no-install sass \
  --pkg-importer=node \
  --load-path="$FRONTEND_DIR" \
  --quiet-deps \
  --no-source-map \
  --style=compressed \
  "$FRONTEND_DIR/scss/application.scss" "$STATIC_DIR/css/application.css"

if grep -q "GDS Transport\|@font-face" "$STATIC_DIR/css/application.css"; then
  echo "build.sh: application.css must not use the GDS Transport font" >&2
  exit 1
fi

echo "==> GOV.UK Frontend JS and assets"
copy_js_without_source_map "$GOVUK/govuk-frontend.min.js" "$STATIC_DIR/govuk/govuk-frontend.min.js"
copy_referenced_images "$STATIC_DIR/css/application.css" "/static/govuk/assets/images/" "$GOVUK/assets/images" "$STATIC_DIR/govuk/assets/images"

echo "==> MoJ Frontend JS and assets"
copy_js_without_source_map "$MOJ/moj-frontend.min.js" "$STATIC_DIR/moj/moj-frontend.min.js"
copy_referenced_images "$STATIC_DIR/css/application.css" "/static/moj/assets/images/" "$MOJ/assets/images" "$STATIC_DIR/moj/assets/images"

# Every url() in the stylesheet must resolve to a file under static/, or
# collectstatic with ManifestStaticFilesStorage fails.
for url in $(grep -o 'url("\?/static/[^)"]*' "$STATIC_DIR/css/application.css" | sed -e 's|^url("\?/static/||' | sort -u); do
  if [ ! -f "$STATIC_DIR/$url" ]; then
    echo "build.sh: application.css references missing static/$url" >&2
    exit 1
  fi
done

echo "==> axe-core for browser tests"
cp "$NODE_MODULES/axe-core/axe.min.js" "$ROOT_DIR/tests/browser/axe.min.js"

echo "==> done"
find "$STATIC_DIR/css" "$STATIC_DIR/govuk" "$STATIC_DIR/moj" "$ROOT_DIR/tests/browser/axe.min.js" -type f -exec ls -l {} \;
