# An sshd of its own on 127.0.0.1 for the cluster test and benchmark:
# host and user keys made in a scratch folder, an unprivileged port, no
# password, only the user running it.  Sourced; then
#	sshd_start DIR	start it; writes DIR/ssh_config, where the hosts
#			h1 and h2 both reach it; 0 when it answers
#	sshd_stop	stop it
#	SSHD_SSH	"ssh -F DIR/ssh_config", for parallel --ssh
sshd_start() {
	_sd=$1
	mkdir -p "$_sd" || return 1
	rm -f "$_sd/host" "$_sd/host.pub" "$_sd/id" "$_sd/id.pub"
	ssh-keygen -q -t ed25519 -N '' -f "$_sd/host" || return 1
	ssh-keygen -q -t ed25519 -N '' -f "$_sd/id" || return 1
	cp "$_sd/id.pub" "$_sd/authorized_keys"
	chmod 600 "$_sd/authorized_keys" "$_sd/host" "$_sd/id"
	# privilege separation wants its empty folder, as root
	[ "$(id -u)" != 0 ] || mkdir -p /run/sshd
	_try=0
	while [ $_try -lt 20 ]; do
		SSHD_PORT=$((20000 + ($$ * 7 + _try * 131) % 40000))
		cat >"$_sd/sshd_config" <<CFG
ListenAddress 127.0.0.1
Port $SSHD_PORT
HostKey $_sd/host
AuthorizedKeysFile $_sd/authorized_keys
PidFile $_sd/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
AcceptEnv PARALLEL_* LC_ALL
LogLevel ERROR
CFG
		/usr/sbin/sshd -f "$_sd/sshd_config" -E "$_sd/sshd.log" || return 1
		cat >"$_sd/ssh_config" <<CFG
Host h1 h2
	HostName 127.0.0.1
	Port $SSHD_PORT
	User $(id -un)
	IdentityFile $_sd/id
	IdentitiesOnly yes
	UserKnownHostsFile $_sd/known_hosts
	StrictHostKeyChecking yes
	BatchMode yes
	LogLevel ERROR
CFG
		echo "[127.0.0.1]:$SSHD_PORT $(cat "$_sd/host.pub")" >"$_sd/known_hosts"
		SSHD_SSH="ssh -F $_sd/ssh_config"
		_w=0
		while [ $_w -lt 50 ]; do
			if $SSHD_SSH h1 true 2>/dev/null; then
				return 0
			fi
			if [ ! -s "$_sd/sshd.pid" ] ||
			    ! kill -0 "$(cat "$_sd/sshd.pid")" 2>/dev/null; then
				break
			fi
			sleep 0.1
			_w=$((_w + 1))
		done
		sshd_stop
		_try=$((_try + 1))
	done
	return 1
}

sshd_stop() {
	[ -s "$_sd/sshd.pid" ] && kill "$(cat "$_sd/sshd.pid")" 2>/dev/null
	rm -f "$_sd/sshd.pid"
}
