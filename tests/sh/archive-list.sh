# logbook-archive --list: the archives of DIR/YYYY/MM/ of their month,
# one path a line, oldest first; and lb_archives of lib/logbook.sh, which
# the jobs read it through: the list find(1) and awk(1) gave.
. "$TOP/tests/lib.sh"

# A folder with archives in their place and files that are not: --list
# reads names, not contents.
mkdir -p l/2025/10 l/2025/09 l/2025/10/sub l/2025/02 l/2024/12 l/202/10 \
    l/.old/2025/10 other/2023/01 l/2025/10/logbook-2025-10-05.tar.gz
for f in 2025/10/logbook-2025-10-14.tar.gz 2025/10/logbook-2025-10-13.tar.gz \
    2024/12/logbook-2024-12-31.tar.gz 2025/10/logbook-2025-10.hourly.tar.gz \
    2025/09/logbook-2025-10-01.tar.gz 2025/logbook-2025-10-02.tar.gz \
    2025/10/sub/logbook-2025-10-03.tar.gz 2025/10/logbook-2025-10-3.tar.gz \
    202/10/logbook-202-10-06.tar.gz .old/2025/10/logbook-2025-10-07.tar.gz \
    2025/10/.logbook-2025-10-08.tar.gz.AbCdEf 2025/10/notes.txt; do
	: >"l/$f"
done
: >other/2023/01/logbook-2023-01-02.tar.gz
ln -s "$PWD/l/2025/10/logbook-2025-10-13.tar.gz" \
    l/2025/10/logbook-2025-10-04.tar.gz
ln -s "$PWD/other/2023" l/2023
ln -s nowhere l/2025/10/logbook-2025-10-09.tar.gz

check_eq "archive-list: the daily archives in place, oldest first" \
    "$(logbook-archive --list -d l; echo "status $?")" \
    "l/2024/12/logbook-2024-12-31.tar.gz
l/2025/10/logbook-2025-10-13.tar.gz
l/2025/10/logbook-2025-10-14.tar.gz
status 0"
check_eq "archive-list: --hourly, the monthly ones" \
    "$(logbook-archive --list --hourly -d l)" \
    "l/2025/10/logbook-2025-10.hourly.tar.gz"
check_eq "archive-list: DIR as given, a slash, the rest" \
    "$(logbook-archive --list --dir=l/ | head -n 1)" \
    "l//2024/12/logbook-2024-12-31.tar.gz"

# lb_archives: what the find and awk it had listed, here the same.
old_archives() {
	find "$1" -type f \
	    -name 'logbook-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].tar.gz' |
	    LC_ALL=C awk -v top="$1" '{
		rel = substr($0, length(top) + 2)
		if (rel !~ /^[0-9][0-9][0-9][0-9]\/[0-9][0-9]\/logbook-/) next
		if (substr(rel, 1, 4) != substr(rel, 17, 4)) next
		if (substr(rel, 6, 2) != substr(rel, 22, 2)) next
		print substr(rel, 17, 10) "\t" $0
	    }' | LC_ALL=C sort | cut -f 2-
}
archives() {
	(
		LB_PROG=logbook-test
		. "$TOP/lib/logbook.sh"
		LB_TMP=$PWD/tmp
		mkdir -p "$LB_TMP"
		lb_archives "$@"
	)
}
check_eq "archive-list: lb_archives lists what find and awk did" \
    "$(archives "$PWD/l")" "$(old_archives "$PWD/l")"
check_eq "archive-list: lb_archives of a missing folder: none, status 0" \
    "$(archives "$PWD/nope"; echo "status $?")" "status 0"
# The one difference: a name of no valid date is never an archive.
: >l/2025/02/logbook-2025-02-30.tar.gz
check_eq "archive-list: a name of no date is not listed" \
    "$(logbook-archive --list -d l | grep -c 02-30)" 0
check_eq "archive-list: find and awk listed it" \
    "$(old_archives l | grep -c 02-30)" 1

mkdir e
check_eq "archive-list: an empty folder: nothing, status 0" \
    "$(logbook-archive --list -d e 2>&1; echo "status $?")" "status 0"
check_eq "archive-list: a missing folder is an error, exit 1" \
    "$(logbook-archive --list -d nope 2>&1; echo "status $?")" \
    "logbook-archive: nope: No such file or directory
status 1"
check "archive-list: and no folder is made" test ! -e nope
check_eq "archive-list: a file is no folder, exit 1" \
    "$(logbook-archive --list -d l/2025/10/notes.txt 2>&1; echo "$?")" \
    "logbook-archive: l/2025/10/notes.txt: Not a directory
1"
logbook-archive --list -d l l/2025/10/notes.txt >/dev/null 2>usage.err
check_eq "archive-list: with a file, exit 2" "$? $(head -n 1 usage.err)" \
    "2 logbook-archive: --list reads no file"
nl=$(printf 'n\nl')
mkdir -p "$nl/2025/10"
: >"$nl/2025/10/logbook-2025-10-13.tar.gz"
check_eq "archive-list: a folder with a newline in its name is refused" \
    "$(logbook-archive --list -d "$nl" 2>&1; echo "status $?")" \
    'logbook-archive: n\x0al: a newline in the folder'"'"'s name: not listed
status 1'

# A folder that cannot be read is no empty one: it is named, the others
# are listed, exit 1; lb_archives fails naming it.  As nobody, for root
# reads anything; in a folder of /tmp, which nobody can reach.
if setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null
then
	tmp=$(mktemp -d /tmp/lblist.XXXXXX)
	chmod 755 "$tmp"
	cp "$(command -v logbook-archive)" "$tmp/"
	cp -R l "$tmp/l"
	chmod -R a+rX "$tmp/l"
	chmod 311 "$tmp/l/2025/10"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$tmp/logbook-archive" --list -d "$tmp/l" >ur.out 2>ur.err
	check_eq "archive-list: an unreadable folder: exit 1, named" \
	    "$? $(cat ur.err)" \
	    "1 logbook-archive: $tmp/l/2025/10: Permission denied"
	check_eq "archive-list: the others are listed" "$(cat ur.out)" \
	    "$tmp/l/2024/12/logbook-2024-12-31.tar.gz"
	cp "$TOP/lib/logbook.sh" "$tmp/"
	mkdir "$tmp/scratch"
	chmod 777 "$tmp/scratch"
	# shellcheck disable=SC2016
	setpriv --reuid=nobody --regid=nogroup --clear-groups env \
	    PATH="$tmp:$PATH" sh -c 'LB_PROG=logbook-test
	    . "$1/logbook.sh"
	    LB_TMP=$1/scratch
	    lb_archives "$1/l"
	    echo "lb_archives went on"' sh "$tmp" >ur.out 2>ur.err
	check_eq "archive-list: lb_archives fails naming it" \
	    "$? $(cat ur.out ur.err)" \
	    "1 logbook-test: $tmp/l/2025/10: Permission denied"
	chmod 755 "$tmp/l/2025/10"
	rm -rf "$tmp"
else
	ok "archive-list: # SKIP cannot run as nobody"
fi
