#!/usr/bin/env bash
# Refreshes the JavaScript libraries the workspace (`threatgraph serve`) embeds, from the npm
# registry with `npm pack` (no install scripts run), into src/serve/assets/vendor/, with
# their licences and a VENDORED.md recording name, version and licence. Not run by CI: the
# files are committed, so neither the build nor the tests need Node or the network.
# Usage: bash .ci/vendor-js.sh   (change the versions below to move to newer releases)
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/serve/assets/vendor
# name@version  file-in-package
packages=(
  "cytoscape@3.35.0 dist/cytoscape.min.js"
  "layout-base@2.0.1 layout-base.js"
  "cose-base@2.2.0 cose-base.js"
  "cytoscape-fcose@2.2.0 cytoscape-fcose.js"
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
{
  echo "# Vendored JavaScript"
  echo
  echo "Written by \`.ci/vendor-js.sh\` from the npm registry; embedded in the binary by"
  echo "\`src/serve/assets.rs\`. Do not edit these files by hand: change the script and run it."
  echo
  echo "| package | version | licence | file |"
  echo "| --- | --- | --- | --- |"
} >"$tmp/VENDORED.md"
for entry in "${packages[@]}"; do
  read -r spec file <<<"$entry"
  name=${spec%@*}
  version=${spec##*@}
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$tmp/$name"
  tar xzf "$tmp/$name-$version.tgz" -C "$tmp/$name"
  licence=$(node -e "console.log(require('$tmp/$name/package/package.json').license)")
  cp "$tmp/$name/package/$file" "$out/$name.js"
  cp "$tmp/$name/package/LICENSE" "$out/$name.LICENSE"
  echo "| $name | $version | $licence | $name.js (from \`$file\`) |" >>"$tmp/VENDORED.md"
done
cp "$tmp/VENDORED.md" "$out/VENDORED.md"
echo "vendored into $out:"
ls -l "$out"
