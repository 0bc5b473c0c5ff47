# The jobs' shell code is POSIX sh that shellcheck finds nothing in; the
# completion is bash that it finds nothing in either.
. "$TOP/tests/lib.sh"

if ! command -v shellcheck >/dev/null 2>&1; then
	notok "lint: shellcheck is not installed (apt-get install shellcheck)"
	exit 0
fi
for f in bin/logbook-backup bin/logbook-retention bin/logbook-drill \
    lib/logbook.sh; do
	if out=$(cd "$TOP" && shellcheck -x -s sh "$f" 2>&1); then
		ok "lint: $f: shellcheck -s sh is clean"
	else
		notok "lint: $f: $(printf '%s\n' "$out" | grep -m 3 SC | tr '\n' ' ')"
	fi
done
if out=$(cd "$TOP" && shellcheck -s bash completion/logbook 2>&1); then
	ok "lint: completion/logbook: shellcheck -s bash is clean"
else
	notok "lint: completion/logbook: $(printf '%s\n' "$out" | grep -m 3 SC |
	    tr '\n' ' ')"
fi
for f in bin/logbook-backup bin/logbook-retention bin/logbook-drill; do
	check_eq "lint: $f starts with #!/bin/sh" "$(head -n 1 "$TOP/$f")" \
	    "#!/bin/sh"
done
