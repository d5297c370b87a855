#!/bin/sh
# Steward's agent installer (docs/install.md). The panel serves it at /install/agent.sh with its
# URL, the pin of its TLS key (self-signed panels) and its agent version filled in below:
#
#   curl -fsSL https://PANEL/install/agent.sh | sudo sh -s -- --token TOKEN
#
# It downloads the single-file agent from the panel, checks its SHA-256 and that it runs,
# installs it as /usr/local/lib/steward/steward-agent, writes a hardened systemd unit, enrolls
# with the token (once: an enrolled server keeps its identity) and starts the agent. Run it
# again to repair or update an installation; --uninstall removes it.
#
# Options:
#   --token T         the enrollment token the console showed (single use, 15 minutes)
#   --listen H:P      where the agent listens (default 0.0.0.0:7443)
#   --agent-url URL   https://host:port where the panel reaches this server
#   --root DIR        install under DIR instead of / (a scratch root: tests, images)
#   --no-systemd      no unit is started: a runner started in the background does what the
#                     unit does (runs the agent, the rollback after each exit, restarts it)
#   --uninstall       stop and remove the agent, its unit and runner; --purge also its
#                     directory (its key and certificates: revoke the node on the panel)
#   --panel URL, --panel-pin PIN, --version V   what the panel fills in, for a copy of this file
set -eu

# filled in by the panel that serves this script
PANEL_URL=''
PANEL_PIN=''
AGENT_VERSION=''

TOKEN=''
LISTEN=''
AGENT_URL=''
ROOT=''
SYSTEMD=1
UNINSTALL=0
PURGE=0

PROG='steward-agent install'
# BEGIN install/common.sh: a copy (`npm run gen:install`); edit that file, not this one
say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() {
	say "$*"
	exit 1
}
# the value of an option, refusing a missing one
value() {
	[ "$#" -ge 2 ] || die "$1 needs a value"
	printf '%s' "$2"
}
# a plain absolute path: no .., no spaces or shell characters
plain_path() {
	case "$2" in
	/*) ;;
	*) die "$1 must be an absolute path" ;;
	esac
	case "$2" in
	*/../* | */.. | */./* | *[!A-Za-z0-9._/+-]*) die "$1 must be a plain absolute path (no .., no spaces)" ;;
	esac
}
# END install/common.sh

while [ "$#" -gt 0 ]; do
	case "$1" in
	--token)
		TOKEN=$(value "$@")
		shift 2
		;;
	--listen)
		LISTEN=$(value "$@")
		shift 2
		;;
	--agent-url)
		AGENT_URL=$(value "$@")
		shift 2
		;;
	--root)
		ROOT=$(value "$@")
		shift 2
		;;
	--panel)
		PANEL_URL=$(value "$@")
		shift 2
		;;
	--panel-pin)
		PANEL_PIN=$(value "$@")
		shift 2
		;;
	--version)
		AGENT_VERSION=$(value "$@")
		shift 2
		;;
	--no-systemd)
		SYSTEMD=0
		shift
		;;
	--uninstall)
		UNINSTALL=1
		shift
		;;
	--purge)
		PURGE=1
		shift
		;;
	-h | --help)
		sed -n '2,22p' "$0" 2>/dev/null || say "see docs/install.md"
		exit 0
		;;
	*) die "unknown option $1 (see docs/install.md)" ;;
	esac
done

# Every value is checked before anything is touched; the agent checks them again.
[ -z "$ROOT" ] || plain_path --root "$ROOT"
[ -n "$ROOT" ] || [ "$(id -u)" = 0 ] || die "run it as root (sudo sh -s -- …)"

PREFIX="$ROOT/usr/local/lib/steward"
BIN="$PREFIX/steward-agent"
DATA="$ROOT/var/lib/steward-agent"
UNIT="$ROOT/etc/systemd/system/steward-agent.service"
LOG="$ROOT/var/log/steward-agent.log"
RUNNER_PID="$DATA/runner.pid"

# systemd runs here, and this is the real root (a scratch root only gets the files)
with_systemd() { [ "$SYSTEMD" = 1 ] && [ -z "$ROOT" ] && [ -d /run/systemd/system ]; }

stop_runner() {
	[ -f "$RUNNER_PID" ] || return 0
	pid=$(cat "$RUNNER_PID")
	case "$pid" in '' | *[!0-9]*) pid='' ;; esac
	if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
		while kill -0 "$pid" 2>/dev/null; do sleep 1; done
		say "stopped the agent's runner ($pid)"
	fi
	rm -f "$RUNNER_PID"
}

if [ "$UNINSTALL" = 1 ]; then
	if with_systemd; then
		systemctl disable --now steward-agent.service 2>/dev/null || :
	fi
	stop_runner
	rm -f "$UNIT"
	with_systemd && systemctl daemon-reload
	rm -rf "$PREFIX"
	if [ "$PURGE" = 1 ]; then
		rm -rf "$DATA"
		say "removed; revoke the node on the panel"
	else
		say "removed; its identity stays in $DATA (--purge removes it)"
	fi
	exit 0
fi

case "$PANEL_URL" in
http://* | https://*) ;;
*) die "--panel must be the panel's http(s) URL" ;;
esac
case "$PANEL_URL" in
*[!A-Za-z0-9.:/_~\[\]-]*) die "--panel has characters a URL of a panel does not" ;;
esac
case "$PANEL_PIN" in
'' | sha256//*) ;;
*) die "--panel-pin must be sha256//<base64>, as the console shows it" ;;
esac
case "$PANEL_PIN" in
*[!A-Za-z0-9+/=]*) die "--panel-pin has characters a pin does not" ;;
esac
case "$AGENT_VERSION" in
[0-9]*) ;;
*) die "--version must be a version like 1.2.3" ;;
esac
case "$AGENT_VERSION" in
*[!0-9A-Za-z.-]*) die "--version must be a version like 1.2.3" ;;
esac
case "$TOKEN" in
*[!A-Za-z0-9_-]*) die "--token must be the token the console showed (letters, digits, - and _)" ;;
esac

case "$(uname -m)" in
x86_64 | amd64) ARCH=x64 ;;
aarch64 | arm64) ARCH=arm64 ;;
*) die "no single-file agent for $(uname -m) (x86_64 and aarch64 only)" ;;
esac

fetch() {
	if [ -n "$PANEL_PIN" ]; then
		# a self-signed panel: its key must be the pinned one (-k: the chain is not checked)
		curl -fsSL --retry 3 -k --pinnedpubkey "$PANEL_PIN" -o "$2" "$1"
	else
		curl -fsSL --retry 3 -o "$2" "$1"
	fi
}

mkdir -p "$PREFIX" "$(dirname "$UNIT")" "$(dirname "$LOG")"
mkdir -p "$DATA"
chmod 0700 "$DATA"
WORK=$(mktemp -d "$PREFIX/.install.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
NAME="steward-agent-linux-$ARCH"
say "downloading $PANEL_URL/install/agent/$AGENT_VERSION/$NAME"
fetch "$PANEL_URL/install/agent/$AGENT_VERSION/$NAME" "$WORK/steward-agent" ||
	die "cannot download the agent from $PANEL_URL"
fetch "$PANEL_URL/install/agent/$AGENT_VERSION/$NAME.sha256" "$WORK/sha256" ||
	die "cannot download the agent's checksum from $PANEL_URL"
want=$(cut -c1-64 "$WORK/sha256")
have=$(sha256sum "$WORK/steward-agent" | cut -c1-64)
[ "$want" = "$have" ] || die "the agent's SHA-256 is $have, not the panel's $want: not installed"
chmod 0755 "$WORK/steward-agent"
ran=$("$WORK/steward-agent" --version) || die "the downloaded agent does not run on this server"
[ "$ran" = "$AGENT_VERSION" ] || die "the downloaded agent says it is $ran, not $AGENT_VERSION"

CHANGED=0
if ! cmp -s "$WORK/steward-agent" "$BIN"; then
	mv -f "$WORK/steward-agent" "$BIN"
	CHANGED=1
	say "installed $BIN ($AGENT_VERSION)"
else
	say "$BIN is already $AGENT_VERSION"
fi

# After every exit of the agent (the unit's ExecStopPost, the runner): an upgraded agent that
# exits before the panel reached it (upgrade-pending still there) is replaced by the previous
# binary (docs/install.md, "Upgrades").
cat >"$WORK/rollback" <<'EOF'
#!/bin/sh
set -eu
dir=$(dirname "$0")
[ -f "$dir/upgrade-pending" ] || exit 0
[ -x "$dir/steward-agent.previous" ] || exit 0
failed=$(head -c 64 "$dir/upgrade-pending")
cp -p "$dir/steward-agent.previous" "$dir/steward-agent.rollback"
mv -f "$dir/steward-agent" "$dir/steward-agent.failed"
mv -f "$dir/steward-agent.rollback" "$dir/steward-agent"
printf '%s\n' "$failed" >"$dir/upgrade-rolled-back"
rm -f "$dir/upgrade-pending"
echo "steward-agent: $failed did not come up; rolled back to the previous agent" >&2
EOF
chmod 0755 "$WORK/rollback"
mv -f "$WORK/rollback" "$PREFIX/rollback"

# The agent manages the server as root (nginx, users, sites, databases): it cannot be
# confined to a few paths. It gets what it does not need taken away.
cat >"$WORK/unit" <<'EOF'
[Unit]
Description=Steward agent (the panel's hands on this server)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=/usr/local/lib/steward/steward-agent run --dir /var/lib/steward-agent
ExecStopPost=/bin/sh /usr/local/lib/steward/rollback
Restart=always
RestartSec=2
TimeoutStopSec=30
KillMode=mixed
UMask=0077
NoNewPrivileges=yes
PrivateTmp=yes
ProtectClock=yes
ProtectHostname=yes
ProtectKernelLogs=yes
ProtectKernelModules=yes
ProtectKernelTunables=yes
ProtectControlGroups=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
SystemCallArchitectures=native
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
CapabilityBoundingSet=~CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_BOOT CAP_SYS_TIME CAP_MKNOD CAP_SYS_PTRACE CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_LINUX_IMMUTABLE CAP_MAC_ADMIN CAP_MAC_OVERRIDE CAP_AUDIT_CONTROL CAP_SYSLOG

[Install]
WantedBy=multi-user.target
EOF
chmod 0644 "$WORK/unit"
mv -f "$WORK/unit" "$UNIT"

if [ -f "$DATA/agent.json" ]; then
	say "already enrolled ($DATA/agent.json): keeping its identity"
else
	[ -n "$TOKEN" ] || die "--token is required to enroll (the console shows it)"
	set -- enroll --panel "$PANEL_URL" --token "$TOKEN" --dir "$DATA"
	[ -z "$PANEL_PIN" ] || set -- "$@" --panel-pin "$PANEL_PIN"
	[ -z "$LISTEN" ] || set -- "$@" --listen "$LISTEN"
	[ -z "$AGENT_URL" ] || set -- "$@" --agent-url "$AGENT_URL"
	"$BIN" "$@" || die "enrollment failed (above); make a new token in the console if it was used"
fi

if with_systemd; then
	systemctl daemon-reload
	systemctl enable steward-agent.service
	if [ "$CHANGED" = 1 ]; then systemctl restart steward-agent.service; else systemctl start steward-agent.service; fi
	say "started: systemctl status steward-agent"
	exit 0
fi

# No systemd (or a scratch root): a runner in the background does what the unit does.
if [ -f "$RUNNER_PID" ] && kill -0 "$(cat "$RUNNER_PID")" 2>/dev/null && [ "$CHANGED" = 0 ]; then
	say "the agent's runner is running ($(cat "$RUNNER_PID"))"
	exit 0
fi
stop_runner
runner() {
	stop=0
	child=''
	trap 'stop=1; [ -z "$child" ] || kill "$child" 2>/dev/null || :' TERM INT
	while [ "$stop" = 0 ]; do
		"$BIN" run --dir "$DATA" &
		child=$!
		# a signal interrupts wait: wait again for the agent's own end
		wait "$child" || :
		wait "$child" 2>/dev/null || :
		child=''
		sh "$PREFIX/rollback" || :
		[ "$stop" = 1 ] || sleep 2
	done
}
runner </dev/null >>"$LOG" 2>&1 &
echo "$!" >"$RUNNER_PID"
say "started without systemd: runner $! (log $LOG)"
