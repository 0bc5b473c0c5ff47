# shellcheck shell=sh disable=SC2034,SC2153
# offsite.sh: the offsite copy that logbook-backup, logbook-retention and
# logbook-drill share: rclone(1) does the talking, in every backend it
# knows; this file decides what goes where, proves each copy by reading
# it back, and keeps the ledger.  Sourced by logbook.sh's lb_offsite,
# only when OFFSITE is set.
#
# The files, under OFFSITE as under ARCHIVE_DIR:
#   YYYY/MM/logbook-YYYY-MM-DD.tar.gz   daily event archives
#   YYYY/MM/logbook-YYYY-MM.hourly.tar.gz   monthly aggregates
#   rejects/SOURCE/*.log.gz, *.reasons.gz   rejected lines, their reasons
#   ledger.ndjson                       the ledger (below)
#
# STATE_DIR/offsite.state, tab-separated, a line per file proven offsite:
#   path sha256 stamp bytes seconds
# (stamp: device:inode:size:mtime of the local file then, so that an
# unchanged file is not hashed again; seconds: when it was proven).
#
# STATE_DIR/ledger.ndjson, a line per version of a file copied offsite,
# appended before the copy, and a line per file deleted offsite:
#   {"path":P,"sha256":H,"events":N,"bytes":B,"time":T}
#   {"path":P,"deleted":true,"time":T}
# The last line of a path is what OFFSITE must hold.

# of_url REL: REL under OFFSITE.  "remote:" and "remote:dir/" take REL as
# it is; a slash would make it absolute on some backends (sftp).
of_url() {
	case $LB_OFFSITE in
	*: | */) printf '%s%s\n' "$LB_OFFSITE" "$1" ;;
	*) printf '%s/%s\n' "$LB_OFFSITE" "$1" ;;
	esac
}

# of_partial REL: the name a copy of REL is uploaded under before it is
# renamed: a dot file of the same folder, which no listing of ours takes
# for a file of logbook.
of_partial() {
	case $1 in
	*/*) of_url "${1%/*}/.${1##*/}.partial" ;;
	*) of_url ".$1.partial" ;;
	esac
}

# of_rclone ARG...: rclone with RCLONE_FLAGS; its messages go to
# $LB_TMP/rclone.err for of_why.
of_rclone() {
	# shellcheck disable=SC2086 # RCLONE_FLAGS: flags, split
	rclone $LB_RCLONE_FLAGS "$@" 2>"$LB_TMP/rclone.err"
}

# of_why: rclone's last error, on one line, without its time stamp.
of_why() {
	sed -n 's/^[0-9/]* [0-9:]* //; /ERROR\|Failed\|CRITICAL\|error/p' \
	    "$LB_TMP/rclone.err" | tail -n 1 | cut -c 1-300 |
	    sed 's/^\(ERROR\|CRITICAL\) : //' | grep . ||
	    echo "rclone failed without a message"
}

# of_sha FILE: its SHA-256.
of_sha() {
	sha256sum -- "$1" | cut -c 1-64
}

# of_remote_sha REL: the SHA-256 of the copy under OFFSITE, read back
# whole (a size or a backend's own hash is not a proof); fails when
# rclone does.
of_remote_sha() {
	_rs=$( { of_rclone cat "$(of_url "$1")"; echo $? >"$LB_TMP/cat.rc"; } |
	    sha256sum | cut -c 1-64)
	[ "$(cat "$LB_TMP/cat.rc")" = 0 ] || return 1
	echo "$_rs"
}

# of_put FILE REL SHA: copy FILE to OFFSITE/REL and prove the copy.  The
# upload goes to a partial name first, then a rename in the remote:
# rclone writes some backends in place (sftp, webdav), and a copy cut
# short must not stand under the final name.  --ignore-times: rclone
# would skip a copy or a rename onto a file of the same size when the
# backend keeps no times (webdav), a damaged copy among them.  Fails
# naming the remote path and rclone's message.
of_put() {
	_pu_dst=$(of_url "$2")
	_pu_tmp=$(of_partial "$2")
	if ! of_rclone copyto --ignore-times "$1" "$_pu_tmp"; then
		lb_fail "$_pu_dst: cannot copy offsite: $(of_why)"
		return 1
	fi
	if ! of_rclone moveto --ignore-times "$_pu_tmp" "$_pu_dst"; then
		lb_fail "$_pu_dst: cannot rename the copy offsite: $(of_why)"
		return 1
	fi
	if ! _pu_got=$(of_remote_sha "$2"); then
		lb_fail "$_pu_dst: cannot read the copy back: $(of_why)"
		return 1
	fi
	if [ "$_pu_got" != "$3" ]; then
		lb_fail "$_pu_dst: the copy read back differs from $1 (sha256 $_pu_got offsite, $3 here)"
		return 1
	fi
	lb_log "offsite: $_pu_dst copied and read back"
}

# of_list: the files under OFFSITE, "path<TAB>size" a line, partial
# copies left out; fails when rclone does.
of_list() {
	of_rclone lsf -R --files-only --format ps --separator '	' \
	    "$LB_OFFSITE" >"$LB_TMP/offsite.list" || return 1
	grep -v '\(^\|/\)\.[^/]*\.partial	' "$LB_TMP/offsite.list" || :
}

# of_clean: remove the partial copies that interrupted runs left.
of_clean() {
	of_rclone delete --include '.*.partial' "$LB_OFFSITE" ||
	    lb_warn "$LB_OFFSITE: cannot remove partial copies: $(of_why)"
}

# ---- the local files ----------------------------------------------------

# of_local: the files of ARCHIVE_DIR that go offsite, "kind<TAB>path"
# relative to it, a line each.
of_local() {
	lb_archives "$LB_ARCHIVE_DIR" | sed "s|^.*/\\([0-9]\\{4\\}/[0-9][0-9]/[^/]*\\)\$|daily	\\1|"
	lb_archives "$LB_ARCHIVE_DIR" --hourly |
	    sed "s|^.*/\\([0-9]\\{4\\}/[0-9][0-9]/[^/]*\\)\$|monthly	\\1|"
	[ -d "$LB_ARCHIVE_DIR/rejects" ] || return 0
	(cd "$LB_ARCHIVE_DIR" && find rejects -type f \
	    \( -name '[0-9]*.log.gz' -o -name '[0-9]*.reasons.gz' \) |
	    LC_ALL=C sort | sed 's/^/rejects	/')
}

# of_events FILE KIND: the events (daily) or hourly rows (monthly) its
# MANIFEST states, or null.
of_events() {
	case $2 in
	daily | monthly)
		_ev=$(tar -xzOf "$1" MANIFEST 2>/dev/null |
		    sed -n 's/^events \([0-9]*\)$/\1/p')
		echo "${_ev:-null}"
		;;
	*) echo null ;;
	esac
}

# of_state_file, of_ledger_file: where they are.
of_state_file() {
	echo "$LB_STATE_DIR/offsite.state"
}

of_ledger_file() {
	echo "$LB_STATE_DIR/ledger.ndjson"
}

# of_ledger_latest [LEDGER]: "path<TAB>sha256|deleted<TAB>bytes" of the
# last line of each path.
of_ledger_latest() {
	_lf=${1:-$(of_ledger_file)}
	[ -f "$_lf" ] || return 0
	awk '
	function field(k,   r) {
		if (match($0, "\"" k "\":(\"[^\"]*\"|[0-9a-z]+)")) {
			r = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
			gsub(/"/, "", r)
			return r
		}
		return ""
	}
	{
		p = field("path")
		if (p == "") next
		if (field("deleted") == "true") last[p] = "deleted\t"
		else last[p] = field("sha256") "\t" field("bytes")
		if (!(p in seen)) { seen[p] = 1; order[++n] = p }
	}
	END { for (i = 1; i <= n; i++) print order[i] "\t" last[order[i]] }' "$_lf"
}

# of_ledger_line PATH SHA EVENTS BYTES: a version's line.
of_ledger_line() {
	printf '{"path":"%s","sha256":"%s","events":%s,"bytes":%s,"time":"%s"}\n' \
	    "$1" "$2" "$3" "$4" "$(lb_iso "$(lb_now)")"
}

# of_ledger_add LINES: append the lines of the file LINES to the ledger,
# the ledger replaced whole (lb_install).
of_ledger_add() {
	[ -s "$1" ] || return 0
	_la=$LB_TMP/ledger.new
	_lf=$(of_ledger_file)
	if { [ ! -f "$_lf" ] || cat -- "$_lf"; } >"$_la" && cat -- "$1" >>"$_la"
	then
		lb_install "$_la" "$_lf"
		return
	fi
	lb_fail "$_lf: cannot write the ledger (SCRATCH_DIR full?)"
	return 1
}
