#!/bin/sh
# Build the seed corpora of the fuzz targets: build/fuzz/seeds/NAME/,
# one file per input, made from bin/logbook-genlog, logbook-ingest,
# logbook-archive and logbook-aggregate, the golden tests and
# ../shared/corpus.  Generated, never committed; run from anywhere.
# Usage: tests/fuzz/seeds.sh [outdir]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build/fuzz/seeds}
PATH=$top/bin:$PATH
LC_ALL=C
TZ=UTC
export PATH LC_ALL TZ
corpus=$top/../shared/corpus
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lbseeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

for p in genlog ingest archive aggregate; do
	[ -x "$top/bin/logbook-$p" ] || {
		echo "seeds.sh: bin/logbook-$p missing: run make" >&2
		exit 1
	}
done
for t in roundtrip logformat evjson manifest aggmerge monthly archive \
	archive_tar; do
	rm -rf "${out:?}/$t"
	mkdir -p "$out/$t"
done

# lines FILE DIR PREFIX MAX: the first MAX lines of FILE, one seed each,
# without their newline.
lines() {
	head -n "$4" "$1" | awk -v d="$2" -v p="$3" \
		'{ f = sprintf("%s/%s%04d", d, p, NR); printf "%s", $0 > f; close(f) }'
}

# Log lines: every format genlog writes, good and malformed, and the
# corpus of logs from other projects.
: >"$tmp/logs"
for f in combined common vhost_combined nginx; do
	logbook-genlog --format "$f" --lines 40 --bad-rate 0.2 --seed 7 \
		>"$tmp/log.$f"
	cat "$tmp/log.$f" >>"$tmp/logs"
	lines "$tmp/log.$f" "$out/roundtrip" "gen-$f-" 40
done
logbook-genlog --format combined --lines 20 --tz -0730 --seed 3 >"$tmp/log.tz"
lines "$tmp/log.tz" "$out/roundtrip" gen-tz- 20
i=0
if [ -d "$corpus" ]; then
	find "$corpus" -type f ! -name '*.md' | sort >"$tmp/corpus"
	while IFS= read -r f; do
		i=$((i + 1))
		lines "$f" "$out/roundtrip" "corpus$i-" 15
		head -n 15 "$f" >>"$tmp/logs"
	done <"$tmp/corpus"
fi
for f in "$top"/tests/golden/ingest/*/stdin; do
	[ -f "$f" ] || continue
	i=$((i + 1))
	lines "$f" "$out/roundtrip" "golden$i-" 10
	head -n 10 "$f" >>"$tmp/logs"
done

# Format specs, each with a line after its newline: the named formats'
# and those the golden tests give, paired with lines of every kind.
clf='%h %l %u %t "%r" %>s %b'
comb="$clf \"%{Referer}i\" \"%{User-Agent}i\""
# shellcheck disable=SC2016 # nginx variables, not the shell's
ngx='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"'
# shellcheck disable=SC2016
{
	printf '%s\n' "$clf" "$comb" "$comb %D" "$comb %{+}" "%v:%p $comb" \
		"%v $comb" "$ngx" "$ngx \$request_time" \
		"$ngx \$request_time \$upstream_response_time" \
		"$ngx \"\$http_x_forwarded_for\"" \
		'%a %{%Y-%m-%dT%H:%M:%S%z}t %m %U%q %H %s %O %T %{ms}T %{us}T' \
		'$remote_addr [$time_iso8601] $msec "$request_method $uri?$args $server_protocol" $status $bytes_sent $host'
	sed -n "s/^logbook-ingest.* -f '\(.*\)'.*/\1/p" \
		"$top"/tests/golden/ingest/*/cmd
} >"$tmp/specs"
n=0
while IFS= read -r spec; do
	n=$((n + 1))
	awk -v d="$out/logformat" -v n="$n" -v s="$spec" \
		'NR % 7 == n % 7 { f = sprintf("%s/spec%02d-%03d", d, n, NR);
		printf "%s\n%s", s, $0 > f; close(f) }' "$tmp/logs"
	printf '%s' "$spec" >"$out/logformat/spec$n-alone"
done <"$tmp/specs"

# Events: ingested from every log, with and without a source label,
# in custom formats, with CR LF endings (events keep the line whole).
: >"$tmp/events"
for f in "$tmp"/log.*; do
	logbook-ingest -q "$f" >>"$tmp/events" || true
	logbook-ingest -q -s web1 "$f" | head -n 5 >>"$tmp/events" || true
done
logbook-ingest -q -f "$comb %D" "$tmp/log.combined" | head -n 5 \
	>>"$tmp/events" || true
logbook-ingest -q -f "$comb %{X-Id}o %{+}" "$tmp/log.combined" | head -n 5 \
	>>"$tmp/events" || true
sed 's/$/\r/' "$tmp/log.common" | logbook-ingest -q | head -n 5 \
	>>"$tmp/events" || true
logbook-ingest -q "$tmp/logs" | awk 'NR % 5 == 0' >>"$tmp/events" || true
lines "$tmp/events" "$out/evjson" ev- 400

# Archives: daily ones of a few sizes over two days, and the monthly one
# made of their hourly rows; their MANIFEST and hourly.ndjson members.
mk() { # mk DIR GENLOG-ARGS...
	d=$1
	shift
	logbook-genlog "$@" | logbook-ingest -q -s web1 |
		logbook-archive -l 1 -d "$d" >/dev/null
}
mk "$tmp/a1" --lines 6 --days 2 --seed 1
mk "$tmp/a2" --lines 60 --days 2 --seed 2 --format nginx
mk "$tmp/a3" --lines 1 --seed 3
logbook-genlog --lines 8 --seed 4 --bad-rate 0.5 | logbook-ingest -q |
	logbook-archive -l 1 -d "$tmp/a4" >/dev/null
i=0
find "$tmp"/a? -name '*.tar.gz' | sort >"$tmp/daily"
while IFS= read -r a; do
	i=$((i + 1))
	cp "$a" "$out/archive/daily$i.tar.gz"
	gzip -dc "$a" >"$out/archive_tar/daily$i.tar"
	tar -xzOf "$a" MANIFEST >"$out/manifest/daily$i"
	tar -xzOf "$a" hourly.ndjson >"$tmp/hourly$i"
	cp "$tmp/hourly$i" "$out/monthly/hourly$i"
done <"$tmp/daily"
grep /a2/ "$tmp/daily" | while IFS= read -r a; do
	tar -xzOf "$a" hourly.ndjson
done >"$tmp/hourly.all"
logbook-archive --hourly -l 1 -d "$tmp/m" "$tmp/hourly.all" >/dev/null
a=$tmp/m/2025/10/logbook-2025-10.hourly.tar.gz
cp "$a" "$out/archive/monthly.tar.gz"
gzip -dc "$a" >"$out/archive_tar/monthly.tar"
tar -xzOf "$a" MANIFEST >"$out/manifest/monthly"
tar -xzOf "$a" hourly.ndjson >"$out/monthly/monthly"
printf '%s\n' 'logbook-manifest 1' 'date 2025-10-13' 'events 0' \
	'hourly_rows 0' 'first -' 'last -' 'sources -' \
	'created_by logbook-archive 0.1.0' \
	"$(printf '' | sha256sum | cut -c1-64)  events.ndjson" \
	"$(printf '' | sha256sum | cut -c1-64)  hourly.ndjson" \
	>"$out/manifest/empty"

# Partial rows: of each key set and bucket, whole and in pieces.
logbook-ingest -q "$tmp/logs" >"$tmp/all.ndjson" 2>/dev/null || true
n=0
for by in method,path status class ip host src ua method,status,ua; do
	for b in hour day all; do
		n=$((n + 1))
		logbook-aggregate -j 1 -p -b "$by" --bucket "$b" \
			"$tmp/all.ndjson" >"$tmp/p" 2>/dev/null || true
		head -n 12 "$tmp/p" >"$out/aggmerge/p$n-head"
		awk 'NR % 9 == 1' "$tmp/p" >"$out/aggmerge/p$n-some"
		head -n 1 "$tmp/p" >"$out/aggmerge/p$n-one"
	done
done
# Rows of all time beside hourly ones: merged into them, or refused.
logbook-aggregate -j 1 -p --bucket all "$tmp/all.ndjson" 2>/dev/null |
	head -n 3 >"$tmp/pa"
logbook-aggregate -j 1 -p "$tmp/all.ndjson" 2>/dev/null | head -n 3 >"$tmp/ph"
cat "$tmp/pa" "$tmp/ph" >"$out/aggmerge/all-then-hours"
cat "$tmp/ph" "$tmp/pa" >"$out/aggmerge/hours-then-all"
logbook-aggregate -j 1 -p "$tmp/events" >"$out/aggmerge/events" \
	2>/dev/null || true
for f in "$top"/tests/golden/aggregate/*/stdout; do
	grep -q '"partial":1' "$f" || continue
	cp "$f" "$out/aggmerge/golden-$(basename "$(dirname "$f")")"
done
for d in "$out"/*; do
	echo "seeds: $(basename "$d"): $(find "$d" -type f | wc -l) inputs" >&2
done
