# logbook-restore --emit: the lines given back byte for byte, from the
# real logs of ../shared/corpus and from archives of mixed formats; the
# CSV read back by SQLite; the man page's queries on their indexes.
. "$TOP/tests/lib.sh"

# --- the corpus: ingest every file, archive all, emit original; the
# sorted lines are the sorted accepted lines of the input
C=$SHARED/corpus
if [ -d "$C" ]; then
	: >corpus.in
	: >corpus.rej
	: >corpus.ndjson
	for f in $(cd "$C" && find . -type f ! -name 'README*' | sort); do
		# A label per file: two of them begin with the same line,
		# which without one gives the same ids (logbook-events(5)).
		logbook-ingest -q -s "$f" -r rej.log "$C/$f" >>corpus.ndjson
		cat rej.log >>corpus.rej
		cat "$C/$f" >>corpus.in
	done
	logbook-archive -d corpus corpus.ndjson >/dev/null
	logbook-restore --emit original corpus >corpus.out
	check_eq "corpus: emit original exits 0" "$?" 0
	check_eq "corpus: as many lines as events" "$(wc -l <corpus.out)" \
	    "$(wc -l <corpus.ndjson)"
	cat corpus.out corpus.rej | sort >got.sorted
	sort corpus.in >want.sorted
	same_file "corpus: emitted and rejected lines are the input" \
	    got.sorted want.sorted
	check "corpus: archives of several formats" \
	    [ "$(grep -o '"fmt":"[^"]*"' corpus.ndjson | sort -u | wc -l)" -ge 3 ]
else
	skip "restore emit of the corpus: $C is missing"
fi

# --- generated logs of four formats on the same days, one archive per
# day holding all four, some lines ending in CR LF
: >mixed.in
: >mixed.ndjson
for f in combined common vhost_combined nginx; do
	logbook-genlog --format $f --lines 3000 --days 2 --seed 11 >$f.log
	cat $f.log >>mixed.in
	logbook-ingest -q $f.log >>mixed.ndjson
done
logbook-genlog --lines 500 --days 2 --seed 12 --tz +0530 |
    sed 's/$/\r/' >crlf.log
cat crlf.log >>mixed.in
logbook-ingest -q crlf.log >>mixed.ndjson
logbook-archive -d mixed mixed.ndjson >/dev/null
check_eq "mixed: two archives" "$(find mixed -name '*.tar.gz' | wc -l)" 2
logbook-restore --emit original mixed | sort >got.sorted
sort mixed.in >want.sorted
same_file "mixed: every line back byte for byte" got.sorted want.sorted
check_eq "mixed: each archive holds every format" \
    "$(for a in mixed/*/*/*.tar.gz; do
	tar xzOf "$a" events.ndjson | grep -o '"fmt":"[^"]*"' | sort -u |
	    wc -l
    done | tr '\n' ' ')" "4 4 "

# --- other formats: every event, one line each, in the target format
for f in combined common nginx ndjson; do
	check_eq "mixed: --emit $f gives a line per event" \
	    "$(logbook-restore --emit $f mixed | wc -l)" 12500
done
logbook-restore --emit combined mixed | logbook-ingest -q -f combined \
    >recombined.ndjson
check_eq "mixed: --emit combined reads back as combined, every line" \
    "$(wc -l <recombined.ndjson)" 12500

# --- CSV into sqlite3, against the database restore writes
logbook-restore -q -d m.db mixed
logbook-restore --emit csv mixed >m.csv
sqlite3 -batch c.db ".import --csv m.csv ev"
check_eq "csv: sqlite3 imports as many rows" \
    "$(sqlite3 c.db 'SELECT count(*) FROM ev')" 12500
check_eq "csv: ids, paths, uas, sizes and nulls as in the database" \
    "$(sqlite3 c.db "ATTACH 'm.db' AS m;
    SELECT count(*) FROM ev JOIN m.events AS e USING (id)
    WHERE ev.path = coalesce(e.path, '') AND ev.ua = coalesce(e.ua, '')
    AND ev.bytes = coalesce(CAST(e.bytes AS TEXT), '')
    AND ev.cr = CAST(e.cr AS TEXT)")" 12500

# --- the man page's example queries run, on the indexes they need
plan() {
	sqlite3 -batch m.db "EXPLAIN QUERY PLAN $1" | tr '\n' ' '
}
y="ts >= '2025-10-13' AND ts < '2025-10-14'"
check "queries: top paths of a day use events_ts" sh -c "plan_out='$(plan \
    "SELECT path, count(*) AS n FROM events WHERE $y
    GROUP BY path ORDER BY n DESC LIMIT 10")'
    case \$plan_out in *'INDEX events_ts'*) exit 0 ;; esac; exit 1"
check "queries: 5xx per hour uses events_ts" sh -c "plan_out='$(plan \
    "SELECT strftime('%Y-%m-%d %H:00', ts) AS hour, count(*) FROM events
    WHERE $y AND status >= 500 GROUP BY hour")'
    case \$plan_out in *'INDEX events_ts'*) exit 0 ;; esac; exit 1"
check "queries: hourly rows of a day use its key" sh -c "plan_out='$(plan \
    "SELECT hour, sum(s5xx) FROM hourly
    WHERE hour >= '2025-10-13' AND hour < '2025-10-14' GROUP BY hour")'
    case \$plan_out in *'USING INDEX sqlite_autoindex_hourly'*) exit 0 ;;
    esac; exit 1"
check "queries: one path uses events_path" sh -c "plan_out='$(plan \
    "SELECT ts, ip, status FROM events WHERE path = '/login' ORDER BY ts")'
    case \$plan_out in *'INDEX events_path'*) exit 0 ;; esac; exit 1"
check_eq "queries: top path of a day" \
    "$(sqlite3 m.db "SELECT path FROM events WHERE $y
    GROUP BY path ORDER BY count(*) DESC, path LIMIT 1")" \
    "$(sqlite3 m.db "SELECT path FROM hourly
    WHERE hour >= '2025-10-13' AND hour < '2025-10-14'
    GROUP BY path ORDER BY sum(requests) DESC, path LIMIT 1")"
