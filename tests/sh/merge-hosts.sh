# Several hosts' archive folders merged into one, as logbook(7) and
# logbook-archive(1) give it: logbook-restore --emit ndjson of the
# folders, piped into logbook-archive.  Dates in both folders become one
# archive holding both hosts' events; the result verifies, restores
# into one database that passes its checks, and gives back every line of
# both logs; a second merge adds nothing and changes no byte; merging
# in either order, or one folder after the other, gives the same bytes.
. "$TOP/tests/lib.sh"

logbook-genlog --lines 8000 --days 3 --seed 1 --start 2025-10-13 >web1.log
logbook-genlog --lines 6000 --days 3 --seed 2 --start 2025-10-14 \
    --format nginx >web2.log
logbook-ingest -s web1 web1.log >e1
logbook-ingest -s web2 web2.log >e2
logbook-archive -d A e1 >/dev/null
logbook-archive -d B e2 >/dev/null

check "merge: two folders into one, exit 0" \
    sh -c 'logbook-restore --emit ndjson A B | logbook-archive -d C >out'
check_eq "merge: one archive per date of either folder" \
    "$(cd C && find . -name 'logbook-*.tar.gz' | sort | tr '\n' ' ')" \
    "./2025/10/logbook-2025-10-13.tar.gz ./2025/10/logbook-2025-10-14.tar.gz ./2025/10/logbook-2025-10-15.tar.gz ./2025/10/logbook-2025-10-16.tar.gz "
check "merge: the merged folder verifies" sh -c 'logbook-verify -q C'
check_eq "merge: its events are both hosts'" \
    "$(logbook-restore --emit ndjson C | wc -l)" "$(cat e1 e2 | wc -l)"
check_eq "merge: a date both hosts had holds both sources" \
    "$(logbook-restore --emit ndjson C/2025/10/logbook-2025-10-14.tar.gz |
        grep -o '"src":"web[12]"' | sort -u | tr '\n' ' ')" \
    '"src":"web1" "src":"web2" '
logbook-restore --emit original C | LC_ALL=C sort >back
cat web1.log web2.log | LC_ALL=C sort >logs
check "merge: every line of both logs comes back" cmp -s logs back

find C -type f -exec sha256sum {} + | sort >sum1
logbook-restore --emit ndjson A B | logbook-archive -d C >again
check_eq "merge: a second merge adds nothing" \
    "$(awk '{ s += $3 } END { print s + 0 }' again)" 0
find C -type f -exec sha256sum {} + | sort >sum2
check "merge: ... and changes no byte" cmp -s sum1 sum2

logbook-restore --emit ndjson B A | logbook-archive -d D >/dev/null
logbook-restore --emit ndjson A | logbook-archive -d E >/dev/null
logbook-restore --emit ndjson B | logbook-archive -d E >/dev/null
for x in D E; do
	(cd C && find . -name '*.tar.gz' | sort | xargs sha256sum) >c.sum
	(cd $x && find . -name '*.tar.gz' | sort | xargs sha256sum) >x.sum
	check "merge: folder $x (other order, or one folder then the other): the same bytes" \
	    cmp -s c.sum x.sum
done

logbook-restore -q -d m.db C
check "merge: the merged folder restores into one database" test -s m.db
check "merge: ... which passes logbook-restore --check" \
    logbook-restore -q --check -d m.db C
check "merge: ... and logbook-verify --db" logbook-verify -q --db m.db C

# The merged folder's page: a view per host and the total.
logbook-report C >c.html
check_eq "merge: the report shows each host's requests" \
    "$(grep -o '<tr data-src="web[12]"><td class="p">web[12]</td><td class="n" data-value="[0-9]*"' c.html |
        sed 's/.*data-src="\([^"]*\)".*data-value="\([0-9]*\)"/\1 \2/' | tr '\n' ' ')" \
    "web1 $(wc -l <e1 | tr -d ' ') web2 $(wc -l <e2 | tr -d ' ') "
