# shellcheck shell=sh
# What install/agent.sh and install/panel.sh share. Each is downloaded and run on its own
# (`curl … | sh`, `sh panel.sh`), so neither sources this file: `npm run gen:install` copies it
# between the BEGIN and END lines of both, and a test fails when a copy is not current. Each
# script sets PROG (the name its messages start with) before the copy.
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
