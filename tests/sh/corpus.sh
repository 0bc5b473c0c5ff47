# The real logs of ../shared/corpus: pinned counts, and every accepted
# line rebuilt byte for byte from its event.
. "$TOP/tests/lib.sh"
C=$SHARED/corpus
[ -d "$C" ] || { skip "corpus: $C is missing"; exit 0; }

# file events rejects
while read -r f ev rej; do
	logbook-ingest -q -r rej.log "$C/$f" > ev.json
	check_eq "corpus $f: events" "$(wc -l < ev.json)" "$ev"
	check_eq "corpus $f: rejects" "$(wc -l < rej.log)" "$rej"
	lb-evline < ev.json > back.log
	cat back.log rej.log | sort > got.sorted
	sort "$C/$f" > want.sorted
	same_file "corpus $f: events and rejects give back every line" \
	    got.sorted want.sorted
	# In order, too: drop the rejects from the input and compare.
	if [ "$rej" = 0 ]; then
		same_file "corpus $f: lines rebuilt in order" back.log "$C/$f"
	fi
done <<'LIST'
elastic-examples-apache/apache_logs 9999 1
elastic-examples-apache/apache_logs.pre-bc53b58 9986 14
nasa-http-aug95/NASA_access_log_Aug95.first1880 1880 0
lnav-shop-nginx/logfile_shop_access_log.0 1000 0
lnav-fixtures/logfile_access_log.0 3 0
lnav-fixtures/logfile_access_log.1 1 0
lnav-fixtures/logfile_bad_access_log.0 2 1
lnav-fixtures/logfile_regexp_access_log.0 0 2
lnav-fixtures/logfile_syslog_with_access_log.0 0 5
beats-fixtures/apache-access-test.log 6 0
beats-fixtures/apache-access-darwin-2.4.23.log 6 0
beats-fixtures/apache-access-ssl-request.log 0 2
beats-fixtures/apache-access-test-vhost.log 1 0
beats-fixtures/nginx-access-test.log 8 3
beats-fixtures/nginx-access-test-with-host.log 5 5
LIST

# The quirks the corpus README names.
logbook-ingest -q "$C/lnav-shop-nginx/logfile_shop_access_log.0" > shop.json
check_eq "corpus: +0330 offset lands in UTC hour 00" \
    "$(cut -d'"' -f8 shop.json | cut -c1-13 | sort -u | tr '\n' ' ')" \
    "2019-01-22T00 "
logbook-ingest -q "$C/elastic-examples-apache/apache_logs" > el.json
check_eq "corpus: apache_logs events per UTC day" \
    "$(cut -d'"' -f8 el.json | cut -c1-10 | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" \
    "2015-05-17:1632 2015-05-18:2893 2015-05-19:2896 2015-05-20:2578 "
check_eq "corpus: apache_logs bytes '-' are null" \
    "$(grep -c '"bytes":null' el.json)" 669
logbook-ingest -q "$C/nasa-http-aug95/NASA_access_log_Aug95.first1880" > nasa.json
check_eq "corpus: NASA HTTP/0.9 requests have no proto" \
    "$(grep -c '"method":"GET","path":"[^"]*","query":null,"proto":null' nasa.json)" 7
logbook-ingest -q -r sys.rej "$C/lnav-fixtures/logfile_syslog_with_access_log.0" > /dev/null
same_file "corpus: rejected lines are kept verbatim" sys.rej \
    "$C/lnav-fixtures/logfile_syslog_with_access_log.0"
