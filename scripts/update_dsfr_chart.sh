#!/bin/sh
# Refresh the DSFR Chart files shipped under static/vendor/dsfr-chart/ from the npm registry
# (no CDN at run time). Usage: scripts/update_dsfr_chart.sh [version]
set -eu
VERSION="${1:-2.0.4}"
DEST="$(cd "$(dirname "$0")/.." && pwd)/static/vendor/dsfr-chart"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm pack --silent "@gouvfr/dsfr-chart@$VERSION" >/dev/null
tar xzf gouvfr-dsfr-chart-*.tgz
mkdir -p "$DEST"
# One ES module with every chart component (Vue and Chart.js inside) and its stylesheet.
cp package/dist/DSFRChart/DSFRChart.js package/dist/DSFRChart/DSFRChart.css "$DEST/"
cp package/LICENSE* "$DEST/" 2>/dev/null || true
echo "$VERSION" > "$DEST/VERSION"
echo "DSFR Chart $VERSION copied to $DEST"
