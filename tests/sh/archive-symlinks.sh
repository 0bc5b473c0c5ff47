# logbook-archive follows no symbolic link it finds in the archive folder
# when it removes, makes or replaces something: links and files of other
# owners that have the names of a killed run's leftovers are left alone,
# with a warning, and what they point to is untouched; year and month
# folders that are links are neither swept nor written through.
. "$TOP/tests/lib.sh"

logbook-genlog --lines 200 --days 2 --seed 8 | logbook-ingest >ev.ndjson
logbook-genlog --lines 20 --start 2025-11-02 --seed 9 | logbook-ingest \
    >nov.ndjson
logbook-archive -d arch ev.ndjson >/dev/null

# What must not be touched, and what would match the sweeps in it.
mkdir -p victim/10 victim/mon victim/nov
echo precious >victim/file
echo precious >victim/20374.lines
echo precious >victim/10/.logbook-2024-10-01.tar.gz.AAAAAA
echo precious >victim/mon/.logbook-2025-09-01.tar.gz.BBBBBB
snap() {
	(cd victim && find . -type f -exec sha256sum {} + | sort)
}
snap >victim.before

w=$PWD
ln -s "$w/victim" arch/.logbook-archive.AAAAAA
ln -s "$w/victim" "arch/.logbook-archive.A$(printf '\033')[2JB"
echo not a folder >arch/.logbook-archive.BBBBBB
mkdir arch/.logbook-archive.CCCCCC
echo theirs >arch/.logbook-archive.CCCCCC/1.lines
chown -R nobody arch/.logbook-archive.CCCCCC
ln -s "$w/victim" arch/2024
ln -s "$w/victim/mon" arch/2025/09
ln -s "$w/victim/file" arch/2025/10/.logbook-2025-10-13.tar.gz.DDDDDD
# What a killed run of ours left: still removed.
mkdir arch/.logbook-archive.EEEEEE
echo spilled >arch/.logbook-archive.EEEEEE/20374.lines
ln -s "$w/victim/file" arch/.logbook-archive.EEEEEE/20374.index
echo temp >arch/2025/10/.logbook-2025-10-14.tar.gz.FFFFFF

logbook-genlog --lines 30 --days 2 --seed 10 | logbook-ingest >more.ndjson
logbook-archive -d arch more.ndjson >run.out 2>run.err
check_eq "symlinks: the run exits 0" $? 0
snap >victim.after
same_file "symlinks: nothing a link points to is touched" victim.before \
    victim.after
check "symlinks: the planted links are left" sh -c '
	test -L arch/.logbook-archive.AAAAAA && test -L arch/2024 &&
	test -L arch/2025/09 &&
	test -L arch/2025/10/.logbook-2025-10-13.tar.gz.DDDDDD'
check "symlinks: a file with a spill folder's name is left" \
    test -f arch/.logbook-archive.BBBBBB
check "symlinks: a folder of another owner is left" \
    test -f arch/.logbook-archive.CCCCCC/1.lines
check "symlinks: a killed run's spill folder is removed" \
    test ! -e arch/.logbook-archive.EEEEEE
check "symlinks: a killed run's temporary archive is removed" \
    test ! -e arch/2025/10/.logbook-2025-10-14.tar.gz.FFFFFF
for n in AAAAAA BBBBBB CCCCCC; do
	check "symlinks: warns of arch/.logbook-archive.$n" grep -q \
	    "^logbook-archive: arch/.logbook-archive.$n: left alone: " run.err
done
check "symlinks: warns of the temporary archive that is a link" grep -qx \
    'logbook-archive: arch/2025/10/.logbook-2025-10-13.tar.gz.DDDDDD: left alone: a symbolic link' \
    run.err
check "symlinks: the warning escapes a name's control characters" grep -q \
    '^logbook-archive: arch/.logbook-archive.A\\x1b\[2JB: left alone: a symbolic link$' \
    run.err
check_eq "symlinks: no control character reaches stderr" \
    "$(tr -d '\n' <run.err | tr -d '[:print:]' | wc -c)" 0
check "symlinks: the archives verify" logbook-verify -q arch

# A month folder that is a link is not written through.
ln -s "$w/victim/nov" arch/2025/11
logbook-archive -d arch nov.ndjson >nov.out 2>nov.err
check_eq "symlinks: archiving into a linked month folder fails" $? 1
check "symlinks: and says why" grep -qx \
    'logbook-archive: arch/2025/11: a symbolic link, not followed' nov.err
check_eq "symlinks: nothing is written there" "$(ls -A victim/nov)" ""

# Nor is a lock file that is a link.
rm arch/2025/11
mv arch/.logbook-archive.lock lock.saved
ln -s "$w/victim/file" arch/.logbook-archive.lock
logbook-archive -d arch more.ndjson >lock.out 2>lock.err
check_eq "symlinks: a lock that is a link fails the run" $? 1
snap >victim.after
same_file "symlinks: and is not followed" victim.before victim.after
