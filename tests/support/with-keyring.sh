#!/bin/sh
# Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring: a real Secret Service that
# never touches the user's own keyring (HOME points at a throwaway directory).
set -e
home=$(mktemp -d "${TMPDIR:-/tmp}/tf-keyring-XXXXXX")
trap 'rm -rf "$home"' EXIT
HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home/run" \
  dbus-run-session -- sh -c 'mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    printf "tf-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    "$@"' sh "$@"
