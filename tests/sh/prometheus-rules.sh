# The alerting rules of etc/prometheus/logbook.rules.yml: promtool check
# rules, promtool test rules on tests/prometheus/logbook.rules.test.yml
# (each alert fires when it should and not otherwise), logbook(7) names
# the same alerts, and the rules read metrics the jobs write.
. "$TOP/tests/lib.sh"

rules=$TOP/etc/prometheus/logbook.rules.yml
tests=$TOP/tests/prometheus/logbook.rules.test.yml
if ! command -v promtool >/dev/null 2>&1; then
	notok "rules: promtool is not installed (apt-get install prometheus)"
	exit 0
fi

# promtool's output, its paths left out, on one line.
said() {
	sed "s|$TOP/||g" "$1" | grep -v '^$' | head -n 8 | tr '\n' ' '
}

if promtool check rules "$rules" >check.out 2>&1; then
	ok "rules: promtool check rules: $(grep -o '[0-9]* rules found' check.out)"
else
	notok "rules: promtool check rules: $(said check.out)"
fi
if promtool test rules "$tests" >test.out 2>&1; then
	ok "rules: promtool test rules"
else
	notok "rules: promtool test rules: $(said test.out)"
fi

# The alerts of the file, of the page, and of the tests where they fire
# and where they do not.
sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "$rules" | sort >file.alerts
sed -n '/^\.Ss Alerting rules/,/^\.S[sh] /p' "$TOP/man/logbook.7" |
    sed -n 's/^\.It Li \(Logbook[A-Za-z0-9_]*\)$/\1/p' | sort >page.alerts
check "rules: the file has alerts" test -s file.alerts
same_file "rules: logbook(7) lists the alerts of the file" \
    file.alerts page.alerts
awk '
/alertname:/ { a = $2; next }
/exp_alerts: *\[\]/ { if (a != "") quiet[a] = 1; a = ""; next }
/exp_alerts:/ { if (a != "") fires[a] = 1; a = ""; next }
END {
	for (a in fires) if (a in quiet) print a
}' "$tests" | sort >tested.alerts
same_file "rules: each alert is tested firing and not firing" \
    file.alerts tested.alerts

# Every logbook metric the rules read is one a job writes, but the
# offsite copy's, which is written elsewhere.
grep -v '^ *#' "$rules" | grep -o 'logbook_[a-z_]*' | sort -u |
    grep -vx logbook_backup_offsite_last_success_timestamp_seconds >read
: >unwritten
while IFS= read -r m; do
	grep -q "$m" "$TOP/bin/logbook-backup" "$TOP/bin/logbook-retention" \
	    "$TOP/bin/logbook-drill" || echo "$m" >>unwritten
done <read
check_eq "rules: the rules read metrics the jobs write" \
    "$(tr '\n' ' ' <unwritten)" ""
