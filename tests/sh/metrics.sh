# The metrics of the three jobs: every file they write passes promtool
# check metrics, after a success and after a failure, and the values the
# alerting rules read hold: the time of the last success, which a failed
# run keeps (and leaves out before any success), and the newest event
# archived from each source.
. "$TOP/tests/lib.sh"

w=$(pwd)
for p in logbook-ingest logbook-archive logbook-verify logbook-restore; do
	command -v "$p" >/dev/null 2>&1 || {
		notok "metrics: $p is not built"
		exit 0
	}
done
if ! command -v promtool >/dev/null 2>&1; then
	notok "metrics: promtool is not installed (apt-get install prometheus)"
	exit 0
fi
export LOGBOOK_CONF=
export LOGBOOK_ARCHIVE_DIR="$w/archive"
export LOGBOOK_STATE_DIR="$w/state"
export LOGBOOK_METRICS_DIR="$w/metrics"
export LOGBOOK_SCRATCH_DIR="$w/scratch"
export LOGBOOK_SOURCES="web=$w/log/web.log.* api=$w/log/api.log.*"
mkdir -p log metrics scratch

# lint WHEN FILE: promtool check metrics on one file the jobs wrote.
lint() {
	if [ ! -f "metrics/$2.prom" ]; then
		notok "metrics: $1: no $2.prom"
		return 0
	fi
	if promtool check metrics <"metrics/$2.prom" >lint.out 2>&1; then
		ok "metrics: $1: $2.prom passes promtool check metrics"
	else
		notok "metrics: $1: $2.prom: $(head -n 3 lint.out | tr '\n' ' ')"
	fi
}

# value FILE SAMPLE: the value of SAMPLE (name and labels as written).
value() {
	awk -v n="$2" '$1 == n { print $2 }' "metrics/$1.prom"
}

# epoch_of_newest FILE SOURCE: the time of the newest event of a log.
epoch_of_newest() {
	_t=$(logbook-ingest -q -s "$2" "$1" |
	    sed 's/.*"ts":"\([^"]*\)".*/\1/' | sort | tail -n 1)
	date -u -d "$_t" +%s
}

end=1760918400 # 2025-10-20T00:00:00Z
day=86400
logbook-genlog --lines 2000 --days 2 --end 2025-10-20T00:00:00Z \
    --seed 1 >log/web.log.1
logbook-genlog --lines 1000 --days 2 --end 2025-10-19T12:00:00Z \
    --seed 2 >log/api.log.1
logbook-genlog --lines 500 --seed 3 | gzip | head -c 2000 >damaged.gz
web_newest=$(epoch_of_newest log/web.log.1 web)
api_newest=$(epoch_of_newest log/api.log.1 api)

# ---- logbook-backup ---------------------------------------------------------

# A failure before any success: no time of a last success at all.
cp damaged.gz log/api.log.2.gz
t0=$((end + 3600))
LOGBOOK_NOW=$t0 logbook-backup 2>backup0.err
check_eq "metrics: backup fails on a damaged file" $? 1
lint "backup, failed before any success" logbook_backup
b=logbook_backup
check_eq "metrics: backup, failed: logbook_backup_success 0" \
    "$(value $b logbook_backup_success)" 0
check_eq "metrics: backup, failed before any success: no last success" \
    "$(grep -c '^logbook_backup_last_success_timestamp_seconds' \
    metrics/$b.prom)" 0
check_eq "metrics: backup, failed: the good files' newest events count" \
    "$(value $b 'logbook_backup_newest_event_timestamp_seconds{source="web"}') $(value $b 'logbook_backup_newest_event_timestamp_seconds{source="api"}')" \
    "$web_newest $api_newest"

rm log/api.log.2.gz
t1=$((end + 2 * 3600))
LOGBOOK_NOW=$t1 logbook-backup
check_eq "metrics: backup succeeds" $? 0
lint "backup, succeeded" $b
check_eq "metrics: backup: logbook_backup_success 1" \
    "$(value $b logbook_backup_success)" 1
check_eq "metrics: backup: the last success is now" \
    "$(value $b logbook_backup_last_success_timestamp_seconds)" "$t1"
check_eq "metrics: backup: the newest event of each source" \
    "$(value $b 'logbook_backup_newest_event_timestamp_seconds{source="web"}') $(value $b 'logbook_backup_newest_event_timestamp_seconds{source="api"}')" \
    "$web_newest $api_newest"
avail=$(value $b logbook_backup_filesystem_avail_bytes)
size=$(value $b logbook_backup_filesystem_size_bytes)
check "metrics: backup: the archive file system: 0 < free <= size" \
    test "${avail:-0}" -gt 0 -a "${avail:-0}" -le "${size:-0}"

# A newer log of one source moves its newest event, not the other's.
logbook-genlog --lines 300 --days 1 --end 2025-10-21T00:00:00Z \
    --seed 4 >log/web.log.0
web_newest2=$(epoch_of_newest log/web.log.0 web)
cp damaged.gz log/api.log.2.gz
t2=$((t1 + day))
LOGBOOK_NOW=$t2 logbook-backup 2>backup2.err
check_eq "metrics: backup fails again" $? 1
lint "backup, failed after a success" $b
check_eq "metrics: backup, failed: the last success is kept" \
    "$(value $b logbook_backup_last_success_timestamp_seconds)" "$t1"
check_eq "metrics: backup, failed: the attempt is now" \
    "$(value $b logbook_backup_last_attempt_timestamp_seconds)" "$t2"
check_eq "metrics: backup: a newer log moves its source's newest event" \
    "$(value $b 'logbook_backup_newest_event_timestamp_seconds{source="web"}') $(value $b 'logbook_backup_newest_event_timestamp_seconds{source="api"}')" \
    "$web_newest2 $api_newest"
rm log/api.log.2.gz
check "metrics: the state keeps the newest events" \
    grep -q "^N	web	$web_newest2\$" state/backup.state

# ---- logbook-retention --------------------------------------------------------

r=logbook_retention
# Refusing (the newest archive too old) before any success.
LOGBOOK_NOW=$((t2 + 10 * day)) logbook-retention 2>ret0.err
check_eq "metrics: retention refuses a stale archive folder" $? 1
lint "retention, refused before any success" $r
check_eq "metrics: retention, refused: logbook_retention_success 0" \
    "$(value $r logbook_retention_success)" 0
check_eq "metrics: retention, refused before any success: no last success" \
    "$(grep -c '^logbook_retention_last_success_timestamp_seconds' \
    metrics/$r.prom)" 0

LOGBOOK_NOW=$t2 logbook-retention
check_eq "metrics: retention succeeds" $? 0
lint "retention, succeeded" $r
check_eq "metrics: retention: the last success is now" \
    "$(value $r logbook_retention_last_success_timestamp_seconds)" "$t2"
newest=$(find archive -name 'logbook-????-??-??.tar.gz' | sort | tail -n 1)
newest=${newest##*/logbook-}
newest=$(date -u -d "${newest%.tar.gz}" +%s)
check_eq "metrics: retention: the newest archive's age, in seconds" \
    "$(value $r logbook_retention_newest_archive_age_seconds)" \
    $((t2 - newest))
check_eq "metrics: retention: no age in days any more" \
    "$(grep -c '_days' metrics/$r.prom)" 0

LOGBOOK_NOW=$((t2 + 10 * day)) logbook-retention 2>ret2.err
check_eq "metrics: retention refuses again" $? 1
lint "retention, refused after a success" $r
check_eq "metrics: retention, refused: the last success is kept" \
    "$(value $r logbook_retention_last_success_timestamp_seconds)" "$t2"

# ---- logbook-drill ------------------------------------------------------------

d=logbook_drill
t3=$((t2 + 3600))
LOGBOOK_NOW=$t3 logbook-drill -q -o MAX_RPO_SECONDS=60 >drill0.out 2>&1
check_eq "metrics: drill fails with an RPO over its limit" $? 1
lint "drill, failed before any success" $d
check_eq "metrics: drill, failed: logbook_drill_success 0" \
    "$(value $d logbook_drill_success)" 0
check_eq "metrics: drill, failed before any success: no last success" \
    "$(grep -c '^logbook_drill_last_success_timestamp_seconds' \
    metrics/$d.prom)" 0

LOGBOOK_NOW=$t3 logbook-drill -q
check_eq "metrics: drill passes" $? 0
lint "drill, passed" $d
check_eq "metrics: drill: logbook_drill_success 1" \
    "$(value $d logbook_drill_success)" 1
check_eq "metrics: drill: the last success is now" \
    "$(value $d logbook_drill_last_success_timestamp_seconds)" "$t3"
check_eq "metrics: drill: the RPO is now - the newest event" \
    "$(value $d logbook_drill_rpo_seconds)" $((t3 - web_newest2))
check_eq "metrics: drill: every sample is named logbook_drill_*" \
    "$(grep -v '^#' metrics/$d.prom | grep -vc '^logbook_drill_')" 0

t4=$((t3 + day))
LOGBOOK_NOW=$t4 logbook-drill -q -o MAX_RPO_SECONDS=60 >drill2.out 2>&1
check_eq "metrics: drill fails again" $? 1
lint "drill, failed after a success" $d
check_eq "metrics: drill, failed: the last success is kept" \
    "$(value $d logbook_drill_last_success_timestamp_seconds)" "$t3"
check_eq "metrics: drill, failed: the last run is now" \
    "$(value $d logbook_drill_last_run_timestamp_seconds)" "$t4"

# ---- the folder as node_exporter reads it: the files side by side -----------

LOGBOOK_NOW=$t4 logbook-backup
LOGBOOK_NOW=$t4 logbook-retention
LOGBOOK_NOW=$t4 logbook-drill -q
check_eq "metrics: the three jobs, each a file" "$(ls metrics | tr '\n' ' ')" \
    "logbook_backup.prom logbook_drill.prom logbook_retention.prom "
for j in backup retention drill; do
	check_eq "metrics: $j: logbook_${j}_last_success_timestamp_seconds" \
	    "$(value "logbook_$j" "logbook_${j}_last_success_timestamp_seconds")" \
	    "$t4"
done
if cat metrics/*.prom | promtool check metrics >lint.out 2>&1; then
	ok "metrics: the three files together pass promtool check metrics"
else
	notok "metrics: the three files together: $(head -n 3 lint.out |
	    tr '\n' ' ')"
fi
