# shellcheck shell=sh disable=SC2034,SC2153
# logbook.sh: the code logbook-backup, logbook-retention and logbook-drill
# share: configuration, options, messages, the lock, dates, metrics.
# POSIX sh; sourced, never run.  Each script sets LB_PROG before sourcing
# and defines usage() (printed by --help) before calling lb_parse.

LB_VERSION=0.1.0

# The configuration keys, their defaults, and for each the variable the
# scripts read: LB_<KEY>.  Documented in logbook-backup(8) CONFIGURATION.
LB_KEYS="ARCHIVE_DIR STATE_DIR METRICS_DIR SOURCES FORMAT KEEP_DAYS \
KEEP_MONTHS DB DB_KEEP_DAYS MAX_RPO_SECONDS MAX_RTO_SECONDS \
MAX_ARCHIVE_AGE_DAYS LOCK_WAIT ARCHIVE_MODE ARCHIVE_LEVEL DRILL_RECENT \
DRILL_SAMPLE SCRATCH_DIR OFFSITE OFFSITE_KEEP_DAYS RCLONE_FLAGS"

lb_defaults() {
	LB_ARCHIVE_DIR=/var/lib/logbook/archive
	LB_STATE_DIR=/var/lib/logbook/state
	LB_METRICS_DIR=
	LB_SOURCES=
	LB_FORMAT=auto
	LB_KEEP_DAYS=90
	LB_KEEP_MONTHS=84
	LB_DB=
	LB_DB_KEEP_DAYS=30
	LB_MAX_RPO_SECONDS=172800
	LB_MAX_RTO_SECONDS=3600
	LB_MAX_ARCHIVE_AGE_DAYS=3
	LB_LOCK_WAIT=0
	LB_ARCHIVE_MODE=
	LB_ARCHIVE_LEVEL=
	LB_DRILL_RECENT=2
	LB_DRILL_SAMPLE=3
	LB_SCRATCH_DIR=${TMPDIR:-/tmp}
	LB_OFFSITE=
	LB_OFFSITE_KEEP_DAYS=365
	LB_RCLONE_FLAGS=
}

# Keys whose value must be a whole number.
LB_NUMERIC="KEEP_DAYS KEEP_MONTHS DB_KEEP_DAYS MAX_RPO_SECONDS \
MAX_RTO_SECONDS MAX_ARCHIVE_AGE_DAYS LOCK_WAIT DRILL_RECENT DRILL_SAMPLE \
OFFSITE_KEEP_DAYS"

# ---- messages ---------------------------------------------------------

LB_VERBOSE=0
LB_DRY_RUN=0
LB_FAILED=0

# lb_say MSG: "prog: MSG" on standard error, its control bytes as \xHH
# as the C programs write names and data (lb_esc): a folder, file or key
# from a configuration or a command line never drives the terminal.
lb_say() {
	printf '%s: %s\n' "$LB_PROG" "$*" | LC_ALL=C awk '
	BEGIN {
		for (i = 1; i < 32; i++)
			m[sprintf("%c", i)] = sprintf("\\x%02x", i)
		m[sprintf("%c", 127)] = "\\x7f"
	}
	$0 !~ /[[:cntrl:]]/ { print; next }
	{
		o = ""
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			o = o ((c in m) ? m[c] : c)
		}
		print o
	}' >&2
}

# lb_log MSG: one step, on standard error, with -v only.
lb_log() {
	[ "$LB_VERBOSE" = 1 ] || return 0
	lb_say "$*"
}

# lb_warn MSG: a problem that does not stop the run.
lb_warn() {
	lb_say "$*"
}

# lb_fail MSG: a failure; the run goes on where it can, and exits 1.
lb_fail() {
	lb_say "$*"
	LB_FAILED=1
}

# lb_die MSG: a failure that ends the run now.
lb_die() {
	lb_say "$*"
	exit 1
}

# lb_usage_error [MSG]: a bad command line: the message and the usage
# lines of the help, exit 2.
lb_usage_error() {
	[ -z "$*" ] || lb_say "$*"
	usage | sed '/^[A-Z]/,$d' >&2
	exit 2
}

# lb_dry MSG: what a dry run would do, on standard output.
lb_dry() {
	lb_out "$*"
}

# ---- standard output ----------------------------------------------------
#
# Every line for standard output goes through lb_out, every file through
# lb_cat, every command through lb_stdout: each write is checked, so that
# a full disk or a closed descriptor fails the job (exit 1) instead of
# passing for success.  dash's printf only says "I/O error": the line is
# written again by printf(1), whose message has the reason.

# lb_out LINE: one line on standard output.
lb_out() {
	printf '%s\n' "$*" 2>/dev/null && return 0
	lb_stdout env printf '%s\n' "$*"
}

# lb_stdout COMMAND...: run it, its standard output checked: a command
# that fails names standard output and the reason it gave.
lb_stdout() {
	_so_err=
	# a closed standard output cannot even be duplicated
	{ true; } 2>/dev/null 3>&1 || lb_die "stdout: Bad file descriptor"
	{ _so_err=$("$@" 2>&1 >&3 3>&-); } 3>&1 && return 0
	lb_die "stdout: $(lb_why "$_so_err")"
}

# lb_cat FILE: a file of ours on standard output.
lb_cat() {
	lb_stdout cat -- "$1"
}

# ---- configuration ----------------------------------------------------

lb_is_key() {
	case " $LB_KEYS " in *" $1 "*) return 0 ;; esac
	return 1
}

# lb_set KEY VALUE WHERE: set a key; WHERE names the origin in errors.
lb_set() {
	lb_is_key "$1" || lb_die "$3: unknown key '$1'"
	eval "LB_$1=\$2"
}

lb_trim() {
	_t=$1
	_t=${_t#"${_t%%[![:space:]]*}"}
	_t=${_t%"${_t##*[![:space:]]}"}
	printf '%s' "$_t"
}

# lb_load_file FILE: KEY=VALUE lines; blank lines and lines starting
# with # are skipped; a line ending with a backslash goes on on the next
# one; a value may be quoted with "" or ''.  A # after a blank in an
# unquoted value is an error, not a comment.
lb_load_file() {
	[ -r "$1" ] || lb_die "$1: cannot read the configuration file"
	_ln=0
	_cont=
	while IFS= read -r _line || [ -n "$_line" ]; do
		_ln=$((_ln + 1))
		_line=$(lb_trim "$_line")
		case $_line in
		*\\)
			_cont="$_cont${_line%\\} "
			continue
			;;
		esac
		_line=$_cont$_line
		_cont=
		case $_line in '' | '#'*) continue ;; esac
		case $_line in
		*=*) ;;
		*) lb_die "$1:$_ln: expected KEY=VALUE" ;;
		esac
		_k=$(lb_trim "${_line%%=*}")
		_v=$(lb_trim "${_line#*=}")
		case $_v in
		\"*\") _v=${_v#\"} _v=${_v%\"} ;;
		\'*\') _v=${_v#\'} _v=${_v%\'} ;;
		'#'* | *[[:space:]]'#'*)
			# else the comment would silently be part of the value
			lb_die "$1:$_ln: $_k: a comment must be on a line of its own (quote the value if ' #' is part of it)"
			;;
		esac
		lb_set "$_k" "$_v" "$1:$_ln"
	done <"$1"
}

# lb_load_env: LOGBOOK_<KEY> overrides KEY.
lb_load_env() {
	for _k in $LB_KEYS; do
		eval "_set=\${LOGBOOK_$_k+x}"
		[ -n "$_set" ] || continue
		eval "LB_$_k=\$LOGBOOK_$_k"
	done
}

# lb_check_config: values that must be numbers are numbers.
lb_check_config() {
	for _k in $LB_NUMERIC; do
		eval "_v=\$LB_$_k"
		case $_v in
		'' | *[!0-9]*) lb_die "$_k must be a whole number, not '$_v'" ;;
		esac
	done
	for _s in $LB_SOURCES; do
		case $_s in
		*=*) ;;
		*) lb_die "SOURCES: '$_s' is not name=glob" ;;
		esac
		case ${_s%%=*} in
		'' | *[!A-Za-z0-9_.-]*)
			lb_die "SOURCES: bad source name '${_s%%=*}'" ;;
		esac
		[ -n "${_s#*=}" ] || lb_die "SOURCES: '$_s' has no glob"
	done
	case $LB_ARCHIVE_MODE in
	'') ;;
	*[!0-7]* | ?????*)
		lb_die "ARCHIVE_MODE must be an octal mode from 0 to 777, not '$LB_ARCHIVE_MODE'"
		;;
	*)
		[ $((0$LB_ARCHIVE_MODE)) -le 511 ] ||
		    lb_die "ARCHIVE_MODE must be an octal mode from 0 to 777, not '$LB_ARCHIVE_MODE'"
		;;
	esac
	lb_modes
}

# lb_modes: the modes of what the jobs write.  Files get the mode of the
# archives, ARCHIVE_MODE or logbook-archive's default 0640, as given
# whatever the umask: rejected lines hold client addresses as the
# archives do, and the state and the lock go with them.  Folders get it
# with search permission where it allows reading, as logbook-archive's
# do.  Metrics are 0644: they hold counts only, and node_exporter reads
# them as its own user.
lb_modes() {
	_md_m=$((0${LB_ARCHIVE_MODE:-640}))
	LB_FMODE=$(printf '%o' "$_md_m")
	LB_DMODE=$(printf '%o' $((_md_m | (_md_m & 292) >> 2)))
	LB_MMODE=644
}

lb_show_config() {
	for _k in $LB_KEYS; do
		eval "_v=\$LB_$_k"
		lb_out "$_k=$_v"
	done
}

# ---- the command line -------------------------------------------------

# lb_parse "$@": the options every script takes.  The script's own go
# to its lb_option NAME ARG, which returns non-zero for an unknown one;
# those that take an argument are listed in LB_ARG_OPTS.  Operands are
# kept in LB_ARGS (count LB_NARGS).  Settings are applied after the file
# and the environment, in lb_configure.
lb_parse() {
	LB_CONF=${LOGBOOK_CONF:-/etc/logbook.conf}
	LB_CONF_GIVEN=${LOGBOOK_CONF:+1}
	LB_OVERRIDES=
	LB_SHOW_CONFIG=0
	LB_NARGS=0
	while [ $# -gt 0 ]; do
		_o=$1
		_a=
		case $_o in
		--*=*)
			_a=${_o#*=}
			_o=${_o%%=*}
			lb_takes_arg "$_o" ||
				lb_usage_error "option '$_o' takes no argument"
			shift
			set -- "$_o" "$_a" "$@"
			;;
		-[!-]?*)
			# -nv: -n -v; -cFILE: -c FILE
			_rest=${_o#-?}
			_o=${_o%"$_rest"}
			shift
			if lb_takes_arg "$_o"; then
				set -- "$_o" "$_rest" "$@"
			else
				set -- "$_o" "-$_rest" "$@"
			fi
			;;
		esac
		_o=$1
		shift
		if lb_takes_arg "$_o"; then
			[ $# -gt 0 ] ||
				lb_usage_error "option '$_o' needs an argument"
			_a=$1
			shift
		fi
		case $_o in
		-c | --config)
			LB_CONF=$_a
			LB_CONF_GIVEN=1
			;;
		-o | --option)
			case $_a in
			*=*) ;;
			*) lb_usage_error "-o wants KEY=VALUE, not '$_a'" ;;
			esac
			lb_is_key "${_a%%=*}" ||
				lb_usage_error "-o: unknown key '${_a%%=*}'"
			lb_override "${_a%%=*}" "${_a#*=}"
			;;
		-d | --archive-dir) lb_override ARCHIVE_DIR "$_a" ;;
		--lock-wait) lb_override LOCK_WAIT "$_a" ;;
		-n | --dry-run) LB_DRY_RUN=1 ;;
		-v | --verbose) LB_VERBOSE=1 ;;
		--show-config) LB_SHOW_CONFIG=1 ;;
		-h | --help)
			lb_stdout usage
			exit 0
			;;
		-V | --version)
			lb_out "$LB_PROG $LB_VERSION"
			exit 0
			;;
		--)
			for _x in "$@"; do lb_arg "$_x"; done
			break
			;;
		-?*)
			lb_option "$_o" "$_a" ||
				lb_usage_error "unrecognized option '$_o'"
			;;
		*) lb_arg "$_o" ;;
		esac
	done
}

# Options that take an argument: the common ones and the script's.
lb_takes_arg() {
	case $1 in
	-c | --config | -o | --option | -d | --archive-dir | --lock-wait)
		return 0 ;;
	esac
	case " $LB_ARG_OPTS " in *" $1 "*) return 0 ;; esac
	return 1
}

# Operands, kept one per line (none of them may hold a newline).
LB_ARGS=
lb_arg() {
	LB_ARGS="$LB_ARGS$1
"
	LB_NARGS=$((LB_NARGS + 1))
}

# lb_override KEY VALUE: a setting from the command line, applied last.
lb_override() {
	LB_OVERRIDES="$LB_OVERRIDES$1=$2
"
}

# lb_configure: defaults, then the file, the environment, the options.
lb_configure() {
	lb_defaults
	if [ -e "$LB_CONF" ] || [ "$LB_CONF_GIVEN" = 1 ]; then
		lb_load_file "$LB_CONF"
	fi
	lb_load_env
	_ifs=$IFS
	IFS='
'
	for _kv in $LB_OVERRIDES; do
		IFS=$_ifs
		eval "LB_${_kv%%=*}=\${_kv#*=}"
	done
	IFS=$_ifs
	[ -n "$LB_SCRATCH_DIR" ] || LB_SCRATCH_DIR=${TMPDIR:-/tmp}
	lb_check_config
	if [ "$LB_SHOW_CONFIG" = 1 ]; then
		lb_show_config
		exit 0
	fi
}

# ---- time -------------------------------------------------------------

# lb_now: seconds since the epoch; LOGBOOK_NOW pretends another time.
lb_now() {
	if [ -n "${LOGBOOK_NOW:-}" ]; then
		echo "$LOGBOOK_NOW"
	else
		date +%s
	fi
}

# lb_clock: a finer clock for durations (seconds, with a fraction when
# date(1) has %N).
lb_clock() {
	_c=$(date +%s.%N 2>/dev/null)
	case $_c in
	*N* | '') date +%s ;;
	*) echo "$_c" ;;
	esac
}

# lb_elapsed START END: END - START, to the millisecond.
lb_elapsed() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'
}

# lb_day DATE: the day number (days since 1970-01-01) of YYYY-MM-DD.
lb_day() {
	echo "$1" | awk -F- '{
		y = $1 + 0; m = $2 + 0; d = $3 + 0
		if (m <= 2) { y--; m += 12 }
		era = int(y / 400)
		yoe = y - era * 400
		doy = int((153 * (m - 3) + 2) / 5) + d - 1
		doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
		print era * 146097 + doe - 719468
	}'
}

# lb_date DAY: YYYY-MM-DD of a day number.
lb_date() {
	awk -v z="$1" 'BEGIN {
		z += 719468
		era = int(z / 146097)
		doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - \
		    int(doe / 146096)) / 365)
		y = yoe + era * 400
		doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153)
		d = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9
		if (m <= 2) y++
		printf "%04d-%02d-%02d\n", y, m, d
	}'
}

# lb_today: today's day number in UTC.
lb_today() {
	echo $(($(lb_now) / 86400))
}

# lb_iso SECONDS: yyyy-mm-ddThh:mm:ssZ.
lb_iso() {
	_d=$(lb_date $(($1 / 86400)))
	_s=$(($1 % 86400))
	printf '%sT%02d:%02d:%02dZ\n' "$_d" $((_s / 3600)) \
	    $((_s % 3600 / 60)) $((_s % 60))
}

# lb_epoch ISO: seconds since the epoch of yyyy-mm-ddThh:mm:ss[.f]Z.
lb_epoch() {
	_day=$(lb_day "${1%%T*}")
	_hms=${1#*T}
	_hms=${_hms%Z}
	echo "$_hms" | awk -F: -v d="$_day" \
	    '{ printf "%d\n", d * 86400 + $1 * 3600 + $2 * 60 + int($3) }'
}

# ---- files ------------------------------------------------------------

# lb_why OUTPUT: the reason at the end of a program's message, such as
# "Permission denied" in "mkdir: cannot create directory 'x': Permission
# denied" or in dash's "sh: 1: cannot create x: Permission denied".
lb_why() {
	_why_w=$(printf '%s\n' "$1" | sed -n '$p')
	_why_w=${_why_w##*: }
	printf '%s\n' "${_why_w:-unknown error}"
}

# lb_mkdir DIR [MODE]: create a folder (and its parents) or fail; a
# folder made gets MODE, and its parent is synced so that it stays.
lb_mkdir() {
	[ -d "$1" ] && return 0
	_mk_err=$(mkdir -p -- "$1" 2>&1) ||
	    lb_die "$1: cannot create the folder: $(lb_why "$_mk_err")"
	[ -n "${2:-}" ] || return 0
	_mk_err=$(chmod "$2" "$1" 2>&1) ||
	    lb_die "$1: cannot set the mode: $(lb_why "$_mk_err")"
	_mk_err=$(sync -- "$(dirname -- "$1")" 2>&1) ||
	    lb_die "$(dirname -- "$1"): cannot sync: $(lb_why "$_mk_err")"
}

# lb_find OUT DIR EXPRESSION...: find(1) into OUT, or fail naming the
# folder it could not read: a folder that cannot be listed is not an
# empty one.
lb_find() {
	_fd_out=$1
	shift
	LC_ALL=C find "$@" >"$_fd_out" 2>"$_fd_out.err" &&
	    [ ! -s "$_fd_out.err" ] && return 0
	_fd_err=$(sed -n "1{s/^find: //; s/^'\(.*\)': /\1: /; p;}" \
	    "$_fd_out.err")
	lb_die "${_fd_err:-$1: find failed}"
}

# lb_tmpdir: a private scratch folder, removed at exit.
lb_tmpdir() {
	LB_TMP=$(mktemp -d "${LB_SCRATCH_DIR:-${TMPDIR:-/tmp}}/$LB_PROG.XXXXXX") ||
	    lb_die "cannot create a scratch folder in ${LB_SCRATCH_DIR:-/tmp}"
	trap 'rm -rf "$LB_TMP"' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 141' PIPE
}

# lb_install SRC FILE [MODE]: replace FILE by a copy of SRC (a scratch
# file), atomically and durably: a temporary file in FILE's folder, with
# MODE (default the archives' mode), synced, renamed over FILE, and the
# folder synced.  A failure is reported (the run will exit 1), FILE is
# left as it was, and the status is 1.
lb_install() {
	_in_dir=$(dirname -- "$2")
	_in_tmp=$_in_dir/.${2##*/}.tmp.$$
	if _in_err=$( (umask 077 && cat -- "$1" >"$_in_tmp") 2>&1) &&
	    _in_err=$(chmod "${3:-$LB_FMODE}" "$_in_tmp" 2>&1) &&
	    _in_err=$(sync -- "$_in_tmp" 2>&1) &&
	    _in_err=$(mv -f -- "$_in_tmp" "$2" 2>&1); then
		_in_err=$(sync -- "$_in_dir" 2>&1) && return 0
		lb_fail "$_in_dir: cannot sync the folder: $(lb_why "$_in_err")"
		return 1
	fi
	rm -f -- "$_in_tmp"
	lb_fail "$2: cannot write: $(lb_why "$_in_err")"
	return 1
}

# lb_state_get FILE KEY: the value of KEY in FILE, whose lines are
# "KEY VALUE"; nothing when the file or the key is missing.
lb_state_get() {
	[ -f "$1" ] || return 0
	awk -v k="$2" '$1 == k { v = $2 } END { if (v != "") print v }' "$1"
}

# lb_state_set FILE KEY VALUE: set KEY in FILE, keeping its other lines,
# replaced atomically (lb_install); the status is 1 on a failure, which
# is reported.
lb_state_set() {
	_ss_old=$1
	[ -f "$_ss_old" ] || _ss_old=/dev/null
	_ss_new=$LB_TMP/${1##*/}.new
	if ! awk -v k="$2" -v v="$3" '$1 != k { print } END { print k, v }' \
	    "$_ss_old" >"$_ss_new"; then
		lb_fail "$1: cannot write $2 (SCRATCH_DIR full?)"
		return 1
	fi
	lb_mkdir "$(dirname -- "$1")" "$LB_DMODE"
	lb_install "$_ss_new" "$1"
}

# lb_size FILE...: the total size in bytes.
lb_size() {
	_sz=0
	for _f in "$@"; do
		[ -f "$_f" ] || continue
		_sz=$((_sz + $(wc -c <"$_f")))
	done
	echo "$_sz"
}

# ---- the lock ---------------------------------------------------------

# lb_lock: take the lock shared by the three scripts, STATE_DIR/lock,
# exclusive (shared for a dry run and for logbook-drill when
# LB_LOCK_SHARED=1).  flock(1) holds it on file descriptor 9, which the
# kernel closes when the job ends, however it ends.
lb_lock() {
	_mode=-x
	if [ "$LB_DRY_RUN" = 1 ] || [ "${LB_LOCK_SHARED:-0}" = 1 ]; then
		_mode=-s
	fi
	_lock=$LB_STATE_DIR/lock
	if [ "$LB_DRY_RUN" = 1 ] && [ ! -w "$_lock" ]; then
		lb_log "dry run: no lock file $_lock to take"
		return 0
	fi
	lb_mkdir "$LB_STATE_DIR" "$LB_DMODE"
	command -v flock >/dev/null 2>&1 ||
	    lb_die "flock(1) is missing (util-linux)"
	# A redirection that fails ends the shell before any message of
	# ours (exit 2, as for a usage error): the lock file is tried in a
	# subshell first, and `command exec` does not end the shell.
	if [ ! -e "$_lock" ]; then
		if ! _lk_err=$( (umask 077 && : >>"$_lock") 2>&1) ||
		    ! _lk_err=$(chmod "$LB_FMODE" "$_lock" 2>&1); then
			lb_die "$_lock: cannot create the lock file: $(lb_why "$_lk_err")"
		fi
	fi
	_lk_err=$( (: >>"$_lock") 2>&1) ||
	    lb_die "$_lock: cannot open the lock file: $(lb_why "$_lk_err")"
	command exec 9>>"$_lock" ||
	    lb_die "$_lock: cannot open the lock file"
	if flock -n "$_mode" 9; then
		lb_log "lock $_lock taken"
		return 0
	fi
	if [ "$LB_LOCK_WAIT" -gt 0 ]; then
		lb_log "waiting up to $LB_LOCK_WAIT s for $_lock"
		flock -w "$LB_LOCK_WAIT" "$_mode" 9 && return 0
	fi
	printf '%s: %s\n' "$LB_PROG" \
	    "another logbook job holds $_lock (waited ${LB_LOCK_WAIT} s)" >&2
	exit 75
}

# ---- metrics ----------------------------------------------------------

# Metrics for node_exporter's textfile collector: lb_metrics_begin NAME,
# then lb_metric lines, then lb_metrics_end, which renames the finished
# file to METRICS_DIR/NAME.prom.  Nothing when METRICS_DIR is empty or
# in a dry run.
lb_metrics_begin() {
	LB_PROM=
	[ -n "$LB_METRICS_DIR" ] && [ "$LB_DRY_RUN" = 0 ] || return 0
	if [ ! -d "$LB_METRICS_DIR" ]; then
		lb_fail "$LB_METRICS_DIR: no such folder (METRICS_DIR)"
		return 0
	fi
	LB_PROM=$LB_METRICS_DIR/$1.prom
	LB_PROM_TMP=$LB_TMP/$1.prom
	LB_PROM_BAD=0
	: >"$LB_PROM_TMP" || LB_PROM_BAD=1
	LB_PROM_LAST=
}

# lb_metric NAME TYPE HELP VALUE [LABELS]: one sample; HELP and TYPE
# are written before the first sample of each name.
lb_metric() {
	[ -n "$LB_PROM" ] || return 0
	if [ "$1" != "$LB_PROM_LAST" ]; then
		printf '# HELP %s %s\n# TYPE %s %s\n' "$1" "$3" "$1" "$2" \
		    >>"$LB_PROM_TMP" || LB_PROM_BAD=1
		LB_PROM_LAST=$1
	fi
	if [ -n "${5:-}" ]; then
		printf '%s{%s} %s\n' "$1" "$5" "$4" >>"$LB_PROM_TMP" ||
		    LB_PROM_BAD=1
	else
		printf '%s %s\n' "$1" "$4" >>"$LB_PROM_TMP" || LB_PROM_BAD=1
	fi
}

# lb_metrics_end: the metrics, written whole to the scratch folder, go
# to METRICS_DIR atomically (a collector never reads half a file).
lb_metrics_end() {
	[ -n "$LB_PROM" ] || return 0
	if [ "$LB_PROM_BAD" = 1 ]; then
		lb_fail "$LB_PROM_TMP: cannot write the metrics"
		return 0
	fi
	lb_install "$LB_PROM_TMP" "$LB_PROM" "$LB_MMODE" || return 0
	lb_log "metrics written to $LB_PROM"
}

# ---- the other programs -----------------------------------------------

# The logbook programs next to the script come first, so that the
# source tree and an installation each use their own.
lb_path() {
	_bin=$(cd "$(dirname "$0")" && pwd)
	PATH=$_bin:$PATH
	export PATH
}

# lb_need PROGRAM...: fail early when one is missing.
lb_need() {
	for _p in "$@"; do
		command -v "$_p" >/dev/null 2>&1 ||
		    lb_die "$_p: not found in PATH"
	done
}

# lb_archives DIR [--hourly]: the daily event archives under DIR (the
# monthly aggregate ones with --hourly), oldest first, as
# paths DIR/YYYY/MM/logbook-YYYY-MM-DD.tar.gz of valid dates; symbolic
# links and files in other places are left out.  logbook-archive --list
# walks DIR: nothing below DIR in such a path holds a newline or a blank,
# and a DIR with a newline is refused.  A folder that cannot be read is
# not an empty one: the job fails naming it.
lb_archives() {
	[ -d "$1" ] || return 0
	# shellcheck disable=SC2086 # $2: --hourly or nothing
	if logbook-archive --list ${2:-} -d "$1" >"$LB_TMP/found" \
	    2>"$LB_TMP/found.err" && [ ! -s "$LB_TMP/found.err" ]; then
		cat "$LB_TMP/found"
		return 0
	fi
	_ar_err=$(sed -n '1{s/^logbook-archive: //; p;}' "$LB_TMP/found.err")
	lb_die "${_ar_err:-$1: logbook-archive --list failed}"
}

# lb_offsite: the offsite functions (offsite.sh, beside this file), and
# rclone; sourced only when OFFSITE is set, so that a job without one
# needs neither.
lb_offsite() {
	_of=${LB_LIB%/*}/offsite.sh
	[ -f "$_of" ] || lb_die "$_of: not found (OFFSITE needs it)"
	# shellcheck source=SCRIPTDIR/offsite.sh
	. "$_of"
	lb_need rclone sha256sum
}

# lb_archive_date PATH: the YYYY-MM-DD of a daily archive.
lb_archive_date() {
	_b=${1##*/logbook-}
	echo "${_b%.tar.gz}"
}
