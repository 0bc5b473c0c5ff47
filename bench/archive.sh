# bench stage "archive" (sourced by bench/run, which see): events to daily
# archives, and their verification.  logbook-archive on the NDJSON of the
# 1,000,000-line benchmark log (3 days) against gzip -6, tar czf and pigz
# compressing the same NDJSON; logbook-verify on the largest archive
# against tar xzOf ARCHIVE events.ndjson | wc -l; peak memory of both.
#
# Goals: logbook-archive at least 2x the speed of tar czf, its archives no
# larger than gzip -6 makes of the same bytes (each archive's tar stream:
# events, hourly rows, manifest); logbook-verify at least as fast as
# tar xzOf | wc -l; logbook-archive's memory within 64 MiB plus 48 bytes
# per event of the largest date (its hourly rows aside, see
# logbook-archive(1)).

LINES=1000000
LOG=$OUT/access-1m.log
EV=$OUT/events-1m.ndjson
ARCH=$OUT/arch
GOAL_TAR=2
GOAL_VERIFY=1

if [ ! -s "$LOG" ]; then
	echo "generating $LOG" >&2
	gen "$LOG" logbook-genlog --lines $LINES --seed 1 --days 3 || exit 1
fi
if [ ! -s "$EV" ] || [ "$EV" -ot "$LOG" ]; then
	echo "generating $EV" >&2
	gen "$EV" logbook-ingest -q "$LOG" || exit 1
fi
peer /usr/bin/time time || exit 1
peer gzip gzip || exit 1
peer tar tar || exit 1
peer hyperfine hyperfine || true

# The contenders, side by side: each writes the same NDJSON compressed.
set -- logbook-archive "rm -rf '$ARCH' && logbook-archive -d '$ARCH' \
'$EV' >/dev/null" \
    "gzip -6" "gzip -6 -c '$EV' >'$OUT/events.gz'" \
    "tar czf" "tar -czf '$OUT/events.tar.gz' -C '$OUT' events-1m.ndjson"
have_pigz=0
if peer pigz pigz; then
	have_pigz=1
	set -- "$@" "pigz -6" "pigz -6 -c '$EV' >'$OUT/events.pigz.gz'"
fi
measure "$OUT/archive.json" "$@" >"$OUT/archive.times" || exit 1
rm -rf "$ARCH"
logbook-archive -d "$ARCH" "$EV" >"$OUT/archive.out" || exit 1

# Sizes: ours, and gzip -6 of the very bytes each archive holds.
ours=0
same6=0
content=0
for a in $(cut -f 1 "$OUT/archive.out"); do
	ours=$((ours + $(wc -c <"$a")))
	content=$((content + $(gzip -dc "$a" | wc -c)))
	same6=$((same6 + $(gzip -dc "$a" | gzip -6 | wc -c)))
done
evsize=$(wc -c <"$EV")
gz6=$(wc -c <"$OUT/events.gz")
tgz=$(wc -c <"$OUT/events.tar.gz")
pgz=-
[ $have_pigz = 1 ] && pgz=$(wc -c <"$OUT/events.pigz.gz")

# Verify: the largest archive, against counting its events with tar.
big=$(ls -S $(cut -f 1 "$OUT/archive.out") | head -n 1)
measure "$OUT/verify.json" logbook-verify "logbook-verify -q '$big'" \
    "tar xzOf | wc -l" "tar -xzOf '$big' events.ndjson | wc -l >/dev/null" \
    >"$OUT/verify.times" || exit 1

# Checks: every event archived once, every archive verifies.
n_arch=$(awk -F '\t' '{ n += $2 } END { print n }' "$OUT/archive.out")
n_ver=$(logbook-verify "$ARCH" | tail -n 1)
rss_a=$(peak_rss sh -c "rm -rf '$ARCH' && logbook-archive -d '$ARCH' '$EV'") ||
    exit 1
rss_v=$(peak_rss logbook-verify -q "$big") || exit 1
maxday=$(awk -F '\t' '$2 > m { m = $2 } END { print m }' "$OUT/archive.out")

peers="logbook-archive $(logbook-archive --version | cut -d ' ' -f 2)"
peers="$peers, $(gzip --version | head -n 1), $(tar --version | head -n 1)"
[ $have_pigz = 1 ] && peers="$peers, $(pigz --version 2>&1 | head -n 1)"
command -v hyperfine >/dev/null 2>&1 && peers="$peers, $(hyperfine --version)"
peers="$peers; $(nproc) cores"
how="one run"
command -v hyperfine >/dev/null 2>&1 && how="hyperfine median of 3 runs"
cat "$OUT/archive.times" "$OUT/verify.times" | awk -v lines=$LINES \
    -v evsize="$evsize" -v ours="$ours" -v same6="$same6" \
    -v content="$content" -v gz6="$gz6" -v tgz="$tgz" -v pgz="$pgz" \
    -v n_arch="$n_arch" -v n_ver="$n_ver" -v rss_a="$rss_a" \
    -v rss_v="$rss_v" -v maxday="$maxday" -v g_tar=$GOAL_TAR \
    -v g_ver=$GOAL_VERIFY -v how="$how" -v peers="$peers" -v big="$big" \
    "$(cat "$TOP/bench/table.awk")"'
END {
	lb = t["logbook-archive"]
	printf "\narchive: %d events, %.1f MB of NDJSON, 3 days, %s\n",
	    lines, evsize / 1e6, how
	printf "peers: %s\n\n", peers
	printf "%-18s %9s %9s %10s %10s %12s\n", "tool", "seconds", "cpu s",
	    "MB/s in", "ratio", "logbook is"
	for (i = 1; i <= n; i++) {
		c = order[i]
		if (c == "logbook-verify" || c ~ /^tar xzOf/)
			continue
		r = c == "logbook-archive" ? ours / content : \
		    c == "gzip -6" ? gz6 / evsize : c == "tar czf" ? \
		    tgz / evsize : pgz / evsize
		printf "%-18s %9.3f %9s %10.1f %10.4f", c, t[c],
		    cpu[c] == "-" ? "-" : sprintf("%.3f", cpu[c]),
		    evsize / t[c] / 1e6, r
		if (c != "logbook-archive")
			printf " %11.2fx", t[c] / lb
		printf "\n"
	}
	printf "(logbook-archive ratio: archives / their tar streams, %.1f MB " \
	    "holding the events, hourly rows and manifests)\n", content / 1e6
	printf "\nverify %s\n", big
	printf "%-18s %9.3f %9s\n", "logbook-verify", t["logbook-verify"],
	    cpu["logbook-verify"]
	printf "%-18s %9.3f %9s %10.2fx\n", "tar xzOf | wc -l",
	    t["tar xzOf | wc -l"], cpu["tar xzOf | wc -l"],
	    t["tar xzOf | wc -l"] / t["logbook-verify"]
	printf "\n%-52s %-16s %s\n", "goal", "measured", ""
	printf "%-52s %-16s %s\n", ">= " g_tar "x the speed of tar czf",
	    sprintf("%.2fx", t["tar czf"] / lb),
	    verdict(t["tar czf"] / lb >= g_tar)
	printf "%-52s %-16s %s\n", "archives <= gzip -6 of the same bytes",
	    sprintf("%.1f%% of it", 100 * ours / same6),
	    verdict(ours <= same6)
	printf "%-52s %-16s %s\n", "ratio <= gzip -6 on the NDJSON",
	    sprintf("%.4f/%.4f", ours / content, gz6 / evsize),
	    verdict(ours / content <= gz6 / evsize)
	v = t["tar xzOf | wc -l"] / t["logbook-verify"]
	printf "%-52s %-16s %s\n", "logbook-verify >= " g_ver \
	    "x tar xzOf | wc -l", sprintf("%.2fx", v), verdict(v >= g_ver)
	bound = 64 * 1024 + maxday * 48 / 1024
	printf "%-52s %-16s %s\n", sprintf("archive peak RSS <= 64 MiB + 48 B" \
	    " x %d events (%.0f MiB)", maxday, bound / 1024),
	    sprintf("%.1f MiB", rss_a / 1024), verdict(rss_a <= bound)
	printf "%-52s %-16s\n", "verify peak RSS", sprintf("%.1f MiB",
	    rss_v / 1024)
	printf "\n%-52s %-16s %s\n", "check", "counted", ""
	printf "%-52s %-16s %s\n", "every event archived", n_arch,
	    n_arch == lines ? "ok" : "WRONG"
	printf "%-52s %s\n", "logbook-verify of the archives", n_ver
}'

[ "$n_arch" = $LINES ] || exit 1
[ "$n_ver" = "total: 3 archives, 3 ok, 0 failed, $LINES events" ] || exit 1
