#!/bin/sh
# Steward's panel installer (docs/install.md): the panel as the unprivileged user steward, in
# systemd units, from a release.
#
#   sudo sh install/panel.sh                        # from this checkout, or the unpacked release
#   sudo sh panel.sh --release steward-0.1.0-linux-x64.tar.gz --sha256 HEX  # a release tarball
#
# A release is the panel's runtime tree: package.json, apps/ (the sources without tests, the
# web console built in apps/web/dist), packages/, node_modules/ (the production dependencies),
# dist/agent/ (the single-file agent the panel serves), install/ and node/bin/node (the
# pinned Node 24). `npm run build:release` makes its tarball (one directory, steward-V/); a
# checkout that ran `npm install` and `npm run build:web` is one too (its Node is the one
# tools/run.mjs keeps in .cache/node).
#
# It creates the user and group steward, /var/lib/steward (data, 0700), /var/log/steward,
# installs the release as /usr/local/lib/steward/{panel,node} and the command
# /usr/local/bin/steward, writes steward.service and steward-agent.service and starts the
# panel. Settings: `sudo -u steward steward config set KEY VALUE` (the data directory's
# steward.json, read by the service and the command alike). Run it again to upgrade or
# repair; --uninstall removes it.
#
# Options:
#   --release FILE    a release tarball (.tar.gz) instead of the checkout this script is in
#   --sha256 HEX      the tarball's published SHA-256: checked before it is unpacked
#   --from DIR        a release directory (default: the checkout holding this script)
#   --root DIR        install under DIR instead of / (a scratch root: tests, images); no
#                     service is started
#   --uninstall       stop and remove the units and the release; --purge also the data
#                     (the database, the master key, the settings), the logs and the user
set -eu

RELEASE=''
SHA256=''
FROM=''
ROOT=''
UNINSTALL=0
PURGE=0

PROG='steward install'
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
	--release)
		RELEASE=$(value "$@")
		shift 2
		;;
	--sha256)
		SHA256=$(value "$@")
		shift 2
		;;
	--from)
		FROM=$(value "$@")
		shift 2
		;;
	--root)
		ROOT=$(value "$@")
		shift 2
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
		sed -n '2,29p' "$0"
		exit 0
		;;
	*) die "unknown option $1 (see docs/install.md)" ;;
	esac
done

[ -z "$ROOT" ] || plain_path --root "$ROOT"
[ -z "$RELEASE" ] || plain_path --release "$RELEASE"
[ -z "$FROM" ] || plain_path --from "$FROM"
[ -z "$RELEASE" ] || [ -z "$FROM" ] || die "--release and --from exclude each other"
case "$SHA256" in
'') ;;
*[!0-9a-f]*) die "--sha256 must be 64 lower-case hex digits" ;;
*) [ "${#SHA256}" = 64 ] || die "--sha256 must be 64 lower-case hex digits" ;;
esac
[ -z "$SHA256" ] || [ -n "$RELEASE" ] || die "--sha256 goes with --release"
[ "$(id -u)" = 0 ] || die "run it as root (sudo sh panel.sh …)"

LIB="$ROOT/usr/local/lib/steward"
DATA="$ROOT/var/lib/steward"
LOGS="$ROOT/var/log/steward"
BIN="$ROOT/usr/local/bin/steward"
UNITS="$ROOT/etc/systemd/system"

# systemd runs here, and this is the real root (a scratch root only gets the files)
with_systemd() { [ -z "$ROOT" ] && [ -d /run/systemd/system ]; }

if [ "$UNINSTALL" = 1 ]; then
	if with_systemd; then
		systemctl disable --now steward.service steward-agent.service 2>/dev/null || :
	fi
	rm -f "$UNITS/steward.service" "$UNITS/steward-agent.service" "$BIN"
	if with_systemd; then systemctl daemon-reload; fi
	rm -rf "$LIB/panel" "$LIB/node" "$LIB/panel.new" "$LIB/node.new" "$LIB/panel.old" "$LIB/node.old"
	rmdir "$LIB" 2>/dev/null || :
	if [ "$PURGE" = 1 ]; then
		rm -rf "$DATA" "$LOGS"
		if id steward >/dev/null 2>&1 || grep -q '^steward:' "$ROOT/etc/passwd" 2>/dev/null; then
			if [ -n "$ROOT" ]; then userdel --prefix "$ROOT" steward; else userdel steward; fi
		fi
		say "removed, with the data, the logs and the user steward"
	else
		say "removed; the data (database, master.key) stays in $DATA (--purge removes it)"
	fi
	exit 0
fi

for tool in tar useradd; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is needed"
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

# the release's directory
if [ -n "$RELEASE" ]; then
	[ -f "$RELEASE" ] || die "--release $RELEASE is not a file"
	if [ -n "$SHA256" ]; then
		sum=$(sha256sum "$RELEASE") || die "cannot read --release $RELEASE"
		[ "${sum%% *}" = "$SHA256" ] || die "--sha256 does not match $RELEASE (${sum%% *})"
	fi
	mkdir "$WORK/release"
	tar -xzf "$RELEASE" -C "$WORK/release" || die "--release $RELEASE is not a .tar.gz"
	set -- "$WORK/release"/*
	if [ "$#" != 1 ] || [ ! -d "$1" ]; then die "--release must hold one directory (steward-VERSION/)"; fi
	FROM=$1
elif [ -z "$FROM" ]; then
	FROM=$(cd "$(dirname "$0")/.." && pwd)
fi
for f in package.json install/systemd/steward.service apps/cli/src/main.ts apps/server/src/main.ts node_modules/commander; do
	[ -e "$FROM/$f" ] || die "$FROM is not a release: $f is missing (npm install in a checkout)"
done
[ -e "$FROM/apps/web/dist/index.html" ] ||
	say "warning: the web console is not built in $FROM (npm run build:web): the API works, / has no console"
NODE="$FROM/node/bin/node"
if [ ! -x "$NODE" ]; then
	# a checkout: the pinned Node that tools/run.mjs fetched into .cache/node
	for n in "$FROM"/.cache/node/*/bin/node; do [ -x "$n" ] && NODE=$n; done
fi
[ -x "$NODE" ] || die "no Node 24 in $FROM (node/bin/node, or .cache/node in a checkout)"
VERSION=$("$NODE" -p 'require(process.argv[1]).version' "$FROM/apps/cli/package.json" 2>/dev/null) ||
	VERSION=unknown

# the user steward: no login, no home of its own beyond the data directory
if [ -n "$ROOT" ]; then
	mkdir -p "$ROOT/etc"
	for f in passwd group shadow gshadow; do [ -e "$ROOT/etc/$f" ] || : >"$ROOT/etc/$f"; done
	grep -q '^steward:' "$ROOT/etc/passwd" ||
		useradd --prefix "$ROOT" --system --user-group --home-dir /var/lib/steward --shell /usr/sbin/nologin steward
	uid=$(awk -F: '$1 == "steward" { print $3 }' "$ROOT/etc/passwd")
	gid=$(awk -F: '$1 == "steward" { print $4 }' "$ROOT/etc/passwd")
else
	id steward >/dev/null 2>&1 ||
		useradd --system --user-group --home-dir /var/lib/steward --shell /usr/sbin/nologin steward
	uid=$(id -u steward)
	gid=$(id -g steward)
fi

mkdir -p "$DATA" "$LOGS" "$UNITS" "$LIB" "$ROOT/usr/local/bin"
chown "$uid:$gid" "$DATA" "$LOGS"
chmod 0700 "$DATA" "$LOGS"
chmod 0755 "$LIB"
# the release: copied beside the installed one, then swapped in (a failed copy changes nothing)
rm -rf "$LIB/panel.new" "$LIB/node.new" "$LIB/panel.old" "$LIB/node.old"
mkdir -p "$LIB/panel.new" "$LIB/node.new/bin"
if [ -n "$RELEASE" ]; then
	# the unpacked tarball is the release: moved in (a rename when on the same file system)
	rmdir "$LIB/panel.new" "$LIB/node.new/bin" "$LIB/node.new"
	mv "$FROM/node" "$LIB/node.new"
	mv "$FROM" "$LIB/panel.new"
else
	# a checkout: its runtime parts (the agent's builds and the connector when there)
	parts='package.json apps packages node_modules install'
	for p in dist/agent connectors/wordpress/steward-connector; do [ ! -d "$FROM/$p" ] || parts="$parts $p"; done
	# shellcheck disable=SC2086 # the list of parts, split on purpose
	(cd "$FROM" && tar -cf - --exclude=.cache $parts) | (cd "$LIB/panel.new" && tar -xf -)
	cp "$NODE" "$LIB/node.new/bin/node"
fi
chown -R 0:0 "$LIB/panel.new" "$LIB/node.new"
chmod -R go-w "$LIB/panel.new" "$LIB/node.new"
for d in panel node; do
	[ ! -e "$LIB/$d" ] || mv "$LIB/$d" "$LIB/$d.old"
	mv "$LIB/$d.new" "$LIB/$d"
done
rm -rf "$LIB/panel.old" "$LIB/node.old"

# the units, and the command steward (the data directory preset) for admins and the units' user
for u in steward.service steward-agent.service; do
	cp "$LIB/panel/install/systemd/$u" "$WORK/$u"
	chmod 0644 "$WORK/$u"
	mv -f "$WORK/$u" "$UNITS/$u"
done
cat >"$WORK/steward" <<'EOF'
#!/bin/sh
# Steward's command (installed by install/panel.sh); run it as the user steward:
# sudo -u steward steward ...
STEWARD_DATA_DIR=${STEWARD_DATA_DIR:-/var/lib/steward}
export STEWARD_DATA_DIR
exec /usr/local/lib/steward/node/bin/node /usr/local/lib/steward/panel/apps/cli/src/main.ts "$@"
EOF
chmod 0755 "$WORK/steward"
mv -f "$WORK/steward" "$BIN"

say "installed Steward $VERSION in $LIB (data and settings in $DATA)"
if with_systemd; then
	systemctl daemon-reload
	systemctl enable steward.service steward-agent.service >/dev/null
	systemctl restart steward.service
	say "steward.service started; the console: steward's STEWARD_PUBLIC_URL (default http://localhost:8080)"
fi
cat >&2 <<'EOF'
steward install: the agent of this server (root, steward-agent.service) starts once enrolled:
  sudo -u steward steward node add --name local --agent-url https://127.0.0.1:7443
  sudo -u steward steward node token local   # prints: steward agent enroll --panel ... --token T
  sudo steward agent enroll --panel http://127.0.0.1:8080 --listen 127.0.0.1:7443 --token T
  sudo systemctl start steward-agent.service
EOF
