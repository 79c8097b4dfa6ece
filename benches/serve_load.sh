#!/usr/bin/env bash
# Load test of `threatgraph serve` (docs/workspace.md, "Load"): builds the release binary,
# generates (or reuses) the synthetic data folders, starts the server from its snapshot on
# loopback, waits until it answers, then runs wrk (a real HTTP load generator, 50 concurrent
# connections for 60 s by default) on each of search, card, expand and path with many different
# requests (entities sampled across the whole folder, names typed in part or whole, random
# pairs), checks that expanding the biggest hub returns a bounded, ranked page, reads the
# server's peak memory (VmHWM), stops it and prints one table.
#
#   bash benches/serve_load.sh                         # 100k and 1M entities, 60 s each
#   SIZES=100000 DURATION=10 bash benches/serve_load.sh   # a quick check
#
# Needs wrk (Debian's `wrk`; installed here with apt-get when missing and run as root), curl
# and jq. Synthetic folders go to target/synth-N (1M: 593 MB; kept for the next run), the
# snapshots to $THREATGRAPH_CACHE (default target/snapshot-cache), the raw output of every
# run to target/serve-load/.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100000 1000000"}
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
SAMPLE=${SAMPLE:-2000}
export THREATGRAPH_CACHE=${THREATGRAPH_CACHE:-$PWD/target/snapshot-cache}
OUT=target/serve-load
mkdir -p "$OUT"

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "serve_load: needs wrk (apt-get install wrk)" >&2
    exit 2
  fi
fi
for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "serve_load: needs $tool" >&2; exit 2; }
done

echo "== build (release)" >&2
cargo build --release --quiet --bin threatgraph --example synth
BIN=$PWD/target/release/threatgraph

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -INT "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
trap stop_server EXIT INT TERM

# Percent-encodes stdin line by line (names are ASCII, but say nothing of it).
urlencode() {
  LC_ALL=C awk 'BEGIN { for (i = 0; i < 256; i++) ord[sprintf("%c", i)] = i }
    { out = ""; for (i = 1; i <= length($0); i++) { c = substr($0, i, 1);
        if (c ~ /[A-Za-z0-9._~-]/) out = out c; else out = out sprintf("%%%02X", ord[c]) }
      print out }'
}

ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

table="$OUT/table.txt"
: >"$table"
printf '%-9s %-7s %9s %9s %9s %9s %9s %7s\n' entities endpoint requests 'req/s' 'p50 ms' 'p99 ms' 'max ms' errors >>"$table"
notes="$OUT/notes.txt"
: >"$notes"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$notes"

for N in $SIZES; do
  dir=target/synth-$N
  if [ ! -f "$dir/sources.ron" ]; then
    echo "== generate $dir" >&2
    rm -rf "$dir"
    target/release/examples/synth --entities "$N" --seed 1 --out "$dir" >&2
  fi

  # Request lists, the same every run: SAMPLE entities spread over the whole folder.
  lists=$OUT/lists-$N
  mkdir -p "$lists"
  if [ ! -s "$lists/path.txt" ]; then
    echo "== request lists for $N entities" >&2
    LC_ALL=C grep -ho 'id: "[^"]*", name: "[^"]*"' "$dir"/curated/entities-*.ron |
      sed 's/^id: "\([^"]*\)", name: "\([^"]*\)"$/\1\t\2/' >"$lists/all.tsv"
    total=$(wc -l <"$lists/all.tsv")
    step=$(( total / SAMPLE > 0 ? total / SAMPLE : 1 ))
    # A fixed stride (prime to the file layout) picks people, groups, places and events alike.
    awk -F'\t' -v step="$step" -v max="$SAMPLE" 'NR % step == 1 && ++n <= max' "$lists/all.tsv" >"$lists/sample.tsv"
    cut -f1 "$lists/sample.tsv" | urlencode >"$lists/ids"
    # Search as an analyst types: a whole name, its first word, or its first five letters.
    cut -f2 "$lists/sample.tsv" |
      awk '{ k = NR % 3; if (k == 0) print; else if (k == 1) print $1; else print substr($0, 1, 5) }' |
      urlencode | sed 's|^|/api/search?limit=12\&q=|' >"$lists/search.txt"
    sed 's|^|/api/card?id=|' "$lists/ids" >"$lists/card.txt"
    sed 's|^|/api/expand?limit=25\&id=|' "$lists/ids" >"$lists/expand.txt"
    # Paths between entities far apart in the list (a random pair, the same every run).
    half=$(( $(wc -l <"$lists/ids") / 2 ))
    paste -d' ' "$lists/ids" <(tail -n +"$((half + 1))" "$lists/ids"; head -n "$half" "$lists/ids") |
      awk '{ print "/api/path?from=" $1 "&to=" $2 }' >"$lists/path.txt"
    # The biggest hub: the id at the most link ends. (No `head` in these pipelines: under
    # pipefail the writer it cuts off would stop the script.)
    LC_ALL=C grep -hoE '(from|to): "[^"]*"' "$dir"/curated/links-*.ron | sed 's/^[a-z]*: "\(.*\)"$/\1/' |
      LC_ALL=C sort | LC_ALL=C uniq -c | sort -rn | awk 'NR == 1 { print $2 "\t" $1 }' >"$lists/hub.tsv"
    rm -f "$lists/all.tsv"
  fi

  # The snapshot: the first run on a folder writes it; the server then starts from it.
  first_id=$(head -n 1 "$lists/ids")
  "$BIN" --data "$dir" show "$first_id" >/dev/null

  echo "== serve $N entities" >&2
  log=$OUT/server-$N.log
  started=$(date +%s.%N)
  "$BIN" --data "$dir" serve --port 0 >"$log" 2>&1 &
  SERVER_PID=$!
  url=
  for _ in $(seq 1200); do
    url=$(grep -o 'http://[^ ]*' "$log" | head -n 1 || true)
    [ -n "$url" ] && curl -fsS "${url}api/info" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  ready=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  rss_start=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")
  base=${url%/}

  # The biggest hub: a bounded, ranked page that says how many are left; its card is bounded too.
  IFS=$'\t' read -r hub hub_ends <"$lists/hub.tsv"
  hub_q=$(printf '%s\n' "$hub" | urlencode)
  curl -fsS "$base/api/expand?limit=25&id=$hub_q" >"$OUT/hub-expand-$N.json"
  curl -fsS "$base/api/card?id=$hub_q" >"$OUT/hub-card-$N.json"
  jq -r --arg n "$N" --arg hub "$hub" --arg ends "$hub_ends" --arg bytes "$(wc -c <"$OUT/hub-expand-$N.json")" \
    '"\($n) entities: expanding the biggest hub `\($hub)` (\($ends) link ends): \(.nodes | length) neighbours in \($bytes) bytes, ranked by certainty then degree (first: \(.nodes[0].name), degree \(.nodes[0].degree)), total \(.total), left \(.left)"' \
    "$OUT/hub-expand-$N.json" >>"$notes"
  jq -r --arg n "$N" --arg bytes "$(wc -c <"$OUT/hub-card-$N.json")" \
    '"\($n) entities: its card lists \(.card.links | length) of \(.links_total) links (\($bytes) bytes)"' \
    "$OUT/hub-card-$N.json" >>"$notes"

  for endpoint in search card expand path; do
    echo "== wrk $endpoint, $N entities, ${CONNECTIONS} connections, ${DURATION} s" >&2
    raw=$OUT/wrk-$N-$endpoint.txt
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency \
      -s benches/serve_load.lua "$base" -- "$lists/$endpoint.txt" >"$raw"
    line=$(grep '^RESULT' "$raw")
    val() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<" $line"; }
    requests=$(val requests)
    errors=$(( $(val connect) + $(val read) + $(val write) + $(val status) + $(val timeout) ))
    rps=$(awk -v r="$requests" -v d="$(val duration_us)" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
    printf '%-9s %-7s %9s %9s %9s %9s %9s %7s\n' "$N" "$endpoint" "$requests" "$rps" \
      "$(ms "$(val p50_us)")" "$(ms "$(val p99_us)")" "$(ms "$(val max_us)")" "$errors" >>"$table"
  done

  peak=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")
  echo "$N entities: ready in $ready s from the snapshot ($rss_start MB resident); peak memory (VmHWM) over the four runs $peak MB" >>"$notes"
  stop_server
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$notes"
echo "commit $(git rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $SAMPLE different requests per endpoint" >>"$notes"
cat "$table" "$notes"
