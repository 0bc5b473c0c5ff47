# logbook-retention: the dry run's list, the refusal when the backup looks
# broken, nothing deleted outside the archive folder or through links,
# event archives deleted only once their hourly rows are in a verified
# monthly archive, monthly archives past KEEP_MONTHS, the database.
. "$TOP/tests/lib.sh"

w=$(pwd)
for p in logbook-archive logbook-verify logbook-restore; do
	command -v "$p" >/dev/null 2>&1 || {
		notok "retention: $p is not built"
		exit 0
	}
done
export LOGBOOK_CONF=
export LOGBOOK_ARCHIVE_DIR="$w/archive"
export LOGBOOK_STATE_DIR="$w/state"
export LOGBOOK_METRICS_DIR="$w/metrics"
export LOGBOOK_SCRATCH_DIR="$w/scratch"
mkdir -p metrics scratch state
# 130 days of events, the newest of yesterday; the job runs at 03:00.
day=86400
end=1760918400 # 2025-10-20T00:00:00Z
export LOGBOOK_NOW=$((end + 3 * 3600))
logbook-genlog --lines 5200 --days 130 --end 2025-10-20T00:00:00Z |
    logbook-ingest -q -s web >events.ndjson
logbook-archive -d archive events.ndjson >archived
check_eq "retention: 130 event archives to start with" \
    "$(wc -l <archived | tr -d ' ')" 130
old=$(awk -F '\t' '$1 < "archive/2025/07/logbook-2025-07-22"' archived |
    wc -l | tr -d ' ')
# Days before 2025-07-22 are more than 90 days before 2025-10-20.
check_eq "retention: 40 of them older than 90 days" "$old" 40

# A database of some months, restored before the links below exist.
logbook-restore -q -d db.sqlite archive/2025/06 archive/2025/07 \
    archive/2025/10
sq() {
	sqlite3 -batch db.sqlite "$1"
}
hourly0=$(sq 'SELECT count(*) FROM hourly;')
keep=$(sq "SELECT count(*) FROM events WHERE ts >= '2025-09-20';")
# The archive of 2025-07-02 is damaged: its events must stay.
cp archive/2025/07/logbook-2025-07-02.tar.gz damaged.tar.gz
n02=$(sq "SELECT count(*) FROM events WHERE ts >= '2025-07-02' AND
    ts < '2025-07-03';")
printf 'x' | dd of=archive/2025/07/logbook-2025-07-02.tar.gz bs=1 seek=200 \
    conv=notrunc 2>/dev/null

# Rejected lines kept by logbook-backup, an old and a recent file.
mkdir -p archive/rejects/web
echo junk | gzip >archive/rejects/web/2025-06-20.0123456789abcdef.log.gz
echo junk | gzip >archive/rejects/web/2025-10-18.0123456789abcdef.log.gz
# Those of the damaged archive's date go with it, never before it.
echo junk | gzip >archive/rejects/web/2025-07-02.fedcba9876543210.log.gz
# Their reasons, as logbook-backup keeps them beside each; and old
# reasons whose rejected lines are gone.
for f in 2025-06-20.0123456789abcdef 2025-10-18.0123456789abcdef \
    2025-07-02.fedcba9876543210 2025-06-21.1111111111111111; do
	echo 'x:1: junk' | gzip >archive/rejects/web/$f.reasons.gz
done
# What is not ours: a stray file, a link to a file outside, a link to a
# folder outside that holds an old archive.
mkdir -p outside/01
cp archive/2025/06/logbook-2025-06-12.tar.gz outside/01/logbook-2024-01-01.tar.gz
echo notes >archive/2025/06/notes.txt
ln -s "$w/outside/01/logbook-2024-01-01.tar.gz" \
    archive/2025/06/logbook-2025-06-01.tar.gz
mkdir -p archive/2024
ln -s "$w/outside/01" archive/2024/01

snapshot() {
	(cd archive && find . | sort)
}

# ---- the dry run --------------------------------------------------------

snapshot >before
logbook-retention -n >dry.out 2>dry.err
check_eq "retention: -n exits 0" $? 0
check_eq "retention: -n: a line for each event archive" \
    "$(grep -c 'tar.gz: events' dry.out)" 130
check_eq "retention: -n: the old ones would go" \
    "$(grep -c '^delete  .*: events' dry.out)" 40
check "retention: -n: with the reason" grep -q \
    '^delete  2025/07/logbook-2025-07-21.tar.gz: events, 91 days old > KEEP_DAYS=90; its hourly rows go to 2025/07/logbook-2025-07.hourly.tar.gz first$' \
    dry.out
check "retention: -n: the newest kept, with the reason" grep -q \
    '^keep    2025/10/logbook-2025-10-19.tar.gz: events, 1 day old, KEEP_DAYS=90$' \
    dry.out
check_eq "retention: -n: the old rejected lines would go" \
    "$(grep -c '^delete  rejects/.*\.log\.gz: ' dry.out)" 2
check_eq "retention: -n: and their reasons, listed after them" \
    "$(grep '^delete  rejects/' dry.out | sed 's/: .*//; s/^delete  //' |
    tr '\n' ' ')" \
    "rejects/web/2025-06-20.0123456789abcdef.log.gz rejects/web/2025-06-20.0123456789abcdef.reasons.gz rejects/web/2025-06-21.1111111111111111.reasons.gz rejects/web/2025-07-02.fedcba9876543210.log.gz rejects/web/2025-07-02.fedcba9876543210.reasons.gz "
check "retention: -n: the reasons go with their rejected lines" grep -q \
    '^delete  rejects/web/2025-07-02.fedcba9876543210.reasons.gz: their reasons, with rejects/web/2025-07-02.fedcba9876543210.log.gz$' \
    dry.out
check "retention: -n: reasons without rejected lines go as rejected lines do" grep -q \
    '^delete  rejects/web/2025-06-21.1111111111111111.reasons.gz: reasons of rejected lines, 121 days old > KEEP_DAYS=90, with 2025/06/logbook-2025-06-21.tar.gz$' \
    dry.out
check "retention: -n: rejected lines go with their event archive" grep -q \
    '^delete  rejects/web/2025-07-02.fedcba9876543210.log.gz: rejected lines, 110 days old > KEEP_DAYS=90, with 2025/07/logbook-2025-07-02.tar.gz$' \
    dry.out
check_eq "retention: -n: links and other files are not listed" \
    "$(grep -c -e notes -e 2024 -e 2025-06-01 dry.out)" 0
snapshot >after
same_file "retention: -n changes nothing" before after

# ---- refusing when the newest archive is too old ------------------------

LOGBOOK_NOW=$((end + 10 * day)) logbook-retention >stale.out 2>stale.err
check_eq "retention: newest archive 11 days old: exit 1" $? 1
check "retention: newest archive 11 days old: says why" grep -q \
    'is 11 days old (MAX_ARCHIVE_AGE_DAYS=3): is the backup broken? Nothing deleted.' \
    stale.err
LOGBOOK_NOW=$((end + 10 * day)) logbook-retention -n >/dev/null 2>&1
check_eq "retention: a dry run refuses too" $? 1
snapshot >after
same_file "retention: refusing deletes nothing" before after
check_eq "retention: refusing: logbook_retention_success 0" \
    "$(sed -n 's/^logbook_retention_success //p' \
    metrics/logbook_retention.prom)" 0
LOGBOOK_NOW=$((end + 10 * day)) logbook-retention -n \
    -o MAX_ARCHIVE_AGE_DAYS=0 >/dev/null 2>&1
check_eq "retention: MAX_ARCHIVE_AGE_DAYS=0 turns the check off" $? 0

# ---- a database: events go only where the archive verifies -------------

# ---- the run --------------------------------------------------------------

if logbook-archive --help 2>&1 | grep -q -- --hourly; then
	hourly=1
else
	hourly=0
fi
logbook-retention --db db.sqlite -o DB_KEEP_DAYS=30 >run.out 2>run.err
rc=$?
check_eq "retention: the damaged archive fails the run" "$rc" 1
check "retention: the damaged archive is named" \
    grep -q 'logbook-2025-07-02.tar.gz' run.err
check_eq "retention: database events of verified dates deleted" \
    "$(sq "SELECT count(*) FROM events WHERE ts < '2025-09-20';")" "$n02"
check_eq "retention: database events of recent dates kept" \
    "$(sq "SELECT count(*) FROM events WHERE ts >= '2025-09-20';")" "$keep"
check_eq "retention: the hourly table is kept" \
    "$(sq 'SELECT count(*) FROM hourly;')" "$hourly0"
check "retention: nothing outside the folder deleted" \
    test -f outside/01/logbook-2024-01-01.tar.gz -a -f archive/2025/06/notes.txt \
    -a -L archive/2025/06/logbook-2025-06-01.tar.gz -a -L archive/2024/01
check "retention: the damaged archive is kept" \
    test -f archive/2025/07/logbook-2025-07-02.tar.gz

if [ "$hourly" = 0 ]; then
	notok "retention: logbook-archive has no --hourly: no monthly aggregates"
	exit 0
fi

check_eq "retention: old event archives deleted, the damaged one kept" \
    "$(find archive -name 'logbook-*-*-*.tar.gz' -type f | wc -l)" 91
for m in 2025-06 2025-07; do
	a=archive/${m%-*}/${m#*-}/logbook-$m.hourly.tar.gz
	check "retention: $m: a monthly aggregate" test -f "$a"
	check "retention: $m: it verifies" logbook-verify -q "$a"
done
tar -xzOf archive/2025/06/logbook-2025-06.hourly.tar.gz hourly.ndjson |
    sed -n 's/.*"requests":\([0-9]*\).*/\1/p' |
    awk '{ s += $1 } END { print s }' >june.sum
check_eq "retention: 2025-06: the monthly rows count every event" \
    "$(cat june.sum)" "$(grep -c '"ts":"2025-06' events.ndjson)"
check_eq "retention: old rejected lines deleted, recent ones and those of the kept archive kept" \
    "$(ls archive/rejects/web | grep '\.log\.gz$' | tr '\n' ' ')" \
    "2025-07-02.fedcba9876543210.log.gz 2025-10-18.0123456789abcdef.log.gz "
check_eq "retention: the reasons kept and deleted with their rejected lines" \
    "$(ls archive/rejects/web | grep '\.reasons\.gz$' | tr '\n' ' ')" \
    "2025-07-02.fedcba9876543210.reasons.gz 2025-10-18.0123456789abcdef.reasons.gz "

# A second run: the damaged archive still fails it; nothing else changes.
snapshot >before2
logbook-retention >/dev/null 2>&1
snapshot >after2
same_file "retention: a second run deletes nothing more" before2 after2

# The damaged archive repaired: it goes too.
cp damaged.tar.gz archive/2025/07/logbook-2025-07-02.tar.gz
logbook-retention
check_eq "retention: repaired, the run succeeds" $? 0
check "retention: repaired, the archive is deleted" \
    test ! -f archive/2025/07/logbook-2025-07-02.tar.gz
check "retention: repaired, its rejected lines are deleted with it" \
    test ! -f archive/rejects/web/2025-07-02.fedcba9876543210.log.gz
check "retention: repaired, their reasons too" \
    test ! -f archive/rejects/web/2025-07-02.fedcba9876543210.reasons.gz
check_eq "retention: logbook_retention_success 1" \
    "$(sed -n 's/^logbook_retention_success //p' \
    metrics/logbook_retention.prom)" 1

# Monthly archives past KEEP_MONTHS go once no event archive of the month
# is left: June (4 months ago) goes with KEEP_MONTHS=3, July stays.
logbook-retention --keep-months 3
check_eq "retention: --keep-months 3: exit 0" $? 0
check "retention: --keep-months 3: June's aggregate deleted" \
    test ! -f archive/2025/06/logbook-2025-06.hourly.tar.gz
check "retention: --keep-months 3: July's kept" \
    test -f archive/2025/07/logbook-2025-07.hourly.tar.gz
