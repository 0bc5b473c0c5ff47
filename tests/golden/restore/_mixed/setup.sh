# Sourced by the emit-* cases (this folder has no cmd): lines of five
# formats over two dates, archived together, in ./a; their input in
# ./input.log.
printf '%s\n' \
    '192.0.2.1 - alice [13/Oct/2025:06:15:02 +0200] "GET /a?b=1 HTTP/1.1" 200 512 "https://example.com/" "curl/8.0"' \
    '192.0.2.5 - - [13/Oct/2025:07:00:00 +0000] "\x16\x03\x01" 400 0 "-" "-"' \
    >combined.log
printf '%s\n' \
    '192.0.2.2 - - [13/Oct/2025:08:00:01 +0000] "POST /api/x HTTP/2.0" 503 - "-" "ua \"q\"" 0.050' \
    >nginx.log
printf '%s\n' \
    '10.0.0.1 - - [2025-10-13T09:00:00+02:00] "GET /iso HTTP/1.1" 404 17' \
    >iso.log
printf 'www.example.com:443 192.0.2.9 - - [13/Oct/2025:23:59:59 -0700] "GET /v\344 HTTP/1.1" 200 5 "-" "x"\r\n' \
    >vhost.log
printf '%s\n' \
    '192.0.2.3 - - [13/Oct/2025:10:00:00 +0000] "GET /d HTTP/1.1" 200 5 "-" "x" 116075' \
    >usec.log
{
	logbook-ingest combined.log
	logbook-ingest -f nginx nginx.log
	logbook-ingest -f \
	    '$remote_addr - $remote_user [$time_iso8601] "$request" $status $body_bytes_sent' \
	    iso.log
	logbook-ingest vhost.log
	logbook-ingest -f \
	    '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D' usec.log
} >events.ndjson || exit 9
logbook-archive -d a events.ndjson >/dev/null || exit 9
cat combined.log nginx.log iso.log vhost.log usec.log >input.log
rm -f combined.log nginx.log iso.log vhost.log usec.log
