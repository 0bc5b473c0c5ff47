# logbook-drill: a drill of generated archives (report, metrics, RPO),
# its failures (RPO over the limit, a verifier that notices nothing, no
# archive), the lock, and --demo, the whole chain of `make drill`.
. "$TOP/tests/lib.sh"

w=$(pwd)
for p in logbook-archive logbook-verify logbook-restore; do
	command -v "$p" >/dev/null 2>&1 || {
		notok "drill: $p is not built"
		exit 0
	}
done
export LOGBOOK_CONF=
export LOGBOOK_ARCHIVE_DIR="$w/archive"
export LOGBOOK_STATE_DIR="$w/state"
export LOGBOOK_METRICS_DIR="$w/metrics"
export LOGBOOK_SCRATCH_DIR="$w/scratch"
mkdir -p metrics scratch
# Ten days of events; the drill runs two hours after the log ends.
end=1760918400 # 2025-10-20T00:00:00Z
export LOGBOOK_NOW=$((end + 7200))
logbook-genlog --lines 4000 --days 10 --end 2025-10-20T00:00:00Z |
    logbook-ingest -q -s web >events.ndjson
logbook-archive -d archive events.ndjson >/dev/null
newest=$(sed 's/.*"ts":"\([^"]*\)".*/\1/' events.ndjson | sort | tail -n 1)
prom=metrics/logbook_drill.prom

metric() {
	sed -n "s/^$1 //p" "$prom"
}

# ---- a drill --------------------------------------------------------------

logbook-drill --recent 2 --sample 3 >report 2>err
check_eq "drill: exits 0" $? 0
check "drill: the report says it passed" grep -q '^drill passed$' report
check_eq "drill: nothing on standard error" "$(cat err)" ""
check_eq "drill: restores 2 newest and 3 older archives" \
    "$(grep -c '^  20' report)" 5
check "drill: the newest two are among them" grep -q \
    -e '2025/10/logbook-2025-10-19.tar.gz' report
check "drill: the report names the newest event" grep -q \
    "^newest restorable event *- *$newest\$" report
check_eq "drill: logbook_drill_success" \
    "$(metric logbook_drill_success)" 1
check_eq "drill: logbook_drill_rpo_seconds is now - the newest event" \
    "$(metric logbook_drill_rpo_seconds)" "$((LOGBOOK_NOW - $(date -u -d \
    "$newest" +%s)))"
check "drill: logbook_drill_rto_seconds is a number" \
    grep -Eq '^logbook_drill_rto_seconds [0-9]+(\.[0-9]+)?$' "$prom"
check_eq "drill: logbook_drill_last_run_timestamp_seconds" \
    "$(metric logbook_drill_last_run_timestamp_seconds)" "$LOGBOOK_NOW"
n=0
for a in $(sed -n 's|^  \(20[^ ]*\) .*|\1|p' report); do
	n=$((n + $(tar -xzOf "archive/$a" events.ndjson | wc -l)))
done
check_eq "drill: logbook_drill_restored_events = events of the archives" \
    "$(metric logbook_drill_restored_events)" "$n"
check_eq "drill: logbook_drill_restored_events_total" \
    "$(metric logbook_drill_restored_events_total)" "$n"
check_eq "drill: no scratch folder left" "$(ls scratch)" ""
awk '
/^# HELP / { if ($3 in help) bad = bad " twice:" $3; help[$3] = 1; next }
/^# TYPE / { if (!($3 in help)) bad = bad " order:" $3; type[$3] = $4; next }
{
	name = $1; sub(/\{.*/, "", name)
	if (!(name in type)) bad = bad " no-TYPE:" name
	if (NF != 2) bad = bad " fields:" name
}
END { print bad == "" ? "ok" : bad }' "$prom" >prom.check
check_eq "drill: metrics: HELP and TYPE for each, no timestamps" \
    "$(cat prom.check)" ok

logbook-drill -q --sample 100 >quiet.out 2>&1
check_eq "drill: -q: exits 0" $? 0
check_eq "drill: -q: silent on success" "$(cat quiet.out)" ""
check_eq "drill: the events counter adds up" \
    "$(metric logbook_drill_restored_events_total)" \
    "$((n + $(wc -l <events.ndjson)))"

# ---- the dry run ------------------------------------------------------------

rm -f "$prom"
logbook-drill -n --sample 0 >dry.out
check_eq "drill: -n exits 0" $? 0
check_eq "drill: -n names the archives" "$(grep -c '^  20' dry.out)" 2
check "drill: -n writes no metrics" test ! -f "$prom"

# ---- failures ---------------------------------------------------------------

logbook-drill -q -o MAX_RPO_SECONDS=3600 >rpo.out 2>rpo.err
check_eq "drill: RPO over the limit: exit 1" $? 1
check "drill: RPO over the limit: the report says so" grep -q \
    '^RPO (now - newest event) *FAIL *[0-9]* s .* > MAX_RPO_SECONDS=3600' \
    rpo.out
check "drill: RPO over the limit: on standard error too" \
    grep -q 'the restore drill failed' rpo.err
check_eq "drill: RPO over the limit: logbook_drill_success 0" \
    "$(metric logbook_drill_success)" 0

# A verifier that notices nothing must fail the drill.
mkdir -p fake/bin fake/lib
cp "$TOP/bin/logbook-drill" fake/bin/
cp "$TOP/lib/logbook.sh" fake/lib/
ln -s "$(command -v logbook-restore)" fake/bin/logbook-restore
printf '#!/bin/sh\nexit 0\n' >fake/bin/logbook-verify
chmod +x fake/bin/logbook-verify
fake/bin/logbook-drill -q >blind.out 2>blind.err
check_eq "drill: a verifier that notices nothing: exit 1" $? 1
check "drill: ... the flipped byte not caught" grep -q \
    '^damaged copy caught (a byte flipped) *FAIL' blind.out
check "drill: ... the changed event not caught" grep -q \
    '^tampered copy caught (an event changed) *FAIL' blind.out

# A verifier that fails says why, in the report and on standard error:
# its own message, its control bytes escaped, or its FAIL line.
printf '#!/bin/sh\necho "logbook-verify: x.db: disk I/O error (No space left on device)\033[2J" >&2\nexit 1\n' \
    >fake/bin/logbook-verify
fake/bin/logbook-drill -q >vfail.out 2>vfail.err
check_eq "drill: a verifier that fails: exit 1" $? 1
check "drill: ... its message on standard error" grep -q \
    'failed.*logbook-verify --db: logbook-verify: x\.db: disk I/O error (No space left on device)\\x1b\[2J$' \
    vfail.err
check "drill: ... and in the report" grep -q \
    '^logbook-verify --db  *FAIL   logbook-verify: x\.db: disk I/O error (No space left on device)\\x1b' \
    vfail.out
printf '#!/bin/sh\necho "FAIL db x.tar.gz: x.db has 1 events"\nexit 1\n' \
    >fake/bin/logbook-verify
fake/bin/logbook-drill -q >vfail.out 2>vfail.err
check "drill: a verifier's FAIL line on standard error" grep -q \
    'logbook-verify --db: FAIL db x\.tar\.gz: x\.db has 1 events' vfail.err
printf '#!/bin/sh\nexit 3\n' >fake/bin/logbook-verify
fake/bin/logbook-drill -q >vfail.out 2>vfail.err
check "drill: a verifier that says nothing: its status" grep -q \
    'logbook-verify --db: exit 3 without a message' vfail.err

LOGBOOK_ARCHIVE_DIR=$w/empty logbook-drill -q >none.out 2>none.err
check_eq "drill: no archive: exit 1" $? 1
check "drill: no archive: says so" grep -q 'no archive to restore' none.err

# ---- the lock: shared with other drills, not with a backup ---------------

exec 8>>state/lock
flock -s 8
logbook-drill -q >/dev/null 2>&1
check_eq "drill: runs beside another drill" $? 0
flock -u 8
flock -x 8
logbook-drill -q >/dev/null 2>lock.err
check_eq "drill: waits for a backup or retention run: exit 75" $? 75
exec 8>&-

# ---- the history: STATE_DIR/drills.ndjson ---------------------------------

LOGBOOK_STATE_DIR=$w/state2 logbook-drill -q >/dev/null 2>&1
e1=$(metric logbook_drill_restored_events)
LOGBOOK_STATE_DIR=$w/state2 LOGBOOK_MAX_RPO_SECONDS=60 logbook-drill -q \
    >/dev/null 2>&1
e2=$(metric logbook_drill_restored_events)
LOGBOOK_STATE_DIR=$w/state2 logbook-drill -n >/dev/null 2>&1
mkdir empty
LOGBOOK_STATE_DIR=$w/state2 LOGBOOK_ARCHIVE_DIR=$w/empty logbook-drill -q \
    >/dev/null 2>&1
h=state2/drills.ndjson
at=$(date -u -d @"$LOGBOOK_NOW" +%Y-%m-%dT%H:%M:%SZ)
rpo=$((LOGBOOK_NOW - $(date -u -d "$newest" +%s)))
check_eq "drill: each drill run adds a line to drills.ndjson, a dry run none" \
    "$(wc -l <"$h" | tr -d ' ')" 3
check_eq "drill: ... each a JSON object of the documented members" \
    "$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    print(sorted(d) == ["archives", "events", "failed", "ok", "rpo_seconds",
        "rto_seconds", "time"], d["time"], d["ok"], d["events"], d["archives"],
        d["rpo_seconds"], d["failed"][:25], sep="|")' "$h")" \
    "True|$at|True|$e1|5|$rpo|
True|$at|False|$e2|5|$rpo|RPO (now - newest event):
True|$at|False|0|0|None|no archive to restore"
check "drill: ... an RTO in seconds" \
    grep -Eq '"rto_seconds":[0-9]+\.[0-9]{3},' "$h"
# Only the last 1000 drills stay.
python3 -c '
for i in range(1200):
    print("{\"time\":\"2025-01-01T00:00:00Z\",\"ok\":true,\"rto_seconds\":1,"
        "\"rpo_seconds\":1,\"events\":%d,\"archives\":1,\"failed\":\"\"}" % i)' \
    >"$h"
LOGBOOK_STATE_DIR=$w/state2 logbook-drill -q >/dev/null 2>&1
e3=$(metric logbook_drill_restored_events)
check_eq "drill: drills.ndjson keeps the last 1000 drills" \
    "$(wc -l <"$h" | tr -d ' ') $(sed -n 1p "$h" | sed 's/.*"events":\([0-9]*\).*/\1/') $(tail -n 1 "$h" | grep -c "\"events\":$e3,")" \
    "1000 201 1"

# ---- --demo: the whole chain on generated data ----------------------------

unset LOGBOOK_NOW LOGBOOK_ARCHIVE_DIR LOGBOOK_STATE_DIR LOGBOOK_METRICS_DIR
logbook-drill --demo --lines 6000 --days 2 >demo.out 2>demo.err
check_eq "drill: --demo exits 0" $? 0
check_eq "drill: --demo ends with its verdict" "$(tail -n 1 demo.out)" \
    "drill: all checks passed"
check_eq "drill: --demo: no row failed" \
    "$(grep -c ' FAIL$' demo.out)" 0
check "drill: --demo: the table has the RTO and the RPO" \
    grep -q '^measured RPO' demo.out
check_eq "drill: --demo leaves nothing behind" "$(ls scratch)" ""
check "drill: --demo checks the page of logbook-report" \
    grep -q '^requests on the page = events .* ok$' demo.out
logbook-drill --demo --lines 3000 --days 1 --report page.html >demo2.out \
    2>&1
check_eq "drill: --demo --report keeps the page, said on the output" \
    "$? $(grep -c '^the page: page.html$' demo2.out)" "0 1"
check "drill: ... a page with the drill" grep -q 'id="drill-last"' page.html
