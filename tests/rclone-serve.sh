# rclone-serve.sh: real rclone servers on loopback for the offsite tests,
# sourced by tests/sh/offsite*.sh.  rclone_serve NAME KIND DIR [FLAGS]
# starts `rclone serve KIND` (webdav or sftp) of DIR on 127.0.0.1, on a
# port the kernel picks, and adds a remote NAME for it to $RCLONE_CONFIG;
# rclone_crypt NAME OVER adds an encrypting remote over remote OVER.
# The servers are killed when the test ends (rclone_stop_all, from the
# caller's EXIT trap).

RCLONE_CONFIG=$(pwd)/rclone.conf
export RCLONE_CONFIG
: >"$RCLONE_CONFIG"
# rclone serve sftp makes its host keys under the cache folder
XDG_CACHE_HOME=$(pwd)/rclone-cache
export XDG_CACHE_HOME
RCLONE_PIDS=

rclone_serve() {
	_rs_name=$1
	_rs_kind=$2
	_rs_dir=$3
	shift 3
	mkdir -p "$_rs_dir"
	case $_rs_kind in
	webdav)
		rclone serve webdav --addr 127.0.0.1:0 --dir-cache-time 0s "$@" "$_rs_dir" \
		    >"serve.$_rs_name.log" 2>&1 &
		;;
	sftp)
		rclone serve sftp --addr 127.0.0.1:0 --dir-cache-time 0s --user logbook \
		    --pass secret "$@" "$_rs_dir" >"serve.$_rs_name.log" 2>&1 &
		;;
	esac
	RCLONE_PIDS="$RCLONE_PIDS $!"
	eval "RCLONE_PID_$_rs_name=$!"
	_rs_port=
	_rs_i=0
	while [ -z "$_rs_port" ] && [ "$_rs_i" -lt 200 ]; do
		_rs_port=$(sed -n 's/.*\(started on http:\/\/\|listening on \)127\.0\.0\.1:\([0-9]*\).*/\2/p' \
		    "serve.$_rs_name.log" | head -n 1)
		[ -n "$_rs_port" ] || sleep 0.05
		_rs_i=$((_rs_i + 1))
	done
	if [ -z "$_rs_port" ]; then
		echo "# rclone serve $_rs_kind did not start:" >&2
		sed 's/^/# /' "serve.$_rs_name.log" >&2
		return 1
	fi
	eval "RCLONE_PORT_$_rs_name=$_rs_port"
	case $_rs_kind in
	webdav)
		printf '[%s]\ntype = webdav\nurl = http://127.0.0.1:%s/\nvendor = other\n\n' \
		    "$_rs_name" "$_rs_port" >>"$RCLONE_CONFIG"
		;;
	sftp)
		printf '[%s]\ntype = sftp\nhost = 127.0.0.1\nport = %s\nuser = logbook\npass = %s\nshell_type = none\n\n' \
		    "$_rs_name" "$_rs_port" "$(rclone obscure secret)" \
		    >>"$RCLONE_CONFIG"
		;;
	esac
}

rclone_crypt() {
	printf '[%s]\ntype = crypt\nremote = %s\npassword = %s\n\n' \
	    "$1" "$2" "$(rclone obscure "logbook test key")" >>"$RCLONE_CONFIG"
}

# rclone_flip NAME SERVER PATTERN: a remote NAME that reaches the webdav
# server of remote SERVER through tests/flip-proxy.py: GETs of paths
# matching PATTERN come back with a byte inverted.
rclone_flip() {
	eval "_rf_port=\$RCLONE_PORT_$2"
	python3 "$TOP/tests/flip-proxy.py" "$_rf_port" "$3" >"flip.$1.port" &
	RCLONE_PIDS="$RCLONE_PIDS $!"
	_rf_i=0
	while [ ! -s "flip.$1.port" ] && [ "$_rf_i" -lt 200 ]; do
		sleep 0.05
		_rf_i=$((_rf_i + 1))
	done
	printf '[%s]\ntype = webdav\nurl = http://127.0.0.1:%s/\nvendor = other\n\n' \
	    "$1" "$(cat "flip.$1.port")" >>"$RCLONE_CONFIG"
}

rclone_stop_all() {
	for _p in $RCLONE_PIDS; do
		kill "$_p" 2>/dev/null
	done
	wait 2>/dev/null
}

# The servers' listings are not cached (--dir-cache-time 0s): the tests
# change the served folders behind their backs, as another client would.
