# make install and make uninstall, the systemd units and the cron.d file
# they install, one schedule in every page, and CPPFLAGS in every compile.
. "$TOP/tests/lib.sh"

w=$(pwd)
mk() {
	make -s --no-print-directory -C "$TOP" "$@"
}

# listing DIR: every path under DIR, with its type, sorted.
listing() {
	(cd "$1" && find . -exec sh -c \
	    'for f; do if [ -L "$f" ]; then echo "l $f"; elif [ -d "$f" ];
	    then echo "d $f"; else echo "f $f"; fi; done' sh {} + | sort)
}

# ---- install into a DESTDIR, then uninstall --------------------------

# A staging folder with the folders an installation shares and files of
# other packages in them, one in logbook's own folder: uninstall leaves
# exactly these.
D=$w/stage
for d in bin share/man/man1 share/man/man5 share/man/man7 share/man/man8 \
    share/bash-completion/completions lib/systemd/system share/logbook; do
	mkdir -p "$D/usr/$d"
done
for f in bin/other share/man/man1/other.1 lib/systemd/system/other.timer \
    share/bash-completion/completions/other share/logbook/local.conf; do
	echo other >"$D/usr/$f"
done
listing "$D" >before
if mk install PREFIX=/usr DESTDIR="$D" >install.out 2>&1; then
	ok "install: make install PREFIX=/usr DESTDIR=..."
else
	notok "install: make install PREFIX=/usr DESTDIR=...: $(tail -n 3 install.out)"
fi
listing "$D" >installed

# What is installed: every program, page, unit, the completion, the
# cron.d file and the examples, with the modes they should have.
want_files() {
	for p in "$TOP"/tools/*/; do
		p=${p%/}
		echo "f ./usr/bin/logbook-${p##*/} 755"
	done
	for s in backup retention drill; do
		echo "f ./usr/bin/logbook-$s 755"
	done
	for m in "$TOP"/man/*.[1-8]; do
		echo "f ./usr/share/man/man${m##*.}/${m##*/} 644"
	done
	for u in "$TOP"/etc/systemd/*.service "$TOP"/etc/systemd/*.timer; do
		echo "f ./usr/lib/systemd/system/${u##*/} 644"
	done
	for f in "$TOP"/etc/prometheus/*.yml; do
		[ -f "$f" ] && echo "f ./usr/share/logbook/prometheus/${f##*/} 644"
	done
	echo "f ./usr/share/logbook/cron.d/logbook 644"
	echo "f ./usr/share/logbook/logbook.conf.example 644"
	echo "f ./usr/share/logbook/logbook.sh 644"
	echo "f ./usr/share/bash-completion/completions/logbook 644"
}
want_files | sort >want.list
missing=
while read -r t p m; do
	if [ ! -f "$D/$p" ]; then
		missing="$missing $p"
	elif [ "$(stat -c %a "$D/$p")" != "$m" ]; then
		missing="$missing $p(mode $(stat -c %a "$D/$p"), want $m)"
	fi
done <want.list
check_eq "install: every program, page, unit and example, and its mode" \
    "$missing" ""
nlinks=$(grep -c '^l ./usr/share/bash-completion/completions/logbook-' installed)
check_eq "install: a completion link for each of the ten commands" \
    "$nlinks" 10

hits=$(cd "$D" && grep -rl /usr/local . | sort | tr '\n' ' ')
check_eq "install: PREFIX=/usr leaves no /usr/local in an installed file" \
    "$hits" ""
check_eq "install: the jobs find their code in DATADIR" \
    "$(grep -h '^LB_LIBDIR=' "$D"/usr/bin/logbook-backup \
    "$D"/usr/bin/logbook-retention "$D"/usr/bin/logbook-drill | sort -u)" \
    "LB_LIBDIR=/usr/share/logbook"
check_eq "install: the units start the jobs of BINDIR" \
    "$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' \
    "$D"/usr/lib/systemd/system/*.service | tr '\n' ' ')" \
    "/usr/bin/logbook-backup /usr/bin/logbook-drill /usr/bin/logbook-retention "
check_eq "install: logbook(7) names the installed example" \
    "$(grep -c '/usr/share/logbook/logbook.conf.example' \
    "$D"/usr/share/man/man7/logbook.7)" 2

if mk uninstall PREFIX=/usr DESTDIR="$D" >uninstall.out 2>&1; then
	ok "install: make uninstall PREFIX=/usr DESTDIR=..."
else
	notok "install: make uninstall: $(tail -n 3 uninstall.out)"
fi
listing "$D" >after
check_eq "install: uninstall leaves what was there before, nothing more" \
    "$(diff before after | grep '^[<>]' | tr '\n' ' ')" ""

# From an empty folder: no file, no folder of logbook's left.
E=$w/empty
mkdir -p "$E"
mk install PREFIX=/opt/lb DESTDIR="$E" >/dev/null 2>&1
mk uninstall PREFIX=/opt/lb DESTDIR="$E" >/dev/null 2>&1
check_eq "install: into an empty DESTDIR and out leaves no file" \
    "$(listing "$E" | grep -v '^d ' | tr '\n' ' ')" ""
check_eq "install: uninstall removes the folders of logbook's own" \
    "$(listing "$E" | grep logbook | tr '\n' ' ')" ""

# A folder given apart from PREFIX is rewritten once, as given.
F=$w/apart
mk install PREFIX=/opt/lb BINDIR=/usr/local/bin DESTDIR="$F" >/dev/null 2>&1
check_eq "install: BINDIR=/usr/local/bin with PREFIX=/opt/lb" \
    "$(sed -n 's/^ExecStart=//p' "$F"/opt/lb/lib/systemd/system/logbook-backup.service) $(grep '^PATH=' "$F"/opt/lb/share/logbook/cron.d/logbook)" \
    "/usr/local/bin/logbook-backup PATH=/usr/local/bin:/usr/bin:/bin"
mk uninstall PREFIX=/opt/lb BINDIR=/usr/local/bin DESTDIR="$F" >/dev/null 2>&1
check_eq "install: uninstall with the same folders leaves no file" \
    "$(listing "$F" | grep -v '^d ' | tr '\n' ' ')" ""

# ---- the cron.d file ---------------------------------------------------

# cronlint FILE BINDIR: what is wrong with a cron.d file, one line each:
# each line a comment, NAME=VALUE, or five time fields in range, the user
# and a command; a PATH line whose first folder is BINDIR and that has
# cron's own /usr/bin and /bin; the jobs run as root.
cronlint() {
	awk -v bindir="$2" '
	function field(v, lo, hi,   n, i, a, r, b) {
		n = split(v, a, ",")
		for (i = 1; i <= n; i++) {
			r = a[i]
			if (r ~ /\/[0-9]+$/) sub(/\/[0-9]+$/, "", r)
			if (r == "*") continue
			if (r !~ /^[0-9]+(-[0-9]+)?$/) return 0
			split(r, b, "-")
			if (b[1] + 0 < lo || b[1] + 0 > hi) return 0
			if ((2 in b) && (b[2] + 0 < lo || b[2] + 0 > hi)) return 0
			delete b
		}
		return 1
	}
	/^[ \t]*(#|$)/ { next }
	/^[A-Za-z_][A-Za-z0-9_]*=/ {
		if ($0 ~ /^PATH=/) {
			path = substr($0, 6)
			n = split(path, p, ":")
			if (p[1] != bindir) print "PATH does not begin with " bindir
			hb = hu = 0
			for (i = 1; i <= n; i++) {
				if (p[i] == "/bin") hb = 1
				if (p[i] == "/usr/bin") hu = 1
			}
			if (!hb || !hu) print "PATH lacks /usr/bin or /bin"
		}
		next
	}
	NF < 7 { print NR ": fewer than 7 fields"; next }
	{
		if (!field($1, 0, 59) || !field($2, 0, 23) || !field($3, 1, 31) ||
		    !field($4, 1, 12) || !field($5, 0, 7))
			print NR ": a time field out of range"
		if ($6 != "root") print NR ": user " $6 ", want root"
		if ($7 !~ /^logbook-(backup|retention|drill)$/)
			print NR ": command " $7 " is not a job"
		jobs++
	}
	END {
		if (path == "") print "no PATH line"
		if (jobs != 3) print jobs + 0 " job lines, want 3"
	}' "$1"
}
check_eq "install: etc/cron.d/logbook: fields, PATH line, user" \
    "$(cronlint "$TOP/etc/cron.d/logbook" /usr/local/bin | tr '\n' ' ')" ""
mk install PREFIX=/usr DESTDIR="$w/stage2" >/dev/null 2>&1
check_eq "install: the installed cron.d file: PATH begins with /usr/bin" \
    "$(cronlint "$w/stage2/usr/share/logbook/cron.d/logbook" /usr/bin |
    tr '\n' ' ')" ""
dots=
for f in "$TOP"/etc/cron.d/*; do
	case ${f##*/} in *.*) dots="$dots ${f##*/}" ;; esac
done
check_eq "install: no dot in the names of etc/cron.d/ (run-parts)" "$dots" ""

# ---- one schedule ------------------------------------------------------

# The job lines of the cron.d file, blanks squeezed: "15 2 * * * root
# logbook-backup".
grep -E '^[0-9]' "$TOP/etc/cron.d/logbook" | tr -s ' \t' ' ' >cron.jobs
# logbook(7) shows the file from its SHELL line on.
sed -n '/^\.Pa \/etc\/cron\.d\/logbook :$/,/^\.Ed$/p' "$TOP/man/logbook.7" |
    sed '1,2d;$d' >man7.cron
sed -n '/^SHELL=/,$p' "$TOP/etc/cron.d/logbook" >file.cron
same_file "install: logbook(7) shows etc/cron.d/logbook as it is" \
    file.cron man7.cron
for j in backup retention drill; do
	grep -E "^[0-9].* logbook-$j( |$)" "$TOP/man/logbook-$j.8" |
	    tr -s ' \t' ' ' >"$j.man"
	check_eq "install: logbook-$j(8) and the cron.d file: one schedule" \
	    "$(cat "$j.man")" "$(grep " logbook-$j" cron.jobs)"
done
# Every time of day named in the pages and etc/ is one of the schedule
# (02:15 03:45 04:30), Debian's cron.daily (06:25), or of no schedule: a
# day's start (00:00), an hour of an example (06:00, 07:00), a time
# zone (+02:00).  Times in ISO 8601 dates are an example's output.
times=$(cd "$TOP" && cat man/* etc/*/* etc/*.example 2>/dev/null |
    sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:?[0-9]{2})?//g' |
    grep -hoE '(^|[^0-9:T])[0-2]?[0-9]:[0-5][0-9]([^0-9:]|$)' |
    grep -oE '[0-2]?[0-9]:[0-5][0-9]' | sort -u | tr '\n' ' ')
check_eq "install: the times of day in man/ and etc/" "$times" \
    "00:00 02:00 02:15 03:45 04:30 06:00 06:25 07:00 "

# calendar MIN HOUR DOW: the OnCalendar= of a crontab line.
calendar() {
	d=
	case $3 in
	0 | 7) d='Sun ' ;;
	'*') ;;
	*) d="?$3 " ;;
	esac
	printf '%s*-*-* %02d:%02d:00\n' "$d" "$2" "$1"
}
while read -r m h _ _ dow _ cmd _; do
	t=$TOP/etc/systemd/$cmd.timer
	check_eq "install: $cmd.timer runs when the cron.d file does" \
	    "$(sed -n 's/^OnCalendar=//p' "$t")" "$(calendar "$m" "$h" "$dow")"
	check_eq "install: $cmd.timer is Persistent=true" \
	    "$(grep -c '^Persistent=true$' "$t")" 1
done <cron.jobs

# ---- the units -----------------------------------------------------------

for s in "$TOP"/etc/systemd/*.service; do
	n=${s##*/}
	miss=
	for k in 'Type=oneshot' 'ProtectSystem=strict' 'NoNewPrivileges=yes' \
	    'PrivateTmp=yes' 'ProtectHome=read-only' 'SuccessExitStatus=75'; do
		grep -qx "$k" "$s" || miss="$miss $k"
	done
	check_eq "install: $n: hardened, exit 75 a success" "$miss" ""
	# The folders it may write: the metrics folder of the example
	# configuration, and /var/lib/logbook (its state only for the drill).
	rw=$(sed -n 's/^ReadWritePaths=//p' "$s")
	case $n in
	logbook-drill.*) want_rw=$(sed -n 's/^STATE_DIR=//p' \
	    "$TOP/etc/logbook.conf.example") ;;
	*) want_rw=$(sed -n 's/^ARCHIVE_DIR=\(.*\)\/archive$/\1/p' \
	    "$TOP/etc/logbook.conf.example") ;;
	esac
	want_rw="$want_rw -$(sed -n 's/^METRICS_DIR=//p' \
	    "$TOP/etc/logbook.conf.example")"
	check_eq "install: $n: ReadWritePaths= the folders of the configuration" \
	    "$rw" "$want_rw"
	# shellcheck disable=SC2013 # the words of the lines
	for p in $(sed -n 's/^Documentation=//p' "$s"); do
		p=${p#man:}
		sec=${p#*(}
		sec=${sec%)}
		[ -f "$TOP/man/${p%(*}.$sec" ] ||
		    notok "install: $n: Documentation= $p is no page of man/"
	done
done
for v in ARCHIVE_DIR STATE_DIR; do
	check_eq "install: $v of the example is the jobs' default" \
	    "$(sed -n "s/^$v=//p" "$TOP/etc/logbook.conf.example")" \
	    "$(sed -n "s/^	LB_$v=//p" "$TOP/lib/logbook.sh")"
done

# systemd-analyze verify, on units installed where their ExecStart=
# programs are (PREFIX, no DESTDIR).  It needs no running systemd, but
# where it is missing or cannot verify even a trivial unit, this one
# check is skipped, and counted as skipped.
R=$w/root
mk install PREFIX="$R" >/dev/null 2>&1
printf '[Unit]\nDescription=t\n[Service]\nType=oneshot\nExecStart=/bin/true\n' \
    >probe.service
if ! command -v systemd-analyze >/dev/null 2>&1; then
	skip "install: systemd-analyze verify: systemd-analyze is not installed (apt-get install systemd)"
elif systemd-analyze verify --man=no "$w/probe.service" >probe.out 2>&1
    rc=$?
    [ "$rc" -ne 0 ] || [ -s probe.out ]; then
	skip "install: systemd-analyze verify: it cannot verify a trivial unit here (exit status $rc) $(head -n 1 probe.out)"
else
	for u in "$R"/lib/systemd/system/logbook-*; do
		out=$(systemd-analyze verify --man=no "$u" 2>&1)
		rc=$?
		if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
			ok "install: systemd-analyze verify ${u##*/}"
		else
			notok "install: systemd-analyze verify ${u##*/}: $(printf '%s\n' "$out" | head -n 3 | tr '\n' ' ')"
		fi
	done
fi
mk uninstall PREFIX="$R" >/dev/null 2>&1

# ---- CPPFLAGS ------------------------------------------------------------

# Every compile make would run (programs, library, unit tests, test
# tools, the fault shim, the fuzz targets) has CPPFLAGS.
fz=
for f in "$TOP"/tests/fuzz/*.c; do
	f=${f##*/}
	fz="$fz build/fuzz/${f%.c}"
done
# shellcheck disable=SC2086 # a list of targets
mk -n -B CC=cc FUZZ_CC=clang CPPFLAGS=-D_FORTIFY_SOURCE=2 CFLAGS='-O2 -g' \
    all units \
    build/faults/faultshim.so $fz >dry.out 2>&1
# Recipe lines continued with a backslash joined, the compiles kept.
sed -e ':a' -e '/\\$/N' -e 's/\\\n//' -e 'ta' dry.out |
    grep -E '^[[:space:]]*(cc|gcc|clang)[[:space:]]' |
    grep -E ' -c | -shared | -fsanitize=fuzzer[, ]' >compiles
for k in 'lib/agg.c' 'tests/unit/sha256.c' 'tests/tools/' 'faultshim.c' \
    'build/fuzz/obj/lib/agg.o lib/agg.c' '-fsanitize=fuzzer,'; do
	grep -qF -- "$k" compiles || notok "install: make -n shows no compile of $k"
done
check "install: make -n lists the compiles" [ -s compiles ]
check_eq "install: CPPFLAGS reach every compile" \
    "$(grep -v -- '-D_FORTIFY_SOURCE=2' compiles | head -n 2)" ""
# A real build with them: the library and a unit test, with -Werror.
if make --no-print-directory -C "$TOP" B="$w/b" WERROR=1 \
    CPPFLAGS=-D_FORTIFY_SOURCE=2 CFLAGS='-O2 -g' "$w/b/tests/sha256" \
    >build.out 2>&1; then
	ok "install: make CPPFLAGS=-D_FORTIFY_SOURCE=2 CFLAGS='-O2 -g' builds"
else
	notok "install: a build with CPPFLAGS: $(tail -n 3 build.out)"
fi
check_eq "install: the build's compiles have -D_FORTIFY_SOURCE=2 and -O2 -g" \
    "$(sed -e ':a' -e '/\\$/N' -e 's/\\\n//' -e 'ta' build.out |
    grep -E ' -c ' | grep -vE -- '-D_FORTIFY_SOURCE=2 .*-O2 -g' | head -n 2)" ""
check "install: the build compiled" [ -x "$w/b/tests/sha256" ]
