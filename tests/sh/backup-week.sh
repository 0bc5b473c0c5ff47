# logbook-backup over a simulated week of logrotate: four sources rotated
# four ways (rename with delaycompress, dateext with compress, copytruncate,
# dateext with delaycompress), backed up daily, twice on one day, killed
# after archiving on another, killed while ingesting on a third, skipped
# on a fourth.  Every line must end up archived exactly once: as an event
# in the archives, or as a rejected line in the archive folder.
. "$TOP/tests/lib.sh"

w=$(pwd)
# A private copy of the script, so that wrappers next to it can stand in
# for the programs it runs (the script puts its own folder first in PATH).
mkdir -p bin lib scratch
cp "$TOP/bin/logbook-backup" bin/
cp "$TOP/lib/logbook.sh" lib/
for p in logbook-ingest logbook-archive logbook-verify; do
	real=$(command -v "$p") || {
		notok "backup-week: $p is not built"
		exit 0
	}
	# With kill.P present, the wrapper kills the script (its parent) the
	# way a crash or an OOM kill would, once, after doing its work.
	cat >"bin/$p" <<EOF
#!/bin/sh
"$real" "\$@"
rc=\$?
if [ -f "$w/kill.$p" ]; then
	rm -f "$w/kill.$p"
	kill -9 \$PPID
fi
exit \$rc
EOF
	chmod +x "bin/$p"
done

sources="num=$w/num/access.log.* date=$w/date/access.log-*"
sources="$sources copy=$w/copy/access.log.* late=$w/late/access.log-*"
cat >logbook.conf <<EOF
# the week's configuration
ARCHIVE_DIR=$w/archive
STATE_DIR=$w/state
METRICS_DIR=$w/metrics
SCRATCH_DIR=$w/scratch
SOURCES=$sources
EOF
mkdir -p metrics num date copy late
for s in num date copy late; do : >"$s/access.log"; done

backup() {
	bin/logbook-backup -c logbook.conf "$@"
}

# The week: 7 days of about 1,000 lines, 2% of them malformed.
days=7
logbook-genlog --lines 7000 --days $days --end 2025-10-20T00:00:00Z \
    --bad-rate 0.02 --stats >week.log 2>week.json
split -l 1000 -a 1 week.log day.
# split names the parts day.a, day.b, ...
set -- day.?
check_eq "backup-week: the week is 7 days" $# $days

# ---- logrotate, four ways ---------------------------------------------

# num: rename, rotate 5, compress, delaycompress:
#   access.log.1, access.log.2.gz ... access.log.5.gz
rotate_num() {
	(cd num &&
	rm -f access.log.5.gz &&
	for k in 4 3 2 1; do
		[ -f access.log.$k.gz ] && mv access.log.$k.gz access.log.$((k + 1)).gz
		[ -f access.log.$k ] && mv access.log.$k access.log.$((k + 1))
	done
	[ -f access.log.2 ] && gzip access.log.2
	mv access.log access.log.1 && : >access.log)
}

# date: dateext, compress without delay, rotate 7:
#   access.log-20251014.gz
rotate_date() {
	(cd date &&
	mv access.log "access.log-$1" && gzip "access.log-$1" && : >access.log
	ls access.log-*.gz | sort | head -n -7 | xargs rm -f)
}

# copy: copytruncate, rotate 5, compress, delaycompress: the live file is
# copied and emptied in place, never renamed.
rotate_copy() {
	(cd copy &&
	rm -f access.log.5.gz &&
	for k in 4 3 2 1; do
		[ -f access.log.$k.gz ] && mv access.log.$k.gz access.log.$((k + 1)).gz
		[ -f access.log.$k ] && mv access.log.$k access.log.$((k + 1))
	done
	[ -f access.log.2 ] && gzip access.log.2
	cp -p access.log access.log.1 && : >access.log)
}

# late: dateext, compress, delaycompress, rotate 10.
rotate_late() {
	(cd late &&
	for f in access.log-????????; do
		[ -f "$f" ] && gzip "$f"
	done
	mv access.log "access.log-$1" && : >access.log)
}

rotate_all() {
	rotate_num
	rotate_date "$1"
	rotate_copy
	rotate_late "$1"
}

# ---- the week ---------------------------------------------------------

d=0
for part in day.?; do
	d=$((d + 1))
	for s in num date copy late; do cat "$part" >>"$s/access.log"; done
	rotate_all "202510$((13 + d))"
	# the job runs at 02:15 UTC the day after the day's lines
	LOGBOOK_NOW=$((1760313600 + d * 86400 + 8100))
	export LOGBOOK_NOW
	case $d in
	2)
		backup
		check_eq "backup-week: day $d: first run" $? 0
		cp state/backup.state state.before
		backup
		check_eq "backup-week: day $d: second run the same day" $? 0
		same_file "backup-week: day $d: the second run changes no state record" \
		    state.before state/backup.state
		;;
	3)
		cp state/backup.state state.before
		: >kill.logbook-archive
		backup 2>kill.err
		check "backup-week: day $d: killed after archiving" \
		    test $? -ne 0 -a ! -f kill.logbook-archive
		same_file "backup-week: day $d: nothing recorded before the kill" \
		    state.before state/backup.state
		backup
		check_eq "backup-week: day $d: the rerun succeeds" $? 0
		;;
	4)
		;; # no backup today
	5)
		: >kill.logbook-ingest
		backup 2>kill.err
		check "backup-week: day $d: killed while ingesting" \
		    test $? -ne 0 -a ! -f kill.logbook-ingest
		;; # and not rerun until tomorrow
	*)
		backup
		check_eq "backup-week: day $d: backup" $? 0
		;;
	esac
done
backup
check_eq "backup-week: one more run after the week" $? 0

# ---- every line archived exactly once ---------------------------------

for a in $(find archive -name 'logbook-*.tar.gz' | sort); do
	tar -xzOf "$a" events.ndjson
done >all.ndjson
for s in num date copy late; do
	grep "\"src\":\"$s\"" all.ndjson >"$s.ndjson"
	lb-evline <"$s.ndjson" >"$s.lines"
	for r in archive/rejects/"$s"/*.log.gz; do
		[ -f "$r" ] && gzip -dc "$r"
	done >"$s.rejects"
	cat "$s.lines" "$s.rejects" | sort >"$s.got"
	sort week.log >want
	same_file "backup-week: $s: every line archived exactly once" \
	    "$s.got" want
	check_eq "backup-week: $s: events have distinct ids" \
	    "$(cut -d '"' -f 4 "$s.ndjson" | sort -u | wc -l)" \
	    "$(wc -l <"$s.ndjson")"
done
bad=$(sed 's/.*"rejectable": *\([0-9]*\).*/\1/' week.json)
check_eq "backup-week: rejected lines = the generator's malformed ones" \
    "$(cat num.rejects | wc -l)" "$bad"

# ---- the counters count each line once --------------------------------

for s in num date copy late; do
	check_eq "backup-week: $s: logbook_backup_events_total" \
	    "$(sed -n "s/^logbook_backup_events_total{source=\"$s\"} //p" \
	    metrics/logbook_backup.prom)" "$(wc -l <"$s.ndjson")"
	check_eq "backup-week: $s: logbook_backup_rejected_lines_total" \
	    "$(sed -n "s/^logbook_backup_rejected_lines_total{source=\"$s\"} //p" \
	    metrics/logbook_backup.prom)" "$(wc -l <"$s.rejects")"
done
check_eq "backup-week: logbook_backup_success" \
    "$(sed -n 's/^logbook_backup_success //p' metrics/logbook_backup.prom)" 1
check_eq "backup-week: no metrics file left half-written" \
    "$(ls -A metrics | tr '\n' ' ')" "logbook_backup.prom "
