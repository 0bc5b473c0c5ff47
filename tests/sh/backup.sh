# logbook-backup: configuration, dry run, lock, metrics, damaged files,
# files that grew.  (The simulated week of logrotate is backup-week.sh.)
. "$TOP/tests/lib.sh"

w=$(pwd)
mkdir -p log metrics scratch
export LOGBOOK_SCRATCH_DIR="$w/scratch"
cat >logbook.conf <<EOF
# a comment, then blank lines

ARCHIVE_DIR = $w/archive
STATE_DIR="$w/state"
METRICS_DIR='$w/metrics'
SOURCES=web=$w/log/access.log.*
KEEP_DAYS=10
EOF
backup() {
	logbook-backup -c logbook.conf "$@"
}
logbook-genlog --lines 3000 --days 2 --bad-rate 0.01 --stats \
    >log/access.log.1 2>gen.json
bad=$(sed 's/.*"rejectable": *\([0-9]*\).*/\1/' gen.json)

# ---- configuration: the file, then LOGBOOK_<KEY>, then options --------

get() {
	_k=$1
	shift
	backup --show-config "$@" | sed -n "s/^$_k=//p"
}
check_eq "backup: config: a key from the file" "$(get KEEP_DAYS)" 10
check_eq "backup: config: quotes are removed" "$(get STATE_DIR)" "$w/state"
check_eq "backup: config: a default" "$(get KEEP_MONTHS)" 84
check_eq "backup: config: LOGBOOK_KEY beats the file" \
    "$(LOGBOOK_KEEP_DAYS=20 get KEEP_DAYS)" 20
check_eq "backup: config: -o beats LOGBOOK_KEY" \
    "$(LOGBOOK_KEEP_DAYS=20 get KEEP_DAYS -o KEEP_DAYS=30)" 30
check_eq "backup: config: -d sets ARCHIVE_DIR" \
    "$(get ARCHIVE_DIR -d /elsewhere)" /elsewhere
check_eq "backup: config: --lock-wait sets LOCK_WAIT" \
    "$(get LOCK_WAIT --lock-wait=7)" 7
check_eq "backup: config: LOGBOOK_CONF names the file" \
    "$(LOGBOOK_CONF=logbook.conf logbook-backup --show-config |
    sed -n 's/^KEEP_DAYS=//p')" 10
check_eq "backup: config: no /etc/logbook.conf is fine without -c" \
    "$(LOGBOOK_CONF= logbook-backup --show-config | sed -n 's/^FORMAT=//p')" \
    auto

# The example configuration is one.
logbook-backup -c "$TOP/etc/logbook.conf.example" --show-config >example.out
check_eq "backup: config: etc/logbook.conf.example reads" $? 0
check_eq "backup: config: etc/logbook.conf.example has two sources" \
    "$(sed -n 's/^SOURCES=//p' example.out | wc -w)" 2

# ---- dry run: says what it would do, changes nothing -------------------

snapshot() {
	find . -path ./scratch -prune -o -path ./snap -prune -o -print | sort
}
mkdir snap
snapshot >snap/before
backup -n >snap/dry.out 2>snap/dry.err
check_eq "backup: -n exits 0" $? 0
check_eq "backup: -n names the file it would ingest" \
    "$(grep -c "^ingest  web $w/log/access.log.1: new" snap/dry.out)" 1
snapshot >snap/after
same_file "backup: -n creates nothing" snap/before snap/after

# ---- a run ------------------------------------------------------------

backup >run.out 2>run.err
check_eq "backup: exits 0" $? 0
check "backup: silent on success" test ! -s run.out -a ! -s run.err
check "backup: an archive for each day" \
    test "$(find archive -name 'logbook-*.tar.gz' | wc -l)" -ge 2
check_eq "backup: rejected lines kept in the archive folder" \
    "$(gzip -dc archive/rejects/web/*.log.gz | wc -l)" "$bad"
rej=$(ls archive/rejects/web/*.log.gz)
why=${rej%.log.gz}.reasons.gz
check "backup: the reasons kept beside the rejected lines" test -f "$why"
check_eq "backup: a reason for each rejected line, as many as the state's" \
    "$(gzip -dc "$why" | wc -l) $(gzip -dc "$rej" | wc -l)" \
    "$(awk -F '\t' '$1 == "F" { n += $6 } END { print n, n }' \
    state/backup.state)"
check "backup: the reasons are file:line: reason" sh -c \
    "gzip -dc '$why' | grep -qv '^[^:]*:[0-9][0-9]*: .'; test \$? = 1"
check_eq "backup: the reasons file has the archives' mode" \
    "$(stat -c %a "$why")" 640
check_eq "backup: no scratch folder left" "$(ls scratch)" ""

backup -v 2>verbose.err
check_eq "backup: a second run exits 0" $? 0
check "backup: -v logs each step" grep -q 'skip .*access.log.1: unchanged' \
    verbose.err
backup -n >dry2.out
check "backup: -n after a run skips the file" \
    grep -q "^skip    web $w/log/access.log.1" dry2.out

# ---- metrics: HELP and TYPE once before each name, no timestamps -------

prom=metrics/logbook_backup.prom
check "backup: metrics written" test -f "$prom"
for m in logbook_backup_last_success_timestamp_seconds \
    logbook_backup_last_attempt_timestamp_seconds \
    logbook_backup_duration_seconds logbook_backup_size_bytes \
    logbook_backup_events_total logbook_backup_rejected_lines_total; do
	check "backup: metrics: $m" grep -q "^$m[ {]" "$prom"
done
awk '
/^# HELP / { if ($3 in help) bad = bad " twice:" $3; help[$3] = 1; next }
/^# TYPE / {
	if (!($3 in help)) bad = bad " TYPE-before-HELP:" $3
	if ($4 !~ /^(gauge|counter)$/) bad = bad " type:" $3
	type[$3] = $4; next
}
{
	name = $1; sub(/\{.*/, "", name)
	if (!(name in type)) bad = bad " no-TYPE:" name
	if (type[name] == "counter" && name !~ /_total$/) bad = bad " counter:" name
	if (NF != 2) bad = bad " fields:" name
	if ($2 !~ /^[0-9.]+$/) bad = bad " value:" name
}
END { print bad == "" ? "ok" : bad }' "$prom" >prom.check
check_eq "backup: metrics: consistent HELP/TYPE, no timestamps" \
    "$(cat prom.check)" ok
check_eq "backup: metrics: rejected lines counted" \
    "$(sed -n 's/^logbook_backup_rejected_lines_total{source="web"} //p' \
    "$prom")" "$bad"
check_eq "backup: metrics: events counted" \
    "$(sed -n 's/^logbook_backup_events_total{source="web"} //p' "$prom")" \
    $((3000 - bad))

# ---- a file that grew is ingested again, its events kept once ----------

logbook-genlog --lines 3000 --days 2 --bad-rate 0.01 >log/access.log.1
logbook-genlog --lines 100 --days 2 --start 2025-10-20 >>log/access.log.1
backup
check_eq "backup: a file that grew: exits 0" $? 0
check_eq "backup: a file that grew: counted once" \
    "$(sed -n 's/^logbook_backup_events_total{source="web"} //p' "$prom")" \
    $((3100 - bad))
n=0
for a in $(find archive -name 'logbook-*.tar.gz'); do
	n=$((n + $(tar -xzOf "$a" events.ndjson | wc -l)))
done
check_eq "backup: a file that grew: its events archived once" "$n" \
    $((3100 - bad))

# ---- a damaged file fails the run, the others still go ----------------

cat >>logbook.conf <<EOF
SOURCES=web=$w/log/access.log.* other=$w/other/*.gz
EOF
mkdir other
logbook-genlog --lines 500 --seed 3 | gzip >other/a.gz
logbook-genlog --lines 500 --seed 4 | gzip | head -c 2000 >other/b.gz
backup 2>damaged.err
check_eq "backup: a damaged file: exit 1" $? 1
check "backup: a damaged file: named on standard error" \
    grep -q 'other/b.gz' damaged.err
check_eq "backup: a damaged file: logbook_backup_success 0" \
    "$(sed -n 's/^logbook_backup_success //p' "$prom")" 0
check_eq "backup: a damaged file: the good one is archived" \
    "$(sed -n 's/^logbook_backup_events_total{source="other"} //p' "$prom")" \
    500
rm other/b.gz
backup
check_eq "backup: once the damaged file is gone: exit 0" $? 0

# ---- the lock ---------------------------------------------------------

exec 8>>state/lock
flock -x 8
backup 2>lock.err
check_eq "backup: another job holds the lock: exit 75" $? 75
check "backup: another job holds the lock: says so" \
    grep -q 'another logbook job holds' lock.err
exec 8>&-
backup
check_eq "backup: the lock released: exit 0" $? 0

# ---- configuration errors ---------------------------------------------

printf 'ARCHIVE_DIR=/x\nKEEP_DAZE=3\n' >typo.conf
logbook-backup -c typo.conf 2>typo.err
check_eq "backup: an unknown key: exit 1" $? 1
check_eq "backup: an unknown key: file, line and key" "$(cat typo.err)" \
    "logbook-backup: typo.conf:2: unknown key 'KEEP_DAZE'"
LOGBOOK_KEEP_DAYS=soon logbook-backup -c logbook.conf 2>num.err
check_eq "backup: a number that is not: exit 1" $? 1
check_eq "backup: a number that is not: says which" "$(cat num.err)" \
    "logbook-backup: KEEP_DAYS must be a whole number, not 'soon'"
LOGBOOK_SOURCES= logbook-backup -c logbook.conf 2>nosrc.err
check_eq "backup: no SOURCES: exit 1" $? 1
logbook-backup -c missing.conf 2>missing.err
check_eq "backup: -c with a missing file: exit 1" $? 1
