# clf2json.awk: Apache/nginx "combined" access log lines to NDJSON, the
# way a careful person would write it in awk (tuned for mawk).  It is
# the peer that logbook-ingest is measured against in bench/ingest.sh.
#
#   mawk -f bench/clf2json.awk access.log > events.ndjson
#
# What makes it correct, not just fast:
# - quoted fields end at the first quote that is not escaped, so user
#   agents with \" inside (and a trailing \\) are split right;
# - Apache escapes become JSON: \" \\ \n \t \r \b stay, \xhh becomes
#   \u00hh (Latin-1), raw control and non-ASCII bytes are escaped too;
# - "-" becomes null; status and bytes are numbers;
# - the timestamp becomes UTC ISO-8601, honouring its offset (memoised
#   per local minute and offset: calendar arithmetic is the slow part);
# - a line that is not combined is counted and skipped, not half-parsed.

BEGIN {
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mname, " ")
	for (i = 1; i <= 12; i++)
		mon[mname[i]] = i
	# Bytes that JSON cannot take as they are, and the backslash.
	for (i = 1; i < 256; i++)
		ord[sprintf("%c", i)] = i
	special = "[\\\\" sprintf("%c", 1) "-" sprintf("%c", 31) \
	    sprintf("%c", 127) "-" sprintf("%c", 255) "]"
	tsre = "^[0-3][0-9]/[A-Z][a-z][a-z]/[0-9][0-9][0-9][0-9]:" \
	    "[0-2][0-9]:[0-5][0-9]$"
	tzre = "^[-+][0-2][0-9][0-5][0-9]$"
	bad = 0
}

# Days since 1970-01-01 of a Gregorian date (H. Hinnant's algorithm).
function days(y, m, d,    era, yoe, doy) {
	y -= m <= 2
	era = int((y >= 0 ? y : y - 399) / 400)
	yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + \
	    doy - 719468
}

# "YYYY-MM-DDTHH:MM:" in UTC of a local minute "DD/Mon/YYYY:HH:MM" at
# offset tz, or "" when either is not a real time.
function utcmin(lm, tz,    d, m, y, t, z, era, doe, yoe, doy, mp) {
	if (lm !~ tsre || tz !~ tzre || !((m = substr(lm, 4, 3)) in mon))
		return ""
	d = substr(lm, 1, 2) + 0
	m = mon[m]
	y = substr(lm, 8, 4) + 0
	t = days(y, m, d) * 1440 + substr(lm, 13, 2) * 60 + substr(lm, 16, 2)
	z = substr(tz, 2, 2) * 60 + substr(tz, 4, 2)
	t -= substr(tz, 1, 1) == "-" ? -z : z
	z = t % 1440
	if (z < 0)
		z += 1440
	t = (t - z) / 1440 + 719468
	era = int((t >= 0 ? t : t - 146096) / 146097)
	doe = t - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - \
	    int(doe / 146096)) / 365)
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9
	y = yoe + era * 400 + (m <= 2)
	return sprintf("%04d-%02d-%02dT%02d:%02d:", y, m, d, int(z / 60),
	    z % 60)
}

# Where the quoted field that s starts inside ends: the position of its
# closing quote, 0 if none.  Most fields have no backslash at all.
function qend(s,    i, n, c) {
	i = index(s, "\"")
	if (i == 0 || (i > 1 && substr(s, i - 1, 1) != "\\") || i == 1)
		return i
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "\\")
			i++
		else if (c == "\"")
			return i
	}
	return 0
}

# A log field as a JSON value: "-" is null; escapes made JSON.  Most
# fields have nothing to escape: they take the short way.
function js(s,    out, i, c, h) {
	if (s == "-")
		return "null"
	if (s !~ special)
		return "\"" s "\""
	out = ""
	while ((i = match(s, special)) > 0) {
		out = out substr(s, 1, i - 1)
		c = substr(s, i, 1)
		if (c != "\\") {
			out = out sprintf("\\u%04x", ord[c])
			s = substr(s, i + 1)
			continue
		}
		c = substr(s, i + 1, 1)
		h = substr(s, i + 2, 2)
		if (c == "x" && h ~ /^[0-9a-fA-F][0-9a-fA-F]$/) {
			out = out "\\u00" tolower(h)
			s = substr(s, i + 4)
		} else if (c != "" && index("\"\\ntrb", c) > 0) {
			out = out "\\" c
			s = substr(s, i + 2)
		} else if (c == "v") {
			out = out "\\u000b"
			s = substr(s, i + 2)
		} else {
			out = out "\\\\"
			s = substr(s, i + 1)
		}
	}
	return "\"" out s "\""
}

function reject() {
	bad++
}

{
	line = $0
	if (substr(line, length(line)) == "\r")
		line = substr(line, 1, length(line) - 1)
	# IP IDENT USER [time] "request" status bytes "referer" "agent"
	b = index(line, " [")
	if (b == 0 || split(substr(line, 1, b - 1), h, " ") != 3 ||
	    substr(line, b + 28, 3) != "] \"") {
		reject()
		next
	}
	lt = substr(line, b + 2, 26)
	key = substr(lt, 1, 17) substr(lt, 21, 6)
	if (!(key in utc))
		utc[key] = utcmin(substr(lt, 1, 17), substr(lt, 22, 5))
	ss = substr(lt, 19, 2)
	if (utc[key] == "" || ss !~ /^[0-5][0-9]$/ || substr(lt, 18, 1) != ":") {
		reject()
		next
	}
	rest = substr(line, b + 31)
	if (!(q = qend(rest))) {
		reject()
		next
	}
	req = substr(rest, 1, q - 1)
	rest = substr(rest, q + 1)
	if (!match(rest, /^ [1-5][0-9][0-9] (-|[0-9]+) "/)) {
		reject()
		next
	}
	status = substr(rest, 2, 3)
	bytes = substr(rest, 6, RLENGTH - 7)
	rest = substr(rest, RLENGTH + 1)
	if (!(q = qend(rest)) || substr(rest, q + 1, 2) != " \"") {
		reject()
		next
	}
	ref = substr(rest, 1, q - 1)
	rest = substr(rest, q + 3)
	if (!(q = qend(rest)) || q != length(rest)) {
		reject()
		next
	}
	ua = substr(rest, 1, q - 1)
	# "METHOD target PROTO"; anything else (TLS bytes, "-") stays in req.
	if (split(req, r, " ") == 3 && r[3] ~ /^HTTP\/[0-9.]+$/) {
		method = js(r[1])
		if ((i = index(r[2], "?")) > 0) {
			path = js(substr(r[2], 1, i - 1))
			query = js(substr(r[2], i + 1))
		} else {
			path = js(r[2])
			query = "null"
		}
		proto = js(r[3])
		req = "null"
	} else {
		method = path = query = proto = "null"
		req = js(req)
	}
	print "{\"ts\":\"" utc[key] ss "Z\",\"tz\":\"" substr(lt, 22, 5) \
	    "\",\"ip\":" js(h[1]) ",\"ident\":" js(h[2]) ",\"user\":" \
	    js(h[3]) ",\"method\":" method ",\"path\":" path ",\"query\":" \
	    query ",\"proto\":" proto ",\"req\":" req ",\"status\":" \
	    (status + 0) ",\"bytes\":" (bytes == "-" ? "null" : bytes + 0) \
	    ",\"referer\":" js(ref) ",\"ua\":" js(ua) "}"
}

END {
	if (bad > 0)
		printf "clf2json.awk: %d lines rejected\n", bad > "/dev/stderr"
}
