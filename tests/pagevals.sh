# Helpers of the report tests: the numbers a page of logbook-report holds
# and the same sums of logbook-aggregate rows.  Sourced.

# val ID FILE: the data-value of the element with that id.
val() {
	grep -o "id=\"$1\" data-value=\"[^\"]*\"" "$2" | sed 's/.*data-value="//; s/"$//'
}

# sums FILE: "requests bytes s1xx s2xx s3xx s4xx s5xx" of rows.
sums() {
	awk '{
		for (i = 1; i <= 7; i++) {
			k = substr("requests bytes    s1xx     s2xx     s3xx     s4xx     s5xx", (i - 1) * 9 + 1, 9)
			sub(/ +$/, "", k)
			if (match($0, "\"" k "\":[0-9]+")) {
				v = substr($0, RSTART, RLENGTH)
				sub(/.*:/, "", v)
				t[i] += v
			}
		}
	} END { printf "%.0f %.0f %.0f %.0f %.0f %.0f %.0f\n", t[1], t[2], t[3], t[4], t[5], t[6], t[7] }' "$1"
}

# page FILE: the same seven numbers, from the page.
page() {
	echo "$(val total-requests "$1") $(val total-bytes "$1")" \
	    "$(val total-1xx "$1") $(val total-2xx "$1") $(val total-3xx "$1")" \
	    "$(val total-4xx "$1") $(val total-5xx "$1")"
}
