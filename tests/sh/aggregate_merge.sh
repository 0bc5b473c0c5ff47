# Scale-out: merging the partial rows of any split of the events gives
# the rows of one run over them all, byte for byte (so requests, bytes,
# statuses, first and last exactly, distinct IPs and percentiles too).
# On the real logs of ../shared/corpus and on a generated log with rt.
. "$TOP/tests/lib.sh"
C=$SHARED/corpus
[ -d "$C" ] || { skip "aggregate merge: $C is missing"; exit 0; }

logbook-ingest -q "$C/elastic-examples-apache/apache_logs" >apache.ndjson
logbook-ingest -q "$C/nasa-http-aug95/NASA_access_log_Aug95.first1880" \
    >nasa.ndjson
logbook-ingest -q "$C/lnav-shop-nginx/logfile_shop_access_log.0" >shop.ndjson
cat "$C"/lnav-fixtures/* "$C"/beats-fixtures/* |
    logbook-ingest -q >fixtures.ndjson
logbook-genlog --lines 30000 --days 2 --seed 3 --format nginx |
    logbook-ingest >gen.ndjson
cat apache.ndjson nasa.ndjson shop.ndjson fixtures.ndjson gen.ndjson \
    >all.ndjson

# split_merge FILE K OPTIONS...: partial rows of K interleaved parts,
# merged without options (the partial rows carry their keys).
split_merge() {
	_f=$1
	_k=$2
	shift 2
	rm -f part.*
	split -n "r/$_k" "$_f" part.
	for _p in part.*; do
		logbook-aggregate --partial "$@" "$_p" || return 1
	done >partials
	logbook-aggregate --merge partials
}

for f in apache nasa shop fixtures gen all; do
	for opts in "" "--by status,class --bucket day" "--by ip" \
	    "--by ua,method,host,src --normalize" "--by path --bucket all"; do
		# shellcheck disable=SC2086
		logbook-aggregate $opts $f.ndjson >whole
		bad=
		for k in 1 2 3 4 5 6 7 8; do
			# shellcheck disable=SC2086
			split_merge $f.ndjson $k $opts >merged &&
			    cmp -s whole merged || bad="$bad $k"
		done
		check_eq "aggregate merge: $f ${opts:-(default)}: K=1..8 parts" \
		    "$bad" ""
	done
done

# Hourly and daily partial rows roll up into rows of all time; --top and
# a range of whole days apply to merged rows as to events.
logbook-aggregate --bucket all --by method all.ndjson >whole
for b in hour day; do
	split_merge all.ndjson 3 --bucket $b >/dev/null
	logbook-aggregate -m --bucket all --by method partials >merged
	same_file "aggregate merge: $b rows merged into rows of all time" \
	    whole merged
done
logbook-aggregate --top 4 --by path gen.ndjson >whole
split_merge gen.ndjson 4 --by path >/dev/null
logbook-aggregate -m --top 4 partials >merged
same_file "aggregate merge: --top of merged rows" whole merged
logbook-aggregate --from 2025-10-14 --to 2025-10-14 gen.ndjson >whole
split_merge gen.ndjson 4 >/dev/null
logbook-aggregate -m --from 2025-10-14 --to 2025-10-14 partials >merged \
    2>err
check_eq "aggregate merge: a range of days: exit status" "$?" 0
same_file "aggregate merge: a range of days" whole merged
check "aggregate merge: a range of days: some rows left out" \
    test "$(wc -l <merged)" -lt "$(wc -l <partials)"

# Contiguous parts, and a combiner: partial rows merged into partial rows.
logbook-aggregate all.ndjson >whole
rm -f part.*
split -n l/5 all.ndjson part.
for p in part.*; do logbook-aggregate -p "$p"; done >partials
logbook-aggregate -m -p partials >combined
logbook-aggregate -m combined >merged
same_file "aggregate merge: contiguous parts through a combiner" whole merged
check "aggregate merge: the combiner made fewer rows" \
    test "$(wc -l <combined)" -lt "$(wc -l <partials)"

# Hadoop Streaming, by hand: three map tasks, rows shuffled to two
# reducers by their hour, each reducer's part sorted by its rows.
rm -f part.* red.*
split -n l/3 all.ndjson part.
for p in part.*; do logbook-aggregate --partial "$p"; done | sort |
    awk '{ h = substr($0, 20, 2) % 2; print > ("red." h) }'
for r in red.*; do logbook-aggregate --merge "$r"; done | sort >merged
sort whole >whole.sorted
same_file "aggregate merge: mapper, shuffle and two reducers" whole.sorted \
    merged

if command -v parallel >/dev/null 2>&1; then
	parallel --pipepart --block 1M -a all.ndjson -j 2 \
	    logbook-aggregate --partial | logbook-aggregate --merge >merged
	same_file "aggregate merge: GNU parallel --pipepart" whole merged
else
	ok "aggregate merge: GNU parallel --pipepart # SKIP no parallel"
fi
