#!/usr/bin/env bash
# make lighthouse: Lighthouse 12 (mobile preset) on the home page, the finder and a theme
# page, served as production serves them (gunicorn, DEBUG off, WhiteNoise's compressed
# static files) from a throwaway SQLite database with the seed content. Uses Debian's
# Chromium (CHROME_PATH); never downloads a browser. Prints the four scores per page and
# fails if accessibility or best practices are under 100, SEO under 95 or performance
# under 90. Reports go to benchmarks/lighthouse/reports/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${LIGHTHOUSE_PORT:-8010}"
PY="$ROOT/.venv/bin/python"
WORK="$(mktemp -d)"
REPORTS="$HERE/reports"
mkdir -p "$REPORTS"

test -x /usr/bin/chromium || { echo "Lighthouse needs Debian's Chromium: apt-get install -y chromium"; exit 1; }
test -x "$HERE/node_modules/.bin/lighthouse" || (cd "$HERE" && npm install --no-audit --no-fund --silent)

export DATABASE_URL="sqlite:///$WORK/lighthouse.sqlite3"
export DJANGO_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
export TOOLKIT_SITE_URL="https://localhost"  # links in emails; production settings need it
export DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_SECURE_HSTS_SECONDS=0
export DJANGO_DEBUG=false

cd "$ROOT"
"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_seed_content -v 0
"$ROOT/.venv/bin/gunicorn" reviews_toolkit.wsgi --bind "127.0.0.1:$PORT" --workers 2 \
  --log-level warning --pid "$WORK/gunicorn.pid" --daemon
trap 'kill "$(cat "$WORK/gunicorn.pid")" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz/" >/dev/null && break; sleep 0.2; done

export CHROME_PATH=/usr/bin/chromium
status=0
for page in "home:/" "finder:/practice-points/" "theme:/themes/professional-curiosity/"; do
  name="${page%%:*}"; path="${page#*:}"
  "$HERE/node_modules/.bin/lighthouse" "http://127.0.0.1:$PORT$path" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output=html --output-path="$REPORTS/$name" >/dev/null 2>&1 || true
  "$PY" - "$REPORTS/$name.report.json" "$name" <<'PYEOF' || status=1
import json, sys
report = json.load(open(sys.argv[1]))
scores = {key: round((cat["score"] or 0) * 100) for key, cat in report["categories"].items()}
floor = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 95}
line = " / ".join(f"{key} {scores[key]}" for key in floor)
print(f"{sys.argv[2]:7} {line}")
low = [key for key, minimum in floor.items() if scores[key] < minimum]
for key in low:
    for audit in report["categories"][key]["auditRefs"]:
        result = report["audits"][audit["id"]]
        if audit["weight"] and result["score"] is not None and result["score"] < 1:
            print(f"        {key}: {result['title']} ({result.get('displayValue', '')})")
sys.exit(1 if low else 0)
PYEOF
done
exit $status
