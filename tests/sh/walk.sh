# The archives a folder stands for, as each program finds them (one
# walker, lib/walk.h, a policy each): logbook-verify follows links, to 16
# levels of folders, and counts what it cannot examine as an error;
# logbook-restore enters folders at any depth, not links to them, and
# reads links to archives; logbook-report follows links as verify does
# but passes over what it cannot examine.
. "$TOP/tests/lib.sh"

logbook-genlog --lines 300 --days 3 --seed 7 | logbook-ingest |
    logbook-archive -d src >/dev/null
A=src/2025/10/logbook-2025-10-13.tar.gz
B=src/2025/10/logbook-2025-10-14.tar.gz
C=src/2025/10/logbook-2025-10-15.tar.gz
tar -xzOf $A hourly.ndjson | logbook-archive --hourly -d t >/dev/null

mkdir -p t/2025/10 t/deep/x t/.hidden outside/15 outside/f
cp $A t/2025/10/
cp $B t/deep/x/
cp $C outside/15/
cp $A outside/f/
cp $A t/.hidden/
: >t/2025/10/.logbook-2025-10-13.tar.gz.AbCdEf
ln -s "$PWD/outside/15" t/linked
ln -s "$PWD/outside/f/logbook-2025-10-13.tar.gz" t/logbook-2025-10-13.tar.gz
ln -s nowhere t/notes
d=t/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16
mkdir -p $d/17
cp $C $d/
cp $B $d/17/

check_eq "walk: verify: links followed, 16 levels, by path" \
    "$(logbook-verify t 2>&1; echo "status $?")" \
    "OK $d/logbook-2025-10-15.tar.gz events=100
OK t/2025/10/logbook-2025-10-13.tar.gz events=100
OK t/2025/10/logbook-2025-10.hourly.tar.gz rows=99
OK t/deep/x/logbook-2025-10-14.tar.gz events=100
OK t/linked/logbook-2025-10-15.tar.gz events=100
OK t/logbook-2025-10-13.tar.gz events=100
total: 6 archives, 6 ok, 0 failed, 500 events
status 0"
check_eq "walk: restore: any depth, links to folders not entered, by date" \
    "$(logbook-restore -d r.db -v t 2>&1 | sed 's/: [0-9]* events.*//'
    echo "status $?")" \
    "logbook-restore: t/2025/10/logbook-2025-10-13.tar.gz: 2025-10-13
logbook-restore: t/logbook-2025-10-13.tar.gz: already restored, nothing added
logbook-restore: $d/17/logbook-2025-10-14.tar.gz: 2025-10-14
logbook-restore: t/deep/x/logbook-2025-10-14.tar.gz: already restored, nothing added
logbook-restore: $d/logbook-2025-10-15.tar.gz: 2025-10-15
status 0"
logbook-report t >r.html 2>r.err
check_eq "walk: report: links followed, 16 levels" \
    "$? $(grep -o 'id="archives" data-value="[0-9]*"' r.html) $(cat r.err)" \
    '0 id="archives" data-value="5" '

# A dangling link named as an archive: an error for verify, nothing for
# restore and report.
ln -s nowhere t/2025/10/logbook-2025-10-09.tar.gz
logbook-verify -q t >v.out 2>v.err
check_eq "walk: verify: a dangling archive link is an error, exit 1" \
    "$? $(cat v.err)" \
    "1 logbook-verify: t/2025/10/logbook-2025-10-09.tar.gz: No such file or directory"
check_eq "walk: verify: the others are checked" "$(cat v.out)" ""
logbook-restore -q --emit ndjson t >/dev/null 2>x.err
check_eq "walk: restore: a dangling archive link is passed over" \
    "$? $(cat x.err)" "0 "
logbook-report t >r.html 2>x.err
check_eq "walk: report: a dangling archive link is passed over" \
    "$? $(cat x.err)" "0 "

# No archive at all.
mkdir e
check_eq "walk: verify: a folder without archives fails" \
    "$(logbook-verify e; echo "status $?")" \
    "FAIL e: read: no archives under it
total: 0 archives, 0 ok, 1 failed, 0 events
status 1"
check_eq "walk: restore: a folder without archives: a note" \
    "$(logbook-restore --emit ndjson e 2>&1; echo "status $?")" \
    "logbook-restore: e: no archives in it
status 0"
