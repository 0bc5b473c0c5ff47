# logbook-backup's offsite copy (OFFSITE) against real rclone servers on
# loopback: webdav, sftp and an encrypting crypt remote over webdav; a
# kill -9 during an upload; a remote that refuses writes, one that is
# full, one that returns a corrupted file; --check-offsite against the
# ledger.
. "$TOP/tests/lib.sh"
. "$TOP/tests/rclone-serve.sh"
trap rclone_stop_all EXIT

w=$(pwd)
mkdir -p log metrics scratch
export LOGBOOK_SCRATCH_DIR="$w/scratch"
cat >logbook.conf <<EOF
ARCHIVE_DIR=$w/archive
STATE_DIR=$w/state
METRICS_DIR=$w/metrics
SOURCES=web=$w/log/access.log.*
OFFSITE=wd:bk
EOF
logbook-genlog --lines 3000 --days 2 --bad-rate 0.01 >log/access.log.1

rclone_serve wd webdav "$w/srv.wd" || notok "offsite: rclone serve webdav starts"
rclone_serve sf sftp "$w/srv.sf" || notok "offsite: rclone serve sftp starts"
rclone_crypt cr wd:enc

# backup REMOTE ARG...: a run with its own state, copying to REMOTE.
backup() {
	_r=$1
	shift
	logbook-backup -c logbook.conf -o OFFSITE="$_r" \
	    -o STATE_DIR="$w/state.${_r%%:*}" "$@"
}

# local_files: the files of the archive folder that go offsite.
local_files() {
	(cd archive && find . -type f ! -name '.*' ! -name lock | sed 's|^\./||' |
	    LC_ALL=C sort)
}

# same_offsite NAME REMOTE: every local file is offsite, byte-identical
# (read back through rclone, so through crypt too).
same_offsite() {
	_bad=
	for _f in $(local_files); do
		rclone cat "$2/$_f" 2>/dev/null | cmp -s - "archive/$_f" ||
		    _bad="$_bad $_f"
	done
	rclone cat "$2/ledger.ndjson" 2>/dev/null |
	    cmp -s - "state.${2%%:*}/ledger.ndjson" || _bad="$_bad ledger.ndjson"
	check_eq "$1" "${_bad:-none differ}" "none differ"
}

# partials DIR: partial copies left in a served folder.
partials() {
	find "$1" -name '.*.partial' | wc -l | tr -d ' '
}

for r in wd sf cr; do
	backup "$r:bk"
	check_eq "offsite: $r: the run succeeds" $? 0
	same_offsite "offsite: $r: every archive, rejects and reasons file and the ledger offsite, byte-identical" "$r:bk"
	n=$(local_files | wc -l | tr -d ' ')
	check_eq "offsite: $r: the ledger has a line per file" \
	    "$(wc -l <"state.$r/ledger.ndjson" | tr -d ' ')" "$n"
	out=$(backup "$r:bk" --check-offsite)
	check_eq "offsite: $r: --check-offsite finds no difference" "$out" \
	    "$n files offsite as the ledger says, 0 a run behind, 0 differences"
done
check_eq "offsite: the archives include rejects and reasons" \
    "$(local_files | grep -c '^rejects/web/.*\.\(log\|reasons\)\.gz$')" 2
check_eq "offsite: wd: no partial copy left" "$(partials srv.wd)" 0
check_eq "offsite: sf: no partial copy left" "$(partials srv.sf)" 0
check_eq "offsite: cr: the served folder holds no name in the clear" \
    "$(find srv.wd/enc -name '*logbook*' -o -name '*.gz' | wc -l | tr -d ' ')" 0
check "offsite: cr: the served folder holds no event in the clear" \
    sh -c "! grep -rq 'GET /' srv.wd/enc"

# An unchanged archive folder copies nothing, and reads nothing back.
backup wd:bk -v 2>run.err
check_eq "offsite: a second run copies nothing" \
    "$(grep -c 'copied and read back' run.err)" 0
check_eq "offsite: metrics: copied in the last run" \
    "$(sed -n 's/^logbook_backup_offsite_copied //p' metrics/logbook_backup.prom)" 0
check_eq "offsite: metrics: daily archives proven offsite" \
    "$(sed -n 's/^logbook_backup_offsite_files{kind="daily"} //p' metrics/logbook_backup.prom)" 2
check "offsite: metrics: the last success is recorded" \
    grep -q '^logbook_backup_offsite_last_success_timestamp_seconds [0-9]' \
    metrics/logbook_backup.prom

# ---- a merge: the archive changes, its new version goes, the ledger
# keeps both versions --------------------------------------------------

logbook-genlog --lines 500 --days 1 --seed 7 >log/access.log.2
day=$(local_files | grep -m 1 '^20.*\.tar\.gz$')
backup wd:bk
check_eq "offsite: merge: the run succeeds" $? 0
check_eq "offsite: merge: the ledger holds both versions of the archive" \
    "$(grep -c "\"path\":\"$day\"" state.wd/ledger.ndjson)" 2
same_offsite "offsite: merge: the new version is offsite" wd:bk
old=$(grep -m 1 "\"path\":\"$day\"" state.wd/ledger.ndjson |
    sed 's/.*"sha256":"\([0-9a-f]*\)".*/\1/')
check "offsite: merge: the two versions differ" \
    sh -c "[ '$old' != '$(sha256sum <"archive/$day" | cut -c 1-64)' ]"

# ---- --check-offsite names every difference ---------------------------

n=$(local_files | wc -l | tr -d ' ')
printf 'X' | dd of="srv.wd/bk/$day" bs=1 seek=300 conv=notrunc 2>/dev/null
lost=$(local_files | grep '\.tar\.gz$' | sed -n 2p)
rm "srv.wd/bk/$lost"
echo stray >srv.wd/bk/stray.txt
backup wd:bk --check-offsite >check.out
check_eq "offsite: check: a difference exits 1" $? 1
check "offsite: check: a changed copy is named" \
    grep -q "^changed wd:bk/$day: sha256 [0-9a-f]* offsite; no version in the ledger has it" check.out
check "offsite: check: a lost copy is named" \
    grep -q "^lost wd:bk/$lost: proven offsite once" check.out
check "offsite: check: a file in no ledger line is named" \
    grep -q "^unknown wd:bk/stray.txt: offsite, in no line of the ledger" check.out
check_eq "offsite: check: the summary" "$(tail -n 1 check.out)" \
    "$((n - 2)) files offsite as the ledger says, 0 a run behind, 3 differences"
backup wd:bk
check_eq "offsite: check: the next run copies the lost and changed ones again" $? 0
same_offsite "offsite: check: repaired, byte-identical" wd:bk
rm srv.wd/bk/stray.txt

# An older version offsite is a run behind, not a forgery.
cp "srv.wd/bk/$day" older.tgz
logbook-genlog --lines 200 --days 1 --seed 8 >log/access.log.3
logbook-backup -c logbook.conf -o STATE_DIR="$w/state.wd" -o OFFSITE= \
    >/dev/null
cp older.tgz "srv.wd/bk/$day"
backup wd:bk -n >dry.out
check "offsite: dry run: names the changed archive it would copy" \
    grep -q "^offsite $day: changed, copy to wd:bk/$day" dry.out
# the ledger line of the new version is written by a run that copies;
# until then the new version is unknown to the ledger, the old one is not
backup wd:bk --check-offsite >check.out
check_eq "offsite: check: the old version offsite is no difference" $? 0
backup wd:bk
backup wd:bk --check-offsite >check.out
check_eq "offsite: check: after the copy, all as the ledger says" \
    "$(tail -n 1 check.out)" "$n files offsite as the ledger says, 0 a run behind, 0 differences"

# The host's disk lost: no local ledger, the one offsite is used.
mv state.wd state.wd.kept
backup wd:bk --check-offsite >check.out
check_eq "offsite: check: without a local ledger, the one offsite" \
    "$(tail -n 1 check.out)" "$n files offsite as the ledger says, 0 a run behind, 0 differences"
rm -rf state.wd
mv state.wd.kept state.wd

# ---- kill -9 during an upload, then a rerun ----------------------------

# A bigger archive of its own, so that an upload lasts: rclone's servers
# write a small upload in one piece when it is whole.
mkdir -p log.big
logbook-genlog --lines 60000 --days 1 --seed 3 >log.big/access.log.1
cat >big.sh <<EOF
big() {
	logbook-backup -c "$w/logbook.conf" -o ARCHIVE_DIR="$w/archive.big" \\
	    -o SOURCES="big=$w/log.big/access.log.*" -o OFFSITE=slow:bk \\
	    -o STATE_DIR="$w/state.slow" "\$@"
}
EOF
. ./big.sh
# sftp: rclone serve webdav keeps an upload until it is whole
rclone_serve slow sftp "$w/srv.slow" || notok "offsite: a second sftp server starts"
setsid sh -c '. "$0/big.sh"; big -o RCLONE_FLAGS="--bwlimit 400k"' "$w" \
    2>kill.err &
pid=$!
i=0
while [ -z "$(find srv.slow -name '.*.partial' -size +1k)" ] && [ "$i" -lt 600 ]; do
	sleep 0.05
	i=$((i + 1))
done
# env kill: the kill of sh (dash) knows no process group
env kill -KILL -- "-$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check_eq "offsite: kill -9: it was killed during an upload" \
    "$(find srv.slow -name '.*.partial' -size +1k | wc -l | tr -d ' ')" 1
whole=yes
for f in $(cd srv.slow && find . -type f ! -name '.*' | sed 's|^\./||'); do
	case $f in bk/ledger.ndjson) continue ;; esac
	cmp -s "srv.slow/$f" "archive.big/${f#bk/}" || whole="no: $f"
done
check_eq "offsite: kill -9: no partial file under a final name" "$whole" yes
big
check_eq "offsite: kill -9: the rerun succeeds" $? 0
bad=
for f in $(cd archive.big && find . -type f ! -name '.*' ! -name lock |
    sed 's|^\./||'); do
	rclone cat "slow:bk/$f" 2>/dev/null | cmp -s - "archive.big/$f" ||
	    bad="$bad $f"
done
check_eq "offsite: kill -9: after the rerun every file offsite, byte-identical" \
    "${bad:-none differ}" "none differ"
check_eq "offsite: kill -9: the rerun leaves no partial copy" "$(partials srv.slow)" 0
check_eq "offsite: kill -9: and the copies are proven" \
    "$(big --check-offsite | tail -n 1)" \
    "1 files offsite as the ledger says, 0 a run behind, 0 differences"

# ---- remotes that fail ------------------------------------------------

snap() {
	find archive -type f -exec sha256sum {} + | LC_ALL=C sort
}
snap >before.sum

rclone_serve ro webdav "$w/srv.ro" --read-only || notok "offsite: a read-only server starts"
backup ro:bk -o RCLONE_FLAGS="--retries 1" 2>ro.err
check_eq "offsite: refused: the run exits 1" $? 1
check "offsite: refused: the remote path and rclone's message are named" \
    grep -q "^logbook-backup: ro:bk/20[0-9/-]*logbook-[0-9-]*\.tar\.gz: cannot copy offsite: Failed to copyto: " ro.err
check_eq "offsite: refused: nothing is proven in the state" \
    "$(cat state.ro/offsite.state 2>/dev/null | wc -l | tr -d ' ')" 0
check_eq "offsite: refused: metrics count the failed copies" \
    "$(sed -n 's/^logbook_backup_offsite_copies_failed //p' metrics/logbook_backup.prom)" \
    "$(($(local_files | wc -l) + 1))"
check "offsite: refused: no last success in the metrics" \
    sh -c "! grep -q '^logbook_backup_offsite_last_success' metrics/logbook_backup.prom"

mkdir -p srv.full
if mount -t tmpfs -o size=150k tmpfs srv.full 2>mount.err; then
	rclone_serve full webdav "$w/srv.full" || notok "offsite: a server on a full disk starts"
	backup full:bk -o RCLONE_FLAGS="--retries 1" 2>full.err
	check_eq "offsite: full: the run exits 1" $? 1
	check "offsite: full: the remote path and rclone's message are named" \
	    grep -q "^logbook-backup: full:bk/[^:]*: cannot copy offsite: " full.err
	whole=yes
	for f in $(cd srv.full && find . -type f ! -name '.*' | sed 's|^\./||'); do
		case $f in bk/ledger.ndjson) continue ;; esac
		cmp -s "srv.full/$f" "archive/${f#bk/}" || whole="no: $f"
	done
	check_eq "offsite: full: no partial file under a final name" "$whole" yes
	kill "$RCLONE_PID_full" 2>/dev/null
	wait "$RCLONE_PID_full" 2>/dev/null
	umount srv.full
else
	notok "offsite: full: cannot mount a small tmpfs: $(cat mount.err)"
fi

rclone_flip rot wd '\.tar\.gz$'
backup rot:rot -o RCLONE_FLAGS="--retries 1" 2>rot.err
check_eq "offsite: corrupted on read: the run exits 1" $? 1
check "offsite: corrupted on read: the copy read back is named" \
    grep -q "^logbook-backup: rot:rot/20[0-9/]*/logbook-[0-9-]*\.tar\.gz: the copy read back differs from .* (sha256 [0-9a-f]* offsite, [0-9a-f]* here)" rot.err
check_eq "offsite: corrupted on read: no archive is proven" \
    "$(grep -c '\.tar\.gz' state.rot/offsite.state 2>/dev/null)" 0

snap >after.sum
same_file "offsite: the failures left the archive folder as it was" \
    before.sum after.sum
