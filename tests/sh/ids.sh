# The id rule of logbook-ingest(1), property by property.
. "$TOP/tests/lib.sh"

ids() { logbook-ingest -q "$@" | sed 's/^{"id":"\([^"]*\)".*/\1/'; }

H='192.0.2.9 - - [13/Oct/2025:06:15:02 +0000] "GET /health HTTP/1.1" 200 2 "-" "probe"'
A='198.51.100.1 - - [13/Oct/2025:06:15:01 +0000] "GET / HTTP/1.1" 200 10 "-" "x"'
B='198.51.100.2 - - [13/Oct/2025:06:15:03 +0000] "GET /b HTTP/1.1" 200 10 "-" "x"'
printf '%s\n%s\n%s\n%s\n' "$A" "$H" "$H" "$B" > access.log

# (1) the same input as a file, gzipped, or through a pipe.
ids access.log > f.ids
gzip -c access.log > access.log.gz
ids access.log.gz > gz.ids
ids < access.log > pipe.ids
cat access.log | ids - > dash.ids
same_file "ids: file and gzip agree" f.ids gz.ids
same_file "ids: file and pipe agree" f.ids pipe.ids
same_file "ids: file and - agree" f.ids dash.ids
ids access.log > again.ids
same_file "ids: re-ingesting gives the same ids" f.ids again.ids

# (2) two byte-identical lines in one input differ.
check_eq "ids: identical lines in one file differ" \
    "$(sort f.ids | uniq -d | wc -l)" 0

# (3) identical lines in two files of one source: logrotate cut between
# two identical health checks.
printf '%s\n%s\n' "$A" "$H" > access.log.1
printf '%s\n%s\n' "$H" "$B" > access.log.0
ids -s web1 access.log.1 access.log.0 > rot.ids
check_eq "ids: identical lines across rotated files differ" \
    "$(sort rot.ids | uniq -d | wc -l)" 0

# (4) a file that grew keeps the ids of its old lines.
head -n 2 access.log > grow.log
ids grow.log > grow1.ids
cat access.log | tail -n +3 >> grow.log
ids grow.log | head -n 2 > grow2.ids
same_file "ids: appended lines leave old ids alone" grow1.ids grow2.ids

# Names do not matter; the source label does.
cp access.log renamed.2
gzip -c access.log > other-name.gz
ids renamed.2 > ren.ids
ids other-name.gz > ren2.ids
same_file "ids: independent of the file name" f.ids ren.ids
same_file "ids: independent of the name of a gzip file" f.ids ren2.ids
ids -s web2 access.log > src.ids
check "ids: a source label changes the ids" sh -c '! cmp -s f.ids src.ids'

# Ids sort by time: the prefix is the UTC second of ts.
check_eq "ids: time prefix" "$(head -n 1 f.ids | cut -c1-16)" \
    "20251013T061501-"
check "ids: format" sh -c 'grep -Evq "^[0-9]{8}T[0-9]{6}-[0-9a-f]{16}$" f.ids && exit 1 || exit 0'

# (5) memory stays bounded: ids need no table of what was seen.
awk -v h="$H" 'BEGIN { for (i = 0; i < 200000; i++) print h }' > many.log
ids many.log > many.ids
check_eq "ids: 200000 identical lines, 200000 distinct ids" \
    "$(sort -u many.ids | wc -l)" 200000
