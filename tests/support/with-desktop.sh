#!/bin/sh
# Runs a command on a private desktop: an Xvfb display with a system tray host (trayer), inside a private D-Bus
# session with a fresh unlocked keyring (with-keyring.sh). GUI tests get a real tray, notifications and Secret
# Service, and never touch the user's own display, session bus or keyring. TF_DESKTOP_TRAY=no leaves the tray host
# out, for tests of a desktop whose panel comes up after the app (they start trayer themselves).
set -e
here=$(dirname "$(readlink -f "$0")")
exec "$here/with-keyring.sh" sh -c '
  set -e
  dir=$(mktemp -d "${TMPDIR:-/tmp}/tf-desktop-XXXXXX")
  cleanup() {
    [ -n "$tray" ] && kill "$tray" 2>/dev/null || true
    [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$dir"
  }
  trap cleanup EXIT INT TERM
  # -displayfd: the server picks a free display number itself, so parallel suites never collide.
  Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$dir/display" 2>"$dir/xvfb.log" &
  xvfb=$!
  for _ in $(seq 100); do [ -s "$dir/display" ] && break; sleep 0.1; done
  [ -s "$dir/display" ] || { echo "with-desktop: Xvfb did not start:" >&2; cat "$dir/xvfb.log" >&2; exit 1; }
  DISPLAY=:$(cat "$dir/display")
  export DISPLAY
  # Under load a client can still be refused for a moment after -displayfd answered: wait until one gets in.
  for _ in $(seq 100); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
  if [ "${TF_DESKTOP_TRAY:-yes}" != no ]; then
    # The tray is up once trayer has mapped its panel window; a trayer that could not open the display is started
    # again rather than leaving the suite without a tray.
    for _ in 1 2 3 4 5; do
      trayer --edge top --align right --widthtype pixel --width 240 --heighttype pixel --height 28 \
        --transparent false --tint 0x303030 >>"$dir/trayer.log" 2>&1 &
      tray=$!
      for _ in $(seq 100); do
        xwininfo -root -tree 2>/dev/null | grep -q "\"panel\"" && break 2
        kill -0 "$tray" 2>/dev/null || break
        sleep 0.1
      done
      kill "$tray" 2>/dev/null || true
      tray=
      sleep 0.5
    done
    [ -n "$tray" ] || { echo "with-desktop: trayer did not start:" >&2; cat "$dir/trayer.log" >&2; exit 1; }
  fi
  "$@"
' sh "$@"
